"""The sign-in limit: attempts counted before any password is checked, in one statement each.

Each attempt first raises its counters by one upsert (`INSERT ... ON CONFLICT DO UPDATE ...
RETURNING`), committed before the Argon2 check starts: parallel attempts take turns on the row,
so no more than `limit` passwords are ever checked per window, however many arrive at once. A
sign-in that succeeds hands its attempt back, so only failures use up the allowance.

Three counters, each allowing `[web] login_attempts_per_15_minutes` in a 15-minute window:
- the client address (one address guessing many accounts);
- the account at that address (guessing one account);
- the account from addresses it has never signed in from (guessing from many addresses).
The owner, signing in from an address they have used before, meets only the first two: failures
from elsewhere do not lock them out.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import case, delete, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tickets.audit import SIGN_IN
from tickets.models import AuditEvent, SignInCount

WINDOW = dt.timedelta(minutes=15)


def counter_keys(session: Session, email: str, address: str) -> list[str]:
    """The counters an attempt at `email` from `address` raises."""
    keys = [f"address {address}", f"account {email} at {address}"]
    familiar = session.scalar(select(exists().where(AuditEvent.actor == email, AuditEvent.action == SIGN_IN,
                                                    AuditEvent.address == address)))
    if not familiar:
        keys.append(f"account {email} from new addresses")
    return keys


def reserve(session: Session, keys: Sequence[str], now: dt.datetime) -> int:
    """Count one attempt on every key; the highest count in the current window after it."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    highest = 0
    for key in keys:
        statement = dialect.insert(SignInCount).values(key=key[:400], window_start=now, attempts=1)
        stale = SignInCount.window_start <= now - WINDOW
        statement = statement.on_conflict_do_update(index_elements=[SignInCount.key], set_={
            "attempts": case((stale, 1), else_=SignInCount.attempts + 1),
            "window_start": case((stale, statement.excluded.window_start), else_=SignInCount.window_start)})
        highest = max(highest, session.execute(statement.returning(SignInCount.attempts)).scalar_one())
    return highest


def give_back(session: Session, keys: Sequence[str], now: dt.datetime) -> None:
    """A successful sign-in's attempt does not count against anyone; counters whose window has
    passed are dropped meanwhile, so guesses from many addresses do not fill the table."""
    session.execute(update(SignInCount).where(SignInCount.key.in_([k[:400] for k in keys]), SignInCount.attempts > 0)
                    .values(attempts=SignInCount.attempts - 1))
    session.execute(delete(SignInCount).where(SignInCount.window_start <= now - WINDOW))
