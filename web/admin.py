"""Admin pages: the dashboard, users and roles, mailbox health. Admins only (`tickets.access`).

Every change to an account (creation, role, queues, deactivation) is an audit event. The last
active admin cannot be demoted or deactivated, so the console never locks itself out.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import ColumnElement, func, select
from werkzeug.wrappers import Response

from tickets.access import require_admin
from tickets.audit import ROLE_CHANGE
from tickets.console_sessions import end_all
from tickets.errors import ConfigError, Conflict, HelpdeskError, InputError, NotFound
from tickets.models import MailboxState, Outbox, Quarantine, Role, User
from tickets.users import ROLES, add_user, new_password, other_active_admins
from web import audit
from web.context import config, db, me, now, services
from web.inputs import row_id

bp = Blueprint("admin", __name__, url_prefix="/admin")

USERS_PAGE = 100


@bp.before_request
def admins_only() -> None:
    require_admin(me())


@bp.errorhandler(Conflict)
@bp.errorhandler(InputError)
@bp.errorhandler(ConfigError)
def refused(error: HelpdeskError) -> Response:
    """A refused change comes back to the page it was made on, with its reason."""
    db().rollback()
    flash(str(error), "error")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(request.host_url)
                    else url_for("admin.dashboard"))


@bp.get("/")
def dashboard() -> str:
    def count(model: type, *where: ColumnElement[bool]) -> int:
        return db().scalar(select(func.count()).select_from(model).where(*where)) or 0

    return render_template("web/admin/dashboard.html", users=count(User, User.active.is_(True)),
                           held=count(Quarantine, Quarantine.status == "held"),
                           pending=count(Outbox, Outbox.status.in_(("pending", "sending"))),
                           failed=count(Outbox, Outbox.status == "failed"))


@bp.get("/users")
def users() -> str:
    after = request.args.get("after", type=row_id) or 0
    rows = list(db().scalars(select(User).where(User.id > after).order_by(User.id).limit(USERS_PAGE + 1)))
    return render_template("web/admin/users.html", users=rows[:USERS_PAGE], roles=ROLES, queues=list(config().queues),
                           next_after=rows[USERS_PAGE - 1].id if len(rows) > USERS_PAGE else None)


def _queues(chosen: list[str]) -> list[str]:
    unknown = [q for q in chosen if q not in config().queues]
    if unknown:
        raise InputError(f"unknown queue {unknown[0]!r}")
    return chosen


@bp.post("/users")
def create_user() -> Response:
    """A new account; without a password given, one is generated and shown once."""
    password = request.form.get("password", "") or new_password()
    user = add_user(db(), services().passwords, request.form.get("email", ""), request.form.get("role", ""),
                    _queues(request.form.getlist("queues")), password, now(), name=request.form.get("name", ""))
    audit.record(db(), ROLE_CHANGE, user.email, before=None, after={"role": user.role, "queues": user.queue_list,
                                                                     "active": user.active})
    db().commit()
    shown = "" if request.form.get("password") else f" Password (shown once): {password}"
    flash(f"User {user.email} created.{shown}", "ok")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>")
def update_user(user_id: int) -> Response:
    """Change role, queues and whether the account may sign in (deactivating ends its sessions)."""
    user = db().get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    role, active = request.form.get("role", user.role), request.form.get("active") == "1"
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}")
    demoted = role != Role.ADMIN.value or not active
    if user.role == Role.ADMIN.value and demoted and not other_active_admins(db(), user):
        raise Conflict(f"{user.email} is the last active admin")
    before = {"role": user.role, "queues": user.queue_list, "active": user.active}
    user.role, user.queues, user.active = role, ",".join(_queues(request.form.getlist("queues"))), active
    after = {"role": user.role, "queues": user.queue_list, "active": user.active}
    if before["active"] and not active:
        end_all(db(), user.id)  # a deactivated account's open consoles close at once
    if after != before:
        audit.record(db(), ROLE_CHANGE, user.email, before=before, after=after)
    db().commit()
    flash(f"User {user.email} saved.", "ok")
    return redirect(url_for("admin.users"))


@bp.get("/mailboxes")
def mailboxes() -> str:
    """Each configured mailbox with its poller's health: last success, last error, backlog."""
    states = {s.mailbox: s for s in db().scalars(select(MailboxState))}
    held = dict(db().execute(select(Quarantine.mailbox, func.count()).where(Quarantine.status == "held")
                             .group_by(Quarantine.mailbox)).all())
    boxes = [(name, box, states.get(name), held.get(name, 0)) for name, box in config().mailboxes.items()]
    return render_template("web/admin/mailboxes.html", boxes=boxes)
