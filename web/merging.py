"""What a merge would do, said before it is done: both tickets and both customers, and a warning
when the customers differ (the other customer is then copied on every reply of the merged ticket)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import select

from tickets.access import require_ticket_access
from tickets.errors import Conflict, InputError, NotFound
from tickets.models import Customer, Ticket
from web.context import db, me
from web.loaders import normalise_reference, ticket_or_404

bp = Blueprint("merging", __name__)


@dataclass(frozen=True)
class MergePlan:
    source: Ticket
    target: Ticket
    question: str
    customers_differ: bool


def _who(customer: Customer | None) -> str:
    if customer is None or customer.erased_at is not None:
        return "no customer"
    return f"{customer.name} <{customer.email}>" if customer.name else customer.email


def merge_target(source: Ticket, typed: str) -> Ticket:
    """The ticket named to merge into, which the agent must be able to open."""
    wanted = normalise_reference(typed)
    target = db().scalar(select(Ticket).where(Ticket.reference == wanted))
    if target is None:
        raise InputError(f"no ticket {wanted or '(none given)'} to merge into")
    require_ticket_access(me(), target)
    return target


def merge_plan(source: Ticket, target: Ticket) -> MergePlan:
    source_customer = db().get(Customer, source.customer_id) if source.customer_id else None
    target_customer = db().get(Customer, target.customer_id) if target.customer_id else None
    question = (f"Merge {source.reference} ({_who(source_customer)}) into {target.reference} "
                f"({_who(target_customer)})? Its messages move there and {source.reference} is closed.")
    differ = bool(source_customer and source.customer_id != target.customer_id)
    if differ:
        question += (f"\n\nThese are two different customers. {_who(source_customer)} will be copied (Cc) on "
                     f"every reply of {target.reference} and will see what is written there.")
    return MergePlan(source, target, question, differ)


@bp.get("/tickets/<reference>/merge-plan")
def plan(reference: str) -> Response | tuple[Response, int]:
    """The confirmation question for merging this ticket into `?into=`."""
    source = ticket_or_404(reference)
    try:
        found = merge_plan(source, merge_target(source, request.args.get("into", "")))
    except (InputError, NotFound, Conflict) as error:
        return jsonify(error=str(error)), 400
    return jsonify(question=found.question, customers_differ=found.customers_differ)
