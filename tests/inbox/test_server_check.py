"""`helpdesk check` against a real Dovecot and aiosmtpd servers: every wrong TLS mode, a wrong password
and a missing CA each get an answer naming the setting to change."""
from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from dovecot import Dovecot, TlsFiles, dovecot_server, make_tls_files  # noqa: F401 (the session fixture)
from imapkit import imap_user  # noqa: F401 (a fixture)
from smtpsink import Sink, serving

from cli.main import main as helpdesk
from tickets.clock import FrozenClock
from tickets.config import Config

TIMEOUT = "1"  # loopback servers greet at once; a silent port is a TLS one
# What is checked here is the mail servers; one database backend is enough for the database's line.
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def toml_value(value: object) -> str:
    return json.dumps(value) if isinstance(value, str) else str(value)


def config_file(path: Path, config: Config, imap: dict[str, object] | None = None,
                smtp: dict[str, object] | None = None) -> Path:
    lines = ["[database]", f"url = {json.dumps(config.database.url)}",
             "[storage]", f"path = {json.dumps(config.storage.path)}"]
    for table, fields in (("mailboxes.support", imap), ("smtp", smtp)):
        if fields:
            lines += [f"[{table}]", *(f"{key} = {toml_value(value)}" for key, value in fields.items())]
    path.write_text("\n".join(lines) + "\n")
    return path


Findings = dict[str, dict[str, str]]


def findings(path: Path, clock: FrozenClock, capsys: pytest.CaptureFixture[str]) -> tuple[int, Findings]:
    code = helpdesk(["--config", str(path), "check", "--json", "--timeout", TIMEOUT], clock)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return code, {line["item"]: line for line in lines}


def imap_settings(server: Dovecot, user: str, tls: str, port: str, **extra: object) -> dict[str, object]:
    return {"imap_host": server.host, "imap_port": server.tls_port if port == "tls" else server.port,
            "imap_user": user, "imap_password": server.password, "imap_tls": tls, **extra}


@pytest.mark.parametrize(("tls", "port", "answer"), [
    ("ssl", "plain", 'speaks plain IMAP, not TLS at once: use imap_tls = "starttls"'),
    ("starttls", "tls", 'speaks TLS at once: use imap_tls = "ssl"'),
    ("none", "tls", 'speaks TLS at once: use imap_tls = "ssl"'),
    ("ssl", "tls", "set imap_ca_file to the CA file"),
    ("starttls", "plain", "set imap_ca_file to the CA file"),
])
def test_a_wrong_imap_tls_setting_is_named(config: Config, tmp_path: Path, dovecot_server: Dovecot, imap_user: str,
                                           frozen_clock: FrozenClock, capsys: pytest.CaptureFixture[str],
                                           tls: str, port: str, answer: str) -> None:
    # Each TLS mode that does not fit the port, and a private CA left out, fail with the setting to change.
    path = config_file(tmp_path / "config.toml", config, imap_settings(dovecot_server, imap_user, tls, port))
    code, found = findings(path, frozen_clock, capsys)
    assert code == 1
    assert found["imap support"]["status"] == "fail" and answer in found["imap support"]["detail"]
    assert found["database"]["status"] == "ok" and found["smtp"]["status"] == "skip"


@pytest.mark.parametrize(("tls", "port"), [("none", "plain"), ("starttls", "plain"), ("ssl", "tls")])
def test_a_right_imap_setting_logs_in_and_opens_the_folder(config: Config, tmp_path: Path, dovecot_server: Dovecot,
                                                           imap_user: str, frozen_clock: FrozenClock,
                                                           capsys: pytest.CaptureFixture[str], tls: str,
                                                           port: str) -> None:
    # With the CA file given, every mode that fits its port works, and the answer says what was checked.
    assert dovecot_server.tls is not None
    settings = imap_settings(dovecot_server, imap_user, tls, port, imap_ca_file=str(dovecot_server.tls.ca))
    code, found = findings(config_file(tmp_path / "config.toml", config, settings), frozen_clock, capsys)
    assert code == 0
    detail = found["imap support"]["detail"]
    assert found["imap support"]["status"] == "ok" and f"logged in as {imap_user}" in detail
    assert "folder INBOX holds 0 mails" in detail


