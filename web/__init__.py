"""The agent console: `create_app(config)` builds the Flask application (docs/architecture.md).

Blueprints, one job each: `auth` (sign-in, and the gate every request passes), `queues`
(overview, lists, bulk actions), `search`, `tickets` (the ticket page, mail HTML, attachments),
`actions` (what an agent does to a ticket), `presence` (who else is on a ticket), `admin`
(users, mailboxes, quarantine, outbox), `reports` and `health` (/healthz, /readyz).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from services import Services
from templates import FOLDER as TEMPLATES
from tickets.config import Config
from tickets.errors import Conflict, HelpdeskError, InputError, NotFound, PermissionDenied
from web.context import close_db
from web.inputs import RowIdConverter
from web.security import add_security_headers, secret_key

MAX_FORM_BYTES = 2 * 1024 * 1024
_ERRORS: dict[type[HelpdeskError], tuple[int, str]] = {
    PermissionDenied: (403, "Not allowed"), NotFound: (404, "Not found"), InputError: (400, "Bad request"),
    Conflict: (409, "Not possible"),
}


def create_app(config: Config, services: Services | None = None) -> Flask:
    """The console for `config`, on `services` (built from the config unless given): the same
    encryption, clocks and listeners as every other part of the product."""
    from web import (
        actions,
        admin,
        admin_mail,  # noqa: F401  (adds the quarantine and outbox pages to admin.bp)
        admin_privacy,  # noqa: F401  (adds the privacy export and erasure pages to admin.bp)
        auth,
        filters,
        health,
        merging,
        presence,
        queues,
        reply,
        reports,
        search,
        tickets,
    )

    services = services or Services.build(config)
    app = Flask(__name__, template_folder=str(TEMPLATES), static_folder="static")
    app.url_map.converters["int"] = RowIdConverter  # before any route is added: ids past the columns are 404
    app.extensions["helpdesk"] = services
    app.config.update(
        SECRET_KEY=secret_key(config), SESSION_COOKIE_NAME="helpdesk_session", SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=config.web.secure_cookies,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=config.web.session_minutes), SESSION_REFRESH_EACH_REQUEST=False,
        WTF_CSRF_TIME_LIMIT=None, MAX_CONTENT_LENGTH=MAX_FORM_BYTES)
    app.before_request(reply.allow_large_replies)  # before the CSRF check reads the form
    app.register_error_handler(413, reply.too_large)
    if config.web.trusted_proxies:
        # The client's address (sign-in limit, audit log) and scheme as the proxies in front saw them.
        hops = config.web.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    CSRFProtect(app)
    for blueprint in (health.bp, auth.bp, queues.bp, search.bp, tickets.bp, actions.bp, reply.bp, merging.bp,
                      presence.bp, admin.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(reports.bp)
    filters.register(app, config, services.calendar)
    app.teardown_appcontext(close_db)
    app.after_request(add_security_headers)
    _register_errors(app)
    return app


def _error_page(status: int, title: str, message: str | None = None) -> Callable[[Exception], tuple[str, int]]:
    def handler(error: Exception) -> tuple[str, int]:
        return render_template("web/error.html", title=title, message=message or str(error)), status
    return handler


def _register_errors(app: Flask) -> None:
    for kind, (status, title) in _ERRORS.items():
        app.register_error_handler(kind, _error_page(status, title))
    expired = _error_page(
        400, "Form expired", "This form has expired or did not come from this console. Reload the page and try again.")

    def form_expired(error: Exception) -> tuple[str, int]:
        from web.auth import expired_sign_in

        return expired_sign_in() or expired(error)

    app.register_error_handler(CSRFError, form_expired)
