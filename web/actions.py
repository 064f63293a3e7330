"""What an agent does to one ticket: every action a POST with a CSRF token, through tickets.operations.

A refused action (a merge into itself, an unknown queue, an empty reply) rolls back and comes
back to the ticket page with its one-line reason; nothing is half done.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from tickets import operations, refunds, subject_rights
from tickets.access import can_view
from tickets.errors import Conflict, InputError
from tickets.models import Customer, Ticket, User
from web.context import client_address, config, db, me, now
from web.inputs import row_id
from web.loaders import ticket_or_404
from web.merging import merge_plan, merge_target

bp = Blueprint("actions", __name__)

STATUS_LABELS = {"new": "new", "open": "open", "pending": "pending customer", "solved": "solved", "closed": "closed"}


def _back(ticket: Ticket, message: str) -> Response:
    db().commit()
    flash(message, "ok")
    return redirect(url_for("tickets.show", reference=ticket.reference))


@bp.errorhandler(Conflict)
@bp.errorhandler(InputError)
def refused(error: Exception) -> Response:
    db().rollback()
    flash(str(error), "error")
    reference = (request.view_args or {}).get("reference", "")
    return redirect(url_for("tickets.show", reference=reference))


def _title(queue: str) -> str:
    """The queue's name as people say it ("Complaints", not `complaint.simple`)."""
    return config().queue(queue).title or queue


def _text(field: str, what: str) -> str:
    text = request.form.get(field, "").replace("\r\n", "\n").strip()
    if not text:
        raise InputError(f"the {what} is empty")
    return text


@bp.post("/tickets/<reference>/note")
def note(reference: str) -> Response:
    ticket = ticket_or_404(reference)
    operations.add_note(db(), ticket, me(), _text("text", "note"), now())
    return _back(ticket, "Note added.")


def assignee_for(ticket: Ticket, user_id: int | None) -> User | None:
    """The user to assign, who must be active and able to open the ticket's queue."""
    if not user_id:
        return None
    user = db().get(User, user_id)
    if user is None or not user.active:
        raise InputError(f"no active user with id {user_id}")
    if not can_view(user, ticket):
        raise Conflict(f"{user.email} cannot open queue {ticket.queue}")
    return user


@bp.post("/tickets/<reference>/assign")
def assign(reference: str) -> Response:
    ticket = ticket_or_404(reference)
    user = assignee_for(ticket, request.form.get("assignee", type=row_id))
    operations.assign(db(), ticket, user, me(), now())
    return _back(ticket, f"Assigned to {user.name or user.email}." if user else "Unassigned.")


@bp.post("/tickets/<reference>/claim")
def claim(reference: str) -> Response:
    ticket = ticket_or_404(reference)
    operations.assign(db(), ticket, me(), me(), now())
    return _back(ticket, "You have claimed this ticket.")


def _refund_stays_owed() -> bool:
    """The agent ticked "the refund stays owed": solving or closing goes ahead with its clock running."""
    return request.form.get("refund_owed") == "1"


@bp.post("/tickets/<reference>/status")
def status(reference: str) -> Response:
    ticket = ticket_or_404(reference)
    wanted = request.form.get("status", "")
    refunds.check_finish(db(), ticket, wanted, _refund_stays_owed())
    operations.set_status(db(), ticket, wanted, now(), me())
    return _back(ticket, f"Status set to {STATUS_LABELS.get(ticket.status, ticket.status)}.")


@bp.post("/tickets/<reference>/reroute")
def reroute(reference: str) -> Response:
    """Move the ticket; the correction teaches the router. The agent may lose sight of it."""
    ticket = ticket_or_404(reference)
    operations.reroute(db(), config(), ticket, request.form.get("queue", ""), me(), now())
    if not can_view(me(), ticket):
        db().commit()
        flash(f"{ticket.reference} moved to {_title(ticket.queue)}.", "ok")
        return redirect(url_for("queues.overview"))
    return _back(ticket, f"Moved to {_title(ticket.queue)}.")


@bp.post("/tickets/<reference>/confirm-queue")
def confirm_queue(reference: str) -> Response:
    ticket = ticket_or_404(reference)
    operations.confirm_queue(db(), ticket, me(), now())
    return _back(ticket, f"Queue {_title(ticket.queue)} confirmed.")


@bp.post("/tickets/<reference>/inspected")
def inspected(reference: str) -> Response:
    """Returned goods inspected: a pass starts the 5-10 working-day refund clock (policy section 4)."""
    ticket = ticket_or_404(reference)
    result = request.form.get("result")
    if result not in ("pass", "fail"):
        raise InputError("choose whether the returned goods passed or failed inspection")
    operations.mark_return_inspected(db(), ticket, result == "pass", me(), now())
    return _back(ticket, "Inspection passed: the refund clock runs." if result == "pass" else "Inspection failed.")


@bp.post("/tickets/<reference>/refund-paid")
def refund_paid(reference: str) -> Response:
    """The refund reached the customer: its clock stops, met or late, and the audit log says who."""
    ticket = ticket_or_404(reference)
    clock = refunds.mark_paid(db(), ticket, me(), me().email, client_address(), now())
    return _back(ticket, "Refund marked paid " + ("on time." if clock.state == "met" else "late."))


@bp.post("/tickets/<reference>/merge")
def merge(reference: str) -> Response:
    """Merge this ticket into the one named; the agent must be able to open both, and must say so
    when the two tickets are different customers'."""
    ticket = ticket_or_404(reference)
    plan = merge_plan(ticket, merge_target(ticket, request.form.get("into", "")))
    if plan.customers_differ and not request.form.get("customers_differ"):
        raise Conflict(plan.question.replace("\n\n", " ") + " Tick \"merge even so\" to go ahead.")
    target = plan.target
    operations.merge(db(), ticket, target, me(), now())
    db().commit()
    flash(f"{ticket.reference} merged into {target.reference}.", "ok")
    return redirect(url_for("tickets.show", reference=target.reference))


@bp.post("/tickets/<reference>/customer")
def correct_customer(reference: str) -> Response:
    """Correct the ticket's customer's name, postal address or contact email (Privacy Policy: the right
    to correct); mail from the old email is still theirs."""
    ticket = ticket_or_404(reference)
    customer = db().get(Customer, ticket.customer_id) if ticket.customer_id else None
    if customer is None:
        raise Conflict(f"{ticket.reference} has no customer to correct")
    changed = subject_rights.correct(db(), customer, me().email, now(), name=request.form.get("name"),
                                     address=request.form.get("address"), origin=client_address(),
                                     email=request.form.get("email"))
    return _back(ticket, f"Customer's {' and '.join(changed)} corrected" if changed else "Nothing to correct")
