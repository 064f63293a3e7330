"""Re-routing from the console retargets a ticket's clocks from their original start; it meets none."""
from __future__ import annotations

import re
from pathlib import Path

from mailcli import ingest, write_config
from mailfactory import make_mail
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Staff

from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import SlaClock, Ticket


def _clocks(reader: sessionmaker[Session], reference: str) -> dict[str, tuple[str, bool, str]]:
    """kind: (state, running, due in UTC) of each of the ticket's clocks."""
    with reader() as s:
        rows = s.scalars(select(SlaClock).join(Ticket).where(Ticket.reference == reference).order_by(SlaClock.id))
        return {c.kind: (c.state, c.running, f"{c.due_at:%d %H:%M}") for c in rows}


def test_rerouting_into_and_out_of_complaints_retargets_and_never_meets(
        console: Console, reader: sessionmaker[Session], web_config: Config, staff: Staff, tmp_path: Path,
        frozen_clock: FrozenClock) -> None:
    # An order-tracking mail received Tuesday 24th 10:00 (New York) is moved to complaints: its reply clock is
    # due three working days from receipt and a resolution clock starts from receipt;
    # moved back, the reply is due two working days from receipt again and the resolution clock is cancelled.
    reference = ingest(write_config(tmp_path, web_config), frozen_clock, make_mail(date=frozen_clock.now()))["ticket"]
    assert _clocks(reader, reference) == {"reply": ("ok", True, "26 15:00")}
    console.sign_in(staff.admin)
    assert console.post(f"/tickets/{reference}/reroute", {"queue": "complaint.simple"}).status_code == 302
    assert _clocks(reader, reference) == {"reply": ("ok", True, "27 15:00"), "resolution": ("ok", True, "27 15:00")}
    assert console.post(f"/tickets/{reference}/reroute", {"queue": "order.tracking"}).status_code == 302
    assert _clocks(reader, reference) == {"reply": ("ok", True, "26 15:00"),
                                          "resolution": ("cancelled", False, "27 15:00")}
    page = console.get(f"/tickets/{reference}").text
    assert re.search(r"<strong>Resolution[^<]*</strong>.*?stopped, cancelled", page, re.S)
    assert "stopped, met" not in page
