"""`helpdesk user list|passwd|deactivate` and `helpdesk stats`, as an administrator uses them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from mailfactory import make_mail
from sqlalchemy import select

from cli.main import main as helpdesk
from inbox.acks import Acknowledger
from inbox.ingest import Ingestor, RawMail
from services import Services
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import AuditEvent, User


@pytest.fixture
def config_path(config: Config, tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f"[database]\nurl = {json.dumps(config.database.url)}\n"
                    f"[storage]\npath = {json.dumps(config.storage.path)}\n")
    return path


def run(config_path: Path, clock: FrozenClock, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = helpdesk(["--config", str(config_path), *args], clock)
    out, err = capsys.readouterr()
    return code, out, err


def password_of(out: str) -> str:
    return out.rsplit("(shown once): ", 1)[1].strip()


def account(services: Services, email: str) -> User:
    with services.readonly() as session:
        found = session.scalar(select(User).where(User.email == email))
        assert found is not None
        return found


def test_list_shows_every_account(config_path: Path, frozen_clock: FrozenClock, capsys: pytest.CaptureFixture[str],
                                  services: Services) -> None:
    # Accounts in email order with role, queues and whether they may sign in; --json for scripts.
    run(config_path, frozen_clock, capsys, "user", "add", "sam@aeropressmall.com", "--role", "agent",
        "--queues", "returns,refunds")
    run(config_path, frozen_clock, capsys, "user", "add", "ada@aeropressmall.com", "--role", "admin")
    code, out, _ = run(config_path, frozen_clock, capsys, "user", "list", "--json")
    assert code == 0
    assert [json.loads(line) for line in out.splitlines()] == [
        {"email": "ada@aeropressmall.com", "name": "ada", "role": "admin", "queues": [], "active": True},
        {"email": "sam@aeropressmall.com", "name": "sam", "role": "agent", "queues": ["returns", "refunds"],
         "active": True}]
    _, text, _ = run(config_path, frozen_clock, capsys, "user", "list")
    assert text.splitlines()[1].split() == ["sam@aeropressmall.com", "agent", "active", "returns,refunds"]


def test_passwd_gives_a_locked_out_admin_a_new_password(config_path: Path, frozen_clock: FrozenClock,
                                                        capsys: pytest.CaptureFixture[str], services: Services) -> None:
    # The new password works at once, the old one no longer does, and the reset is audited.
    _, out, _ = run(config_path, frozen_clock, capsys, "user", "add", "ada@aeropressmall.com", "--role", "admin")
    old = password_of(out)
    code, out, _ = run(config_path, frozen_clock, capsys, "user", "passwd", "ADA@aeropressmall.com")
    assert code == 0
    new = password_of(out)
    ada = account(services, "ada@aeropressmall.com")
    assert services.passwords.verify(ada, new) and not services.passwords.verify(ada, old)
    with services.readonly() as session:
        assert session.scalar(select(AuditEvent.action).where(AuditEvent.action == "password_reset")) is not None
    code, _, err = run(config_path, frozen_clock, capsys, "user", "passwd", "nobody@aeropressmall.com")
    assert code == 1 and err == "helpdesk: no user nobody@aeropressmall.com\n"


def test_deactivate_stops_sign_in_but_never_the_last_admin(config_path: Path, frozen_clock: FrozenClock,
                                                           capsys: pytest.CaptureFixture[str],
                                                           services: Services) -> None:
    # An agent is deactivated (audited as a role change); the only active admin is not, or nobody could
    # manage users.
    run(config_path, frozen_clock, capsys, "user", "add", "ada@aeropressmall.com", "--role", "admin")
    run(config_path, frozen_clock, capsys, "user", "add", "sam@aeropressmall.com", "--role", "agent")
    code, out, _ = run(config_path, frozen_clock, capsys, "user", "deactivate", "sam@aeropressmall.com")
    assert code == 0 and "deactivated" in out
    assert not account(services, "sam@aeropressmall.com").active
    code, _, err = run(config_path, frozen_clock, capsys, "user", "deactivate", "ada@aeropressmall.com")
    assert code == 1 and err == "helpdesk: ada@aeropressmall.com is the last active admin\n"
    assert account(services, "ada@aeropressmall.com").active


def test_stats_counts_inbound_and_outbound_apart(config_path: Path, frozen_clock: FrozenClock,
                                                 capsys: pytest.CaptureFixture[str], services: Services,
                                                 config: Config) -> None:
    # Two customer mails open two tickets, each acknowledged: two in, two out; `messages` keeps its
    # meaning (inbound), and the acknowledgements wait in the outbox.
    ingestor = Ingestor(config, services.store, services.clock, acknowledge=Acknowledger(config, services.calendar))
    with services.sessions.begin() as session:
        ingestor.ingest_batch(session, [RawMail(make_mail(sender=f"C{n} <c{n}@example.com>",
                                                          message_id=f"<s{n}@example.com>"), f"t{n}")
                                        for n in range(2)], "support")
    code, out, _ = run(config_path, frozen_clock, capsys, "stats", "--json")
    assert code == 0
    assert json.loads(out) == {"tickets": 2, "messages": 2, "quarantined": 0, "outbox_pending": 2, "outbox_sent": 0,
                               "messages_inbound": 2, "messages_outbound": 2, "outbox_failed": 0}
