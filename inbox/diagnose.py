"""What went wrong talking to a mail server, in one line that names the setting to change.

The IMAP pollers put this line in a mailbox's health, the SMTP sender in an outbox row's error,
and `helpdesk check` prints it, after probing the port when the error alone cannot tell TLS at
once from plain text (`probe_port`): a client speaking TLS to a plain port gets
`WRONG_VERSION_NUMBER`, and one waiting for a plain greeting on a TLS port gets nothing at all.
"""
from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass

from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

from tickets.config import MailboxConfig, SmtpConfig

# OpenSSL's reasons when the other end does not answer a TLS handshake with TLS.
_NOT_TLS = ("WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "PACKET_LENGTH_TOO_LONG", "RECORD_LAYER_FAILURE",
            "HTTP_REQUEST", "UNEXPECTED_EOF", "EOF occurred")
# X509_V_ERR_* codes (openssl verify(1)) that a private CA in the CA file cures.
_UNKNOWN_ISSUER = (2, 18, 19, 20, 21)
_HOSTNAME_MISMATCH = 62
_EXPIRED = 10


class NoStartTls(OSError):
    """The server does not offer STARTTLS, though the configuration asks for it."""


@dataclass(frozen=True)
class Endpoint:
    """A mail server as configured, and the names of the settings that describe it."""

    protocol: str  # "IMAP" or "SMTP"
    host: str
    port: int
    tls: str
    user: str
    host_key: str
    port_key: str
    tls_key: str
    ca_key: str
    user_key: str
    password_key: str
    tls_port: int  # the usual port of TLS at once

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    @classmethod
    def imap(cls, box: MailboxConfig) -> Endpoint:
        password = f"${box.imap_password_env}" if box.imap_password_env else "imap_password"
        return cls("IMAP", box.imap_host, box.imap_port, box.imap_tls, box.imap_user, "imap_host", "imap_port",
                   "imap_tls", "imap_ca_file", "imap_user", password, 993)

    @classmethod
    def smtp(cls, smtp: SmtpConfig) -> Endpoint:
        password = f"${smtp.password_env}" if smtp.password_env else "[smtp] password"
        return cls("SMTP", smtp.host, smtp.port, smtp.tls, smtp.user, "[smtp] host", "[smtp] port", "[smtp] tls",
                   "[smtp] ca_file", "[smtp] user", password, 465)


def text_of(exc: BaseException) -> str:
    """An exception's message on one line, without the b'...' of IMAP server answers."""
    text = str(exc)
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]
    return " ".join(text.split()) or type(exc).__name__


def not_tls(exc: BaseException) -> bool:
    """A TLS handshake answered by something other than TLS (plain text, or nothing)."""
    return isinstance(exc, ssl.SSLError) and not isinstance(exc, ssl.SSLCertVerificationError) and any(
        reason in str(exc) for reason in _NOT_TLS)


def explain(endpoint: Endpoint, exc: BaseException) -> str:
    """One line: what failed at `endpoint`, and which setting to change when a setting can cure it."""
    where, tls_key = endpoint.where, endpoint.tls_key
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _certificate(endpoint, exc)
    if not_tls(exc) and endpoint.tls == "ssl":
        return (f"{where} does not speak TLS at once: use {tls_key} = \"starttls\" on this port, or "
                f"{endpoint.port_key} = {endpoint.tls_port} (TLS at once) with \"ssl\"")
    if isinstance(exc, NoStartTls) or (isinstance(exc, IMAPClientAbortError) and "TLS not supported" in str(exc)):
        return (f"{where} does not offer STARTTLS: use {tls_key} = \"ssl\" with {endpoint.port_key} = "
                f"{endpoint.tls_port}, or \"none\" only on a network you trust")
    if isinstance(exc, (LoginError, smtplib.SMTPAuthenticationError)):
        refusal, keys = _answer(exc).rstrip("."), f"{endpoint.user_key} and {endpoint.password_key}"
        return f"login as {endpoint.user} at {where} failed: {refusal}: check {keys}"
    if isinstance(exc, ConnectionRefusedError):
        return f"connection to {where} failed: refused: check {endpoint.host_key} and {endpoint.port_key}"
    if isinstance(exc, socket.gaierror):
        return f"connection to {where} failed: cannot find {endpoint.host}: check {endpoint.host_key}"
    if isinstance(exc, TimeoutError) and endpoint.tls != "ssl":
        return (f"connection to {where} failed: no greeting (timed out): if the port speaks TLS at once "
                f"(usually {endpoint.tls_port}), use {tls_key} = \"ssl\"")
    if isinstance(exc, OSError):  # reset, unreachable, a TLS handshake that broke off
        return f"connection to {where} failed: {exc.strerror or text_of(exc)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"SMTP server {where} refused the session: {_answer(exc)}"
    if isinstance(exc, IMAPClientError):
        return f"IMAP error from {where}: {text_of(exc)}"
    return f"{type(exc).__name__}: {text_of(exc)}"


def _answer(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return f"{exc.smtp_code} {' '.join(str(error).split())}"
    return text_of(exc)


def _certificate(endpoint: Endpoint, exc: ssl.SSLCertVerificationError) -> str:
    rejected = f"TLS certificate of {endpoint.where} rejected: {exc.verify_message}"
    if exc.verify_code in _UNKNOWN_ISSUER:
        return f"{rejected}: set {endpoint.ca_key} to the CA file that signed the server's certificate"
    if exc.verify_code == _HOSTNAME_MISMATCH:
        return f"{rejected}: set {endpoint.host_key} to a name the certificate is for"
    if exc.verify_code == _EXPIRED:
        return f"{rejected}: the server's certificate must be renewed"
    return rejected


def probe_port(host: str, port: int, timeout: float) -> str:
    """What a port speaks: "tls" (a TLS handshake succeeds at once), "plain" (it greets in plain
    text), or "" (neither, or nothing listens). Certificates are not checked: this only asks
    which protocol the port speaks."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            try:
                if sock.recv(1, socket.MSG_PEEK):
                    return "plain"
            except TimeoutError:
                pass  # silent: perhaps it waits for a TLS client hello
    except OSError:
        return ""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock, \
                context.wrap_socket(sock, server_hostname=host):
            return "tls"
    except (OSError, ssl.SSLError):
        return ""


def explain_with_probe(endpoint: Endpoint, exc: BaseException, timeout: float) -> str:
    """`explain`, made certain by probing the port when the TLS mode may be wrong."""
    mode_may_be_wrong = (not_tls(exc) or isinstance(exc, (TimeoutError, ConnectionResetError, ssl.SSLEOFError))
                         or (isinstance(exc, IMAPClientAbortError) and "EOF" in str(exc))
                         or isinstance(exc, smtplib.SMTPServerDisconnected))
    if not mode_may_be_wrong:
        return explain(endpoint, exc)
    speaks = probe_port(endpoint.host, endpoint.port, timeout)
    if speaks == "tls" and endpoint.tls != "ssl":
        return f"port {endpoint.port} speaks TLS at once: use {endpoint.tls_key} = \"ssl\""
    if speaks == "plain" and endpoint.tls == "ssl":
        return (f"port {endpoint.port} speaks plain {endpoint.protocol}, not TLS at once: use {endpoint.tls_key} = "
                f"\"starttls\" (or {endpoint.port_key} = {endpoint.tls_port} with \"ssl\")")
    return explain(endpoint, exc)
