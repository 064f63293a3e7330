"""Configuration: the example documents every key, and mistakes name the key and the file."""
from __future__ import annotations

import dataclasses
import tomllib
import typing
from pathlib import Path

import pytest

from tickets import config as config_module
from tickets.config import Config, MailboxConfig, QueueConfig
from tickets.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def _documented_keys(table: dict, prefix: str = "") -> set[str]:
    keys = set()
    for key, value in table.items():
        dotted = f"{prefix}.{key}" if prefix else key
        keys.add(dotted)
        if isinstance(value, dict):
            keys |= _documented_keys(value, dotted)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            keys |= _documented_keys(value[0], dotted)
    return keys


def _expected_keys(cls: type, prefix: str = "") -> set[str]:
    hints = typing.get_type_hints(cls)
    keys = set()
    for field in dataclasses.fields(cls):
        if field.name == "source":
            continue
        dotted = f"{prefix}.{field.name}" if prefix else field.name
        keys.add(dotted)
        kind = hints[field.name]
        args = typing.get_args(kind)
        if dataclasses.is_dataclass(kind):
            keys |= _expected_keys(kind, dotted)
        elif typing.get_origin(kind) is tuple and dataclasses.is_dataclass(args[0]):
            keys |= _expected_keys(args[0], dotted)
    return keys


def test_example_documents_every_key() -> None:
    # Every setting a user can write appears in config.example.toml, so nothing is undocumented.
    documented = _documented_keys(tomllib.loads(EXAMPLE.read_text()))
    expected = _expected_keys(Config) - {"mailboxes", "queues"}
    expected |= {f"mailboxes.support.{f.name}" for f in dataclasses.fields(MailboxConfig)}
    expected |= {f'queues.presales.general.{f.name}' for f in dataclasses.fields(QueueConfig)}
    assert expected - documented == set()


def test_example_loads_and_matches_defaults() -> None:
    # The example is a valid config whose values are the built-in defaults.
    loaded = config_module.load(EXAMPLE)
    assert dataclasses.replace(loaded, source="x", routing=Config().routing) == \
        dataclasses.replace(Config(), source="x")


@pytest.mark.parametrize("text, message", [
    ("[database]\nurll = 'x'\n", "unknown key database.urll"),
    ("[mailboxes.support]\nimap_port = 'x'\n", "mailboxes.support.imap_port must be int"),
    ("[smtp]\ntls = 'maybe'\n", "smtp.tls must be one of ssl, starttls, none"),
    ("[calendar]\nholidays = '2026-12-24'\n", "calendar.holidays must be an array"),
    ("[calendar.hours]\nmonday = '09:00-17:00'\n", "unknown key calendar.hours.monday"),
    ("[sla]\nat_risk_share = true\n", "sla.at_risk_share must be float"),
    ("[database\n", "not valid TOML"),
    ("[queues.returns]\nmailbox = 'sales'\n", "queues.returns.mailbox 'sales' is not a configured mailbox"),
    ("[sla]\ndigest_time = '8h'\n", "sla.digest_time must be a time like"),
    ("[tickets]\nclose_solved_after_days = -1\n", "tickets.close_solved_after_days must be 0 or more, not -1"),
    ("[shop]\nreturn_window_days = -60\n", "shop.return_window_days must be 0 or more, not -60"),
    ("[web]\nsession_idle_minutes = 0\n", "web.session_idle_minutes must be greater than 0"),
    ("[web]\nlogin_attempts_per_15_minutes = -1\n", "web.login_attempts_per_15_minutes must be greater than 0"),
    ("[web]\npassword_hash_memory_kib = 4096\n", "web.password_hash_memory_kib must be at least 19456, not 4096"),
    ("[web]\npassword_hash_iterations = 1\n", "web.password_hash_iterations must be at least 2, not 1"),
    ("[web]\npassword_hash_memory_kib = 100000000\n",
     "web.password_hash_memory_kib must be at most 2097152 (2 GiB), not 100000000"),
])
def test_bad_config_names_key_and_file(tmp_path: Path, text: str, message: str) -> None:
    # A wrong key or type is one error naming the file and the key, not a traceback later.
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        config_module.load(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_queue_table_overrides_one_field(tmp_path: Path) -> None:
    # A queue table changes only what it names; the other policy targets stay.
    path = tmp_path / "c.toml"
    path.write_text('[queues."wholesale"]\nreply_working_days = 4\n')
    loaded = config_module.load(path)
    assert loaded.queues["wholesale"].reply_working_days == 4.0
    assert loaded.queues["returns"].reply_working_days == 1


def test_database_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # HELPDESK_DATABASE_URL overrides the config's database URL (docs/operations.md, "Configuration").
    monkeypatch.setenv("HELPDESK_DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.delenv("HELPDESK_CONFIG", raising=False)
    assert config_module.load(EXAMPLE).database.url == "sqlite:///elsewhere.db"
