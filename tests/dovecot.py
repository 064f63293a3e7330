"""A private Dovecot IMAP server on loopback, for tests and benchmarks.

One `dovecot -F` process per test session, with its own config, sockets, log and Maildirs in a
temp folder; each test takes a fresh user (`Dovecot.add_user`), so tests never see each other's
mail. The users are written to the passwd-file before the start (Dovecot re-reads a changed file
only after a delay), all with one password; a Maildir appears at a user's first login.

Dovecot refuses to run its login process as root, and its mail processes refuse root too: logins
run as `dovenull`, internal services as `dovecot`, and every mailbox belongs to `dovenull`
(`first_valid_uid` lowered so that system uid is accepted). Nothing is installed or added to the
system's users. Dovecot's growing delay after failed logins (the anvil auth penalty) is switched
off, so wrong-password tests stay fast. Without /usr/sbin/dovecot the fixtures skip with
"needs a server".
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from imapclient import IMAPClient

DOVECOT = "/usr/sbin/dovecot"
PASSWORD = "s3cret-test"
MAIL_OWNER = "dovenull"
USERS = 400

CONFIG = """\
base_dir = {root}/run
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/tls/server.pem
ssl_key = <{root}/tls/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{root}/mail/%u
mail_fsync = never
# A test run on another date (libfaketime) reaches Dovecot's own processes too; unset, nothing changes.
import_environment = TZ CORE_OUTOFMEM CORE_ERROR LISTEN_PID LISTEN_FDS LD_PRELOAD FAKETIME FAKETIME_DONT_FAKE_MONOTONIC
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


@dataclass(frozen=True)
class TlsFiles:
    """A private CA and a server certificate for 127.0.0.1 and localhost it signed (PEM files)."""

    ca: Path
    cert: Path
    key: Path


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_tls_files(folder: Path) -> TlsFiles:
    """Certificates no system trusts: verification succeeds only when given the CA file."""
    folder.mkdir(parents=True, exist_ok=True)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("helpdesk test CA")).issuer_name(_name("helpdesk test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(start).not_valid_after(start + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    server = (x509.CertificateBuilder().subject_name(_name("localhost")).issuer_name(ca.subject)
              .public_key(key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(start).not_valid_after(start + dt.timedelta(days=30))
              .add_extension(x509.SubjectAlternativeName(names), critical=False)
              .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
              .sign(ca_key, hashes.SHA256()))
    files = TlsFiles(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    files.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files.cert.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    files.key.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    return files


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited: {log.read_text(errors='replace') if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("dovecot did not open its port")


@dataclass
class Dovecot:
    """A running server: `add_user()` gives a fresh mailbox owner, `client()` logs in as one."""

    root: Path
    port: int
    tls_port: int
    process: subprocess.Popen[bytes] | None = None
    _counter: Iterator[int] = field(default_factory=itertools.count)
    host: str = "127.0.0.1"
    password: str = PASSWORD
    tls: TlsFiles | None = None

    def start(self) -> None:
        owner = pwd.getpwnam(MAIL_OWNER)
        (self.root / "mail").mkdir(parents=True)
        (self.root / "home").mkdir()
        for sub in ("mail", "home"):
            os.chown(self.root / sub, owner.pw_uid, owner.pw_gid)
        (self.root / "passwd").write_text("".join(f"box{n}:{{PLAIN}}{self.password}\n" for n in range(USERS)))
        self.tls = make_tls_files(self.root / "tls")
        conf = self.root / "dovecot.conf"
        conf.write_text(CONFIG.format(root=self.root, port=self.port, tls_port=self.tls_port, uid=owner.pw_uid,
                                      gid=owner.pw_gid))
        self.resume()

    def resume(self) -> None:
        """Start the server again after `stop`, with the same config, users and mail (a restart)."""
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        _wait_for_port(self.port, self.process, self.root / "dovecot.log")

    def stop(self) -> None:
        """Stop the server and every process it started. Dovecot's own shutdown can wait seconds on a
        login process; what is left after a short grace is killed, as a crash would."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()

    def add_user(self) -> str:
        """A user nobody has used yet: an empty INBOX."""
        number = next(self._counter)
        if number >= USERS:
            raise RuntimeError(f"all {USERS} test users are taken; raise dovecot.USERS")
        return f"box{number}"

    def client(self, user: str) -> IMAPClient:
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=30)
        client.login(user, self.password)
        return client

    def append(self, user: str, messages: list[bytes], folder: str = "INBOX") -> None:
        """Deliver `messages` to the user's folder by IMAP APPEND (created if missing).

        Each is stamped with this process's clock as its INTERNALDATE. Left to itself, Dovecot takes a
        Maildir file's modification time, which the kernel sets: a run on a faked date (libfaketime)
        would receive mail months before it reads its clock."""
        now = dt.datetime.now(dt.UTC)
        with self.client(user) as client:
            if folder != "INBOX" and not client.folder_exists(folder):
                client.create_folder(folder)
            for start in range(0, len(messages), 200):
                client.multiappend(folder, [{"msg": message, "date": now} for message in messages[start:start + 200]])


def start_dovecot() -> Dovecot:
    """Start a private Dovecot (the caller stops it), or skip when it cannot run here."""
    if not Path(DOVECOT).exists():
        pytest.skip("needs a server: dovecot not installed")
    if os.geteuid() != 0:
        pytest.skip("needs a server: dovecot must be started as root (it switches to dovecot/dovenull)")
    root = Path(tempfile.mkdtemp(prefix="helpdesk-dovecot-"))
    root.chmod(0o755)  # the mail owner must reach its Maildirs below
    server = Dovecot(root=root, port=free_port(), tls_port=free_port())
    try:
        server.start()
    except BaseException:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[Dovecot]:
    """One Dovecot for the whole test session."""
    server = start_dovecot()
    yield server
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)
