"""The audit log: events are recorded with who, what, when and where; the database refuses to change
or delete them; `helpdesk audit` lists them."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from mailfactory import make_mail
from privacy_support import Ingest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from cli.privacy import parse_since
from tickets import audit, crypto, subject_rights
from tickets.clock import FrozenClock
from tickets.models import AuditEvent, Customer


def test_events_are_recorded_and_read_back_since_a_date(session: Session, frozen_clock: FrozenClock) -> None:
    # Each event keeps actor, action, target, address and detail, stamped with the clock; `since` filters.
    audit.record(session, "ada@aeropressmall.com", audit.SIGN_IN, "user:1", "203.0.113.9", at=frozen_clock.now())
    frozen_clock.advance(dt.timedelta(days=2))
    audit.record(session, "ada@aeropressmall.com", audit.VIEW, "ticket:HD-7", "203.0.113.9", at=frozen_clock.now(),
                 fields=["customer"])
    session.commit()
    later = list(audit.events(session, frozen_clock.now() - dt.timedelta(days=1)))
    assert [(e.action, e.target, e.address, e.detail) for e in later] == [
        (audit.VIEW, "ticket:HD-7", "203.0.113.9", {"fields": ["customer"]})]
    assert later[0].at == frozen_clock.now() and len(list(audit.events(session))) == 2


@pytest.mark.parametrize("statement", [
    update(AuditEvent).values(actor="someone else"),
    delete(AuditEvent),
    text("UPDATE audit_events SET action = 'nothing'"),
    text("DELETE FROM audit_events"),
])
def test_the_database_refuses_to_rewrite_the_log(session: Session, statement: object,
                                                 frozen_clock: FrozenClock) -> None:
    # No UPDATE or DELETE reaches an audit row, through the ORM or by hand.
    audit.record(session, "cli:root", audit.RETENTION, "tickets", "local", at=frozen_clock.now(), tickets=3)
    session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(statement)  # type: ignore[call-overload]
    session.rollback()
    assert session.scalar(select(AuditEvent.actor)) == "cli:root"


def test_a_correction_is_audited_by_field_name_not_value(session: Session, sealed: crypto.Keyring,
                                                        ingest: Ingest, frozen_clock: FrozenClock) -> None:
    # Correcting a customer's details records which fields changed, naming the customer by id only.
    ingest(make_mail(sender="Rosa Kettleby <rosa@example.com>"))
    customer = session.scalar(select(Customer))
    assert customer is not None
    now = frozen_clock.now()
    assert subject_rights.correct(session, customer, "ada@aeropressmall.com", now, name="Rosa Kettleby-Vance",
                                  address="9 Mill Lane", origin="203.0.113.9") == ["name", "address"]
    assert subject_rights.correct(session, customer, "ada@aeropressmall.com", now, name="Rosa Kettleby-Vance") == []
    session.commit()
    [event] = audit.events(session)
    assert (event.action, event.target, event.detail) == (audit.CORRECTION, f"customer:{customer.id}",
                                                          {"fields": ["name", "address"]})
    assert "Mill" not in json.dumps(audit.as_record(event)) and "rosa" not in json.dumps(audit.as_record(event))


def test_audit_command_prints_events_as_json_lines_or_a_table(run_cli, session: Session,  # type: ignore[no-untyped-def]
                                                              frozen_clock: FrozenClock) -> None:
    # `helpdesk audit --json --since DATE` prints one JSON object per event; a bad date is one clear line.
    audit.record(session, "cli:root", audit.RETENTION, "tickets", "local", at=frozen_clock.now(), tickets=0)
    session.commit()
    code, out, _ = run_cli("audit", "--json", "--since", frozen_clock.now().date().isoformat())
    assert code == 0 and [json.loads(line)["action"] for line in out.splitlines()] == [audit.RETENTION]
    code, out, _ = run_cli("audit", "--since", "2099-01-01")
    assert code == 0 and out == ""
    code, out, _ = run_cli("audit")
    assert code == 0 and "cli:root  retention_run  tickets  local" in out
    code, _, err = run_cli("audit", "--since", "last tuesday")
    assert code == 1 and err == ("helpdesk: --since 'last tuesday' is not an ISO 8601 date or date-time "
                                 "(e.g. 2026-11-01)\n")


def test_since_without_an_offset_is_utc() -> None:
    # A bare date means midnight UTC.
    assert parse_since("2026-11-01") == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