def test_a_wrong_imap_password_names_user_and_password(config: Config, tmp_path: Path, dovecot_server: Dovecot,
                                                       imap_user: str, frozen_clock: FrozenClock,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    # A refused login points at the two settings that make it, the variable's name when one is used.
    settings = imap_settings(dovecot_server, imap_user, "none", "plain", imap_password="", imap_password_env="BOX_PW")
    path = config_file(tmp_path / "config.toml", config, settings)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BOX_PW", "wrong")
        code, found = findings(path, frozen_clock, capsys)
    assert code == 1
    assert "failed" in found["imap support"]["detail"]
    assert found["imap support"]["detail"].endswith("check imap_user and $BOX_PW")


@pytest.fixture
def tls_files(tmp_path: Path) -> TlsFiles:
    return make_tls_files(tmp_path / "tls")


@pytest.fixture
def smtp_servers(tls_files: TlsFiles) -> Iterator[dict[str, int]]:
    """Four SMTP servers: plain without STARTTLS, plain with STARTTLS, TLS at once, and one asking a login."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls_files.cert, tls_files.key)

    def refuse(*_: object) -> object:
        from aiosmtpd.smtp import AuthResult

        return AuthResult(success=False, handled=False)

    with serving(Sink()) as plain, serving(Sink(), tls_context=context) as starttls, \
            serving(Sink(), ssl_context=context) as tls, \
            serving(Sink(), authenticator=refuse, auth_required=True, auth_require_tls=False) as login:
        yield {"plain": plain, "starttls": starttls, "tls": tls, "login": login}


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize(("server", "settings", "status", "answer"), [
    ("plain", {"tls": "none"}, "ok", "no login"),
    ("plain", {"tls": "ssl"}, "fail", 'speaks plain SMTP, not TLS at once: use [smtp] tls = "starttls"'),
    ("plain", {"tls": "starttls"}, "fail", 'does not offer STARTTLS: use [smtp] tls = "ssl"'),
    ("tls", {"tls": "starttls"}, "fail", 'speaks TLS at once: use [smtp] tls = "ssl"'),
    ("tls", {"tls": "none"}, "fail", 'speaks TLS at once: use [smtp] tls = "ssl"'),
    ("tls", {"tls": "ssl"}, "fail", "set [smtp] ca_file to the CA file"),
    ("starttls", {"tls": "starttls"}, "fail", "set [smtp] ca_file to the CA file"),
    ("starttls", {"tls": "starttls", "ca_file": "CA"}, "ok", "STARTTLS, certificate verified"),
    ("tls", {"tls": "ssl", "ca_file": "CA"}, "ok", "TLS, certificate verified"),
    ("login", {"tls": "none", "user": "helpdesk", "password": "wrong"}, "fail",
     "login as helpdesk at 127.0.0.1"),
])
def test_each_smtp_setting_is_checked(config: Config, tmp_path: Path, frozen_clock: FrozenClock,
                                      capsys: pytest.CaptureFixture[str], smtp_servers: dict[str, int],
                                      tls_files: TlsFiles, server: str, settings: dict[str, object], status: str,
                                      answer: str) -> None:
    # Each wrong TLS mode, a missing CA file and a refused login name what to change; right settings pass.
    fields = {"host": "127.0.0.1", "port": smtp_servers[server], **settings}
    if fields.get("ca_file") == "CA":
        fields["ca_file"] = str(tls_files.ca)
    code, found = findings(config_file(tmp_path / "config.toml", config, smtp=fields), frozen_clock, capsys)
    assert (code, found["smtp"]["status"]) == ((0, "ok") if status == "ok" else (1, "fail"))
    assert answer in found["smtp"]["detail"]
    if server == "login":
        assert found["smtp"]["detail"].endswith("check [smtp] user and [smtp] password")


def test_the_text_report_has_one_line_per_item(config: Config, tmp_path: Path, frozen_clock: FrozenClock,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    # Without --json: one aligned line per item, its status first; nothing configured is no failure.
    code = helpdesk(["--config", str(config_file(tmp_path / "config.toml", config)), "check"], frozen_clock)
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert [line.split()[:2] for line in lines] == [["ok", "config"], ["ok", "database"], ["skip", "imap"],
                                                    ["skip", "smtp"]]
