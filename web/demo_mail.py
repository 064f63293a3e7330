"""The demo's "sent mail" page: what the SMTP sink caught, for admins, in `helpdesk demo` only."""
from __future__ import annotations

import email
import mailbox
from email import policy
from pathlib import Path

from flask import Blueprint, Flask, abort, render_template

from tickets.access import require_admin
from web.context import me

PAGE = 100


def register(app: Flask, folder: Path) -> None:
    """Add the page to the console, reading the sink's Maildir at `folder`."""
    bp = Blueprint("demo_mail", __name__, url_prefix="/admin/demo-mail")
    bp.before_request(lambda: require_admin(me()))

    def caught() -> list[tuple[str, email.message.EmailMessage]]:
        box = mailbox.Maildir(folder, factory=None, create=True)
        keys = sorted(box.keys())[-PAGE:]  # Maildir names start with the delivery time
        return [(key, email.message_from_bytes(box.get_bytes(key), policy=policy.default)) for key in reversed(keys)]

    @bp.get("/")
    def index() -> str:
        return render_template("web/admin/demo_mail.html", mails=caught(), chosen=None)

    @bp.get("/<key>")
    def show(key: str) -> str:
        mails = caught()
        chosen = next((msg for k, msg in mails if k == key), None)
        if chosen is None:
            abort(404)
        body = chosen.get_body(("plain",))
        return render_template("web/admin/demo_mail.html", mails=mails, chosen=chosen,
                               body=body.get_content() if body else "")

    app.register_blueprint(bp)
    app.context_processor(lambda: {"demo_sink": True})  # the admin menu links the page
