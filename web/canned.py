"""Canned replies: the shop's standard answers in templates/mail/canned/, filled from the ticket.

Each `<name>.txt` there is one reply (Jinja2, plain text), so a shop adds or rewords answers
without code. The shop's facts come from `[shop]` (`shop` in the template). The agent sees the
filled text in the reply box and edits it before sending.

A reply that asserts something only the agent can check (the return authorisation: the order is
inside the return window) names it in `CHECKS`: the console asks the agent to confirm it and
refuses to send the reply unconfirmed. A reply that needs a fact the config does not hold (`NEEDS`)
cannot be chosen, and says which setting is missing: nothing is invented.
"""
from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import jinja2

from sla.policy import refund_window
from templates import FOLDER as TEMPLATES
from tickets.config import Config
from tickets.errors import Conflict, NotFound
from tickets.models import Customer, Ticket, User

FOLDER = TEMPLATES / "mail" / "canned"
_RA_ALPHABET = string.ascii_uppercase + string.digits

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(FOLDER), autoescape=False, trim_blocks=True,
                          lstrip_blocks=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


# What the agent must confirm before the reply may go out, per reply.
CHECKS: dict[str, Callable[[Config], str]] = {
    "return_authorization": lambda config: (
        f"I checked that the order is inside the {config.shop.return_window_days}-day return window"),
}
# The `[shop]` settings a reply cannot do without, per reply.
NEEDS: dict[str, tuple[str, ...]] = {"return_authorization": ("return_warehouse_address",)}


@dataclass(frozen=True)
class Canned:
    name: str
    title: str


def canned_replies() -> list[Canned]:
    """Every template in the folder, titled from its file name."""
    return [Canned(p.stem, p.stem.replace("_", " ").capitalize()) for p in sorted(FOLDER.glob("*.txt"))]


def ra_number(ticket: Ticket) -> str:
    """A return authorization number, `RA-<ticket id>-<4 random>`: unique enough, and traceable."""
    return f"RA-{ticket.id}-" + "".join(secrets.choice(_RA_ALPHABET) for _ in range(4))


def render_canned(name: str, config: Config, ticket: Ticket, customer: Customer | None, agent: User,
                  reasons: Sequence[str] = ()) -> str:
    """The filled reply `name`; an unknown name is NotFound (never a path into the file system)."""
    if name not in {c.name for c in canned_replies()}:
        raise NotFound(f"no canned reply named {name!r}")
    missing = [key for key in NEEDS.get(name, ()) if not str(getattr(config.shop, key)).strip()]
    if missing:
        raise Conflict(f"the {name.replace('_', ' ')} reply cannot be used: set "
                       + " and ".join(f"[shop] {key}" for key in missing) + f" in {config.source}")
    warn, breach = refund_window(config, ticket.queue)
    return _env.get_template(f"{name}.txt").render(
        name=customer.name if customer and customer.erased_at is None else "",
        reference=ticket.reference, subject=ticket.subject, order_numbers=ticket.order_numbers.split(),
        agent=agent.name or agent.email, ra_number=ra_number(ticket), reasons=[r for r in reasons if r.strip()],
        refund_days=f"{warn:g}-{breach:g}" if breach else "10", shop=config.shop)


def check_for(name: str, config: Config) -> str:
    """What the agent must confirm before sending reply `name` ('' when nothing)."""
    check = CHECKS.get(name)
    return check(config) if check else ""
