"""Report test data: tickets and SLA clocks written with explicit timestamps, as the SLA engine would
have left them, so every figure of a report can be worked out by hand (office hours 09:00-18:00,
Monday to Friday, New York)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import count
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from sla.calendar import calendar_for
from sla.policy import target
from tickets.config import Config
from tickets.models import SlaClock, Ticket, User

NY = ZoneInfo("America/New_York")


def ny(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=NY)


@dataclass
class Desk:
    session: Session
    config: Config
    _numbers: count[int] = field(default_factory=lambda: count(1))

    def user(self, name: str, role: str = "agent", active: bool = True) -> User:
        account = User(email=f"{name.lower()}@aeropressmall.com", name=name, role=role, active=active,
                       created_at=ny(1, 5, 9))
        self.session.add(account)
        self.session.flush()
        return account

    def ticket(self, queue: str, received: dt.datetime, assignee: User | None = None,
               replied: dt.datetime | None = None, solved: dt.datetime | None = None,
               closed: dt.datetime | None = None, status: str | None = None, **extra: object) -> Ticket:
        """A ticket; its status follows from its times unless given."""
        status = status or ("closed" if closed else "solved" if solved else "open" if replied else "new")
        fields = {"subject": f"question {next(self._numbers)}", **extra}
        ticket = Ticket(queue=queue, mailbox="support", status=status, assignee_id=assignee.id if assignee else None,
                        created_at=received, updated_at=received, last_customer_message_at=received,
                        first_reply_at=replied, solved_at=solved, closed_at=closed, **fields)
        self.session.add(ticket)
        self.session.flush()
        ticket.reference = f"HD-{10000 + ticket.id}"
        self.session.flush()
        return ticket

    def clock(self, ticket: Ticket, kind: str, start: dt.datetime, stopped: dt.datetime | None = None,
              state: str = "ok") -> SlaClock:
        """A clock with the queue's target; stopped ones are met or missed by their deadline."""
        wanted = target(self.config, ticket.queue, kind)
        assert wanted is not None, f"{ticket.queue} runs no {kind} clock"
        calendar = calendar_for(self.config)
        due = calendar.add_working_days(start, wanted.days)
        if stopped is not None:
            state = "met" if stopped <= due else "missed"
        clock = SlaClock(ticket_id=ticket.id, kind=kind, target_working_days=wanted.days, started_at=start,
                         warn_at=calendar.add_working_days(start, wanted.warn_days), due_at=due,
                         running=stopped is None, state=state, paused_seconds=0.0, stopped_at=stopped)
        self.session.add(clock)
        self.session.flush()
        return clock

    def answered(self, queue: str, received: dt.datetime, replied: dt.datetime, assignee: User | None = None,
                 **times: dt.datetime) -> Ticket:
        """A ticket whose first reply stopped its reply clock."""
        ticket = self.ticket(queue, received, assignee, replied=replied, **times)
        self.clock(ticket, "reply", received, replied)
        return ticket
