"""The console's browser-facing defences: the session secret and the security headers.

Every response gets a strict Content-Security-Policy (no inline script, nothing remote), refuses
to be framed, and forbids MIME sniffing (docs/policies.md). A view that needs a different policy
(the sandboxed mail frame, downloads) sets its own headers first; these are only defaults, except
`Cache-Control: no-store` on every page for a signed-in user: nothing with customer data in it
(ticket pages, lists, search, mail, attachments, report exports) is kept in a cache.
"""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from flask import Response, g

from tickets.config import Config

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
KEY_FILE = "web-secret-key"


def secret_key(config: Config) -> str:
    """The session-signing key: from the config, else its environment variable, else a key file.

    The generated key is kept under the storage folder, so a restart (or a second console worker)
    keeps everyone signed in.
    """
    if config.web.secret_key:
        return config.web.secret_key
    from_env = os.environ.get(config.web.secret_key_env, "") if config.web.secret_key_env else ""
    if from_env:
        return from_env
    return _stored_key(Path(config.storage.path) / KEY_FILE)


def _stored_key(path: Path) -> str:
    """Read the key file, or create it atomically (the first of several workers wins)."""
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
        os.chmod(temp, 0o600)
        os.link(temp, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temp)
    return path.read_text(encoding="ascii").strip()


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Frame-Options", "DENY")
    headers["X-Content-Type-Options"] = "nosniff"
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if g.get("user") is not None:
        headers["Cache-Control"] = "no-store"  # customer data: never kept by the browser or a proxy, downloads too
    return response
