"""The demo's "sent mail" page: what the SMTP sink caught, for admins, in `helpdesk demo` only."""
from __future__ import annotations

import email
import mailbox
from email import policy
from email.parser import BytesParser
from pathlib import Path

from flask import Blueprint, Flask, abort, render_template

from tickets.access import require_admin
from web.context import me

PAGE = 100
_HEADERS = BytesParser(policy=policy.default)


def register(app: Flask, folder: Path) -> None:
    """Add the page to the console, reading the sink's Maildir at `folder`."""
    bp = Blueprint("demo_mail", __name__, url_prefix="/admin/demo-mail")
    bp.before_request(lambda: require_admin(me()))

    box = mailbox.Maildir(folder, factory=None, create=True)
    listed: dict[str, dict[str, str]] = {}  # a caught mail never changes: its list line is read once

    def caught() -> list[tuple[str, dict[str, str]]]:
        keys = sorted(box.keys())[-PAGE:]  # Maildir names start with the delivery time
        for key in keys:
            if key not in listed:
                headers = _HEADERS.parsebytes(box.get_bytes(key), headersonly=True)
                listed[key] = {name: str(headers[name] or "") for name in ("Date", "To", "Subject")}
        return [(key, listed[key]) for key in reversed(keys)]

    @bp.get("/")
    def index() -> str:
        return render_template("web/admin/demo_mail.html", mails=caught(), chosen=None)

    @bp.get("/<key>")
    def show(key: str) -> str:
        mails = caught()
        if key not in {k for k, _ in mails}:
            abort(404)
        chosen = email.message_from_bytes(box.get_bytes(key), policy=policy.default)
        body = chosen.get_body(("plain",))
        return render_template("web/admin/demo_mail.html", mails=mails, chosen=chosen,
                               body=body.get_content() if body else "")

    app.register_blueprint(bp)
    app.context_processor(lambda: {"demo_sink": True})  # the admin menu links the page
