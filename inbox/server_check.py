"""Trying the configured mail servers before going live (`helpdesk check`).

Each check connects as the product will, with the configured TLS mode and certificate checks, logs
in, and says what works; a failure is one line naming the setting to change (`inbox.diagnose`),
made certain by probing the port where the error alone cannot tell TLS at once from plain text.
Nothing is fetched, flagged or sent.
"""
from __future__ import annotations

import dataclasses
import smtplib
from dataclasses import dataclass

from imapclient.exceptions import IMAPClientError

from inbox.diagnose import Endpoint, explain_with_probe, text_of
from inbox.imap import connect as imap_connect
from inbox.sender import connect as smtp_connect
from tickets.config import MailboxConfig, SmtpConfig
from tickets.errors import ConfigError


@dataclass(frozen=True)
class Finding:
    """One checked item: `status` is "ok", "fail" or "skip"; `detail` says what works or what to change."""

    item: str
    status: str
    detail: str


def _tls(tls: str) -> str:
    return {"ssl": "TLS, certificate verified", "starttls": "STARTTLS, certificate verified"}.get(
        tls, "no TLS: passwords and mail cross the network in clear")


def check_imap(name: str, box: MailboxConfig, timeout: float) -> Finding:
    """Log in to `box`'s server and open its folder, read-only."""
    item, endpoint = f"imap {name}", Endpoint.imap(box)
    try:
        client = imap_connect(box, timeout)
    except ConfigError as exc:
        return Finding(item, "fail", str(exc))
    except (IMAPClientError, OSError) as exc:
        return Finding(item, "fail", explain_with_probe(endpoint, exc, timeout))
    try:
        try:
            status = client.select_folder(box.imap_folder, readonly=True)
        except IMAPClientError as exc:
            folders = ", ".join(sorted(str(f[2]) for f in client.list_folders()))
            return Finding(item, "fail", f"folder {box.imap_folder!r}: {text_of(exc)}: set imap_folder to one of: "
                                         f"{folders}")
        waits = "IDLE" if client.has_capability("IDLE") and box.idle else f"polls every {box.poll_interval_seconds:g} s"
        moves = ""
        if box.after_ingest == "move" and not client.has_capability("MOVE"):
            moves = "; no MOVE: stored mail is copied, then deleted"
        return Finding(item, "ok", f"{endpoint.where} ({_tls(box.imap_tls)}), logged in as {box.imap_user}, folder "
                                   f"{box.imap_folder} holds {status[b'EXISTS']} mails; waits with {waits}{moves}")
    finally:
        try:
            client.logout()
        except (IMAPClientError, OSError):
            pass


def check_smtp(smtp: SmtpConfig, timeout: float) -> Finding:
    """Open a session with the SMTP server as the sender does (TLS, login), and close it."""
    if not smtp.host:
        return Finding("smtp", "skip", "no [smtp] host: outgoing mail stays queued")
    endpoint = Endpoint.smtp(smtp)
    try:
        client = smtp_connect(dataclasses.replace(smtp, timeout_seconds=timeout))
    except (smtplib.SMTPException, OSError) as exc:
        return Finding("smtp", "fail", explain_with_probe(endpoint, exc, timeout))
    try:
        client.noop()
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()
    login = f"logged in as {smtp.user}" if smtp.user else "no login ([smtp] user is empty)"
    return Finding("smtp", "ok", f"{endpoint.where} ({_tls(smtp.tls)}), {login}")
