"""Acknowledgements: "we got your mail, ticket HD-n, we will answer by ...", queued on a new ticket.

The ingestion pipeline's "acknowledge" step, so the acknowledgement is queued in the same
transaction that stores the ticket. It is never sent to auto mail, to our own addresses, for a
queue that does not acknowledge, for mail received more than `max_age_days` ago (an imported
archive, mail delayed in transit), or more than `max_per_sender_per_hour` times to one sender: two
auto-responders must not answer each other forever (RFC 3834 section 2). `tickets.outbox.compose`
marks it `Auto-Submitted: auto-replied` and adds our `X-Loop`.
"""
from __future__ import annotations

import datetime as dt
import logging

import jinja2
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sla.calendar import WorkingCalendar
from sla.policy import LANGUAGES, promise_text
from templates import FOLDER as TEMPLATES
from tickets.config import Config
from tickets.mail import ParsedMessage, stored_subject
from tickets.models import Outbox, Ticket
from tickets.outbox import Outgoing, queue_mail, reply_subject

log = logging.getLogger(__name__)

DEFAULT_TEMPLATE = "mail/ack/default.txt"


def _environment() -> jinja2.Environment:
    """Plain-text templates: no HTML escaping, block tags leave no blank lines, and an unknown
    variable is an error rather than a silent blank."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False, trim_blocks=True,
                              lstrip_blocks=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


class Acknowledger:
    """The acknowledge step: `Acknowledger(config, calendar)(session, ticket, parsed, now)`."""

    def __init__(self, config: Config, calendar: WorkingCalendar) -> None:
        self.config = config
        self.calendar = calendar
        self.env = _environment()
        self.ours = config.our_addresses()

    def __call__(self, session: Session, ticket: Ticket, parsed: ParsedMessage, now: dt.datetime) -> None:
        sender = parsed.sender.email.lower() if parsed.sender and parsed.sender.email else ""
        if not self._wanted(ticket, parsed, sender, now) or self._over_limit(session, sender, now):
            return
        from_name, from_address = self.config.sender(ticket.queue)
        name = parsed.sender.name if parsed.sender else ""
        out = Outgoing(kind="ack", mail_from=from_address, from_name=from_name, to=sender, to_name=name,
                       subject=reply_subject(parsed.subject, ticket.reference or ""),
                       text=self.render(ticket, parsed, now), in_reply_to=parsed.message_id,
                       references=(*parsed.references, parsed.message_id))
        queue_mail(session, self.config, out, now, ticket=ticket)
        log.debug("%s acknowledged on %s", parsed.message_id, ticket.reference)

    def render(self, ticket: Ticket, parsed: ParsedMessage, now: dt.datetime) -> str:
        """The queue's template (`mail/ack/<queue>.txt`), else the default one; mail in German, French
        or Spanish gets that language's template (`mail/ack/<language>/default.txt`). A deadline
        already past at `now` is not promised.

        A ticket the router was unsure of gets the default template, which says nothing about any
        one queue, and the promise every queue of its mailbox keeps: an agent has yet to place it.
        """
        language = parsed.language if parsed.language in LANGUAGES else "en"
        names: list[str | jinja2.Template] = ([f"mail/ack/{language}/default.txt"] if language != "en"
                                              else [DEFAULT_TEMPLATE] if ticket.unsure
                                              else [f"mail/ack/{ticket.queue}.txt", DEFAULT_TEMPLATE])
        template = self.env.get_or_select_template(names)
        queue = self.config.queue(ticket.queue)
        return template.render(
            reference=ticket.reference, subject=stored_subject(parsed.subject),
            name=parsed.sender.name if parsed.sender else "",
            queue=ticket.queue, queue_title=queue.title or ticket.queue,
            complaint=queue.triage_working_days > 0 and not ticket.unsure,
            promise=promise_text(self.config, self.calendar, ticket.queue, parsed.received,
                                 unsure_at=ticket.mailbox if ticket.unsure else "", now=now, language=language),
            mailbox=self.config.sender(ticket.queue)[1])

    def _wanted(self, ticket: Ticket, parsed: ParsedMessage, sender: str, now: dt.datetime) -> bool:
        """Human mail from outside, to a queue that acknowledges, received within `max_age_days`."""
        settings = self.config.acknowledgements
        fresh = now - parsed.received <= dt.timedelta(days=settings.max_age_days)
        return (settings.enabled and fresh and not parsed.auto and bool(sender) and sender not in self.ours
                and self.config.queue(ticket.queue).acknowledge)

    def _over_limit(self, session: Session, sender: str, now: dt.datetime) -> bool:
        """At most `max_per_sender_per_hour` acknowledgements to one address per hour.

        The last hour's counts are read once per transaction and kept in `session.info`, counting
        the acknowledgements this transaction queues too: a batch with ten mails from one sender
        is held to the limit although its rows are not flushed yet.
        """
        counts = recent_acks(session, now)
        if counts.get(sender, 0) >= self.config.acknowledgements.max_per_sender_per_hour:
            log.info("acknowledgement skipped: %d already sent to this sender in the last hour", counts[sender])
            return True
        counts[sender] = counts.get(sender, 0) + 1
        return False


_RECENT = "acks_last_hour"


def recent_acks(session: Session, now: dt.datetime) -> dict[str, int]:
    """Acknowledgements per recipient in the hour before `now`, one grouped query per transaction."""
    if _RECENT not in session.info:
        rows = session.execute(select(Outbox.rcpt, func.count()).where(
            Outbox.kind == "ack", Outbox.created_at > now - dt.timedelta(hours=1)).group_by(Outbox.rcpt))
        session.info[_RECENT] = {rcpt: count for rcpt, count in rows}
    return session.info[_RECENT]


def forget_recent_acks(session: Session, *_: object) -> None:
    """After a commit or rollback: the next transaction counts the last hour afresh."""
    session.info.pop(_RECENT, None)
