"""The queue overview, the triage view, the ticket lists with their filters, and bulk actions on a list.

Lists only ever hold tickets from queues the user may open (`tickets.access`), and a filter
naming another queue is refused rather than silently emptied. The triage view puts first the
tickets the router was unsure of (they wait in their mailbox's default queue for an agent to place
them), then the complaints whose queue no agent has confirmed yet (policy section 5: classified
within one working day).
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import Select, func, select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from tickets import operations, refunds
from tickets.access import require_queue_access, require_ticket_access, visible_queues
from tickets.errors import Conflict, InputError
from tickets.models import Status, Ticket, User
from tickets.operations import ALL_STATUSES, OPEN_STATUSES
from web.actions import STATUS_LABELS, assignee_for
from web.context import config, db, me, now
from web.inputs import id_named, row_id
from web.listing import (
    DEFAULT_SORT,
    PAGE_SIZE,
    SLA_STATES,
    SORTS,
    Cursor,
    ListFilter,
    listed_tickets,
    previews,
    queue_counts,
    ticket_page,
    worst_states,
)

bp = Blueprint("queues", __name__)

FILTER_KEYS = ("queue", "status", "assignee", "sla", "sort")
SORTABLE = ("ticket", "waiting", "due")  # the columns whose heading sorts the list
STAFF_LIST = 500


def list_filter(args: MultiDict[str, str]) -> ListFilter:
    """The filter a list URL asks for; a queue the user may not open is PermissionDenied."""
    user = me()
    queue = args.get("queue", "")
    if queue:
        require_queue_access(user, queue)
    status = args.get("status", "active")
    if status not in ("active", "all", *ALL_STATUSES):
        raise InputError(f"unknown status {status!r}")
    assignee = args.get("assignee", "")
    named = {"": None, "me": user.id, "none": 0}
    sla = args.get("sla", "")
    if sla not in ("", *SLA_STATES):
        raise InputError(f"unknown SLA state {sla!r}")
    return ListFilter(
        queues=(queue,) if queue else tuple(visible_queues(user, config())),
        statuses=OPEN_STATUSES if status == "active" else ALL_STATUSES if status == "all" else (status,),
        assignee=named[assignee] if assignee in named else id_named(assignee, "assignee"),
        sla=sla, now=now())


def filter_query(args: MultiDict[str, str]) -> str:
    """Only the filter keys of a query string, re-encoded: safe to send back as a redirect."""
    return urlencode({k: args[k] for k in FILTER_KEYS if args.get(k)})


def list_sort(args: MultiDict[str, str]) -> str:
    wanted = args.get("sort", "") or DEFAULT_SORT
    if wanted not in SORTS:
        raise InputError(f"unknown sort {wanted!r}: choose one of {', '.join(SORTS)}")
    return wanted


def sort_links(args: MultiDict[str, str], current: str) -> dict[str, tuple[str, str]]:
    """Each sortable column's heading link (the first page, same filters) and its aria-sort value.

    A heading sorts ascending first; the heading of the current ascending sort reverses it."""
    kept = {k: args[k] for k in FILTER_KEYS if args.get(k) and k != "sort"}
    links = {}
    for column in SORTABLE:
        state = "ascending" if current == column else "descending" if current == "-" + column else "none"
        target = "-" + column if state == "ascending" else column
        links[column] = (url_for("queues.ticket_list") + "?" + urlencode({**kept, "sort": target}), state)
    return links


def _unplaced(queues: list[str], unsure: bool) -> Select[Any]:
    """Open tickets in these queues that no agent has placed: the router's unsure ones, or the others."""
    return select(Ticket.id).where(Ticket.unsure.is_(unsure), Ticket.queue_confirmed.is_(False),
                                   Ticket.queue.in_(queues), Ticket.status.in_(OPEN_STATUSES))


@bp.get("/")
def overview() -> str:
    user = me()
    queues = visible_queues(user, config())
    counts = queue_counts(db(), queues, now())
    mine = db().scalar(select(func.count()).select_from(Ticket).where(Ticket.assignee_id == user.id,
                                                                        Ticket.status.in_(OPEN_STATUSES)))
    unsure = db().scalar(select(func.count()).select_from(_unplaced(list(queues), True).subquery()))
    return render_template("web/queues/overview.html", counts=counts, mine=mine, unsure=unsure, sla_states=SLA_STATES,
                           statuses=OPEN_STATUSES, labels=STATUS_LABELS)


@bp.get("/triage")
def triage() -> str:
    """Unsure tickets first, then complaints awaiting triage; each by next deadline, up to a page."""
    queues = list(visible_queues(me(), config()))
    complaints = [q for q in queues if config().queue(q).triage_working_days > 0]
    sections = []
    for unsure, among in ((True, queues), (False, complaints)):
        query = _unplaced(among, unsure).order_by(Ticket.next_deadline.is_(None), Ticket.next_deadline, Ticket.id)
        ids = list(db().scalars(query.limit(PAGE_SIZE))) if among else []
        found = listed_tickets(db(), ids)
        sections.append(([found[i] for i in ids if i in found], worst_states(db(), ids, now()), previews(db(), ids)))
    return render_template("web/queues/triage.html", unsure=sections[0], complaints=sections[1])


@bp.get("/tickets")
def ticket_list() -> str:
    wanted = list_filter(request.args)
    sort = list_sort(request.args)
    after = Cursor.decode(request.args["after"]) if request.args.get("after") else None
    page = ticket_page(db(), wanted, after, sort=SORTS[sort])
    staff = db().execute(select(User.id, User.name, User.email).where(User.active.is_(True))  # rows, not objects
                         .order_by(User.name).limit(STAFF_LIST)).all()
    query = filter_query(request.args)
    return render_template("web/queues/list.html", page=page, args=request.args, query=query, staff=staff,
                           previews=previews(db(), [t.id for t in page.tickets]),
                           sorts=sort_links(request.args, sort),
                           queues=visible_queues(me(), config()), statuses=ALL_STATUSES, labels=STATUS_LABELS,
                           sla_states=SLA_STATES, first_page=not after)


@bp.errorhandler(Conflict)
@bp.errorhandler(InputError)
def refused(error: Exception) -> BaseResponse | tuple[str, int]:
    """A bad filter is a 400 page; a refused bulk action returns to its list with the reason."""
    db().rollback()
    if request.method == "GET":
        return render_template("web/error.html", title="Bad request", message=str(error)), 400
    flash(str(error), "error")
    return redirect(url_for("queues.ticket_list") + "?" + filter_query(request.form))


@bp.post("/tickets/bulk")
def bulk() -> BaseResponse:
    """Assign, close or re-route the selected tickets: all of them, or none."""
    ids = request.form.getlist("ticket", type=row_id)[:PAGE_SIZE]
    if not ids:
        raise InputError("select at least one ticket")
    tickets = list(db().scalars(select(Ticket).where(Ticket.id.in_(ids)).order_by(Ticket.id)))
    for ticket in tickets:
        require_ticket_access(me(), ticket)
    action, moment = request.form.get("action", ""), now()
    for ticket in tickets:
        if action == "assign":
            assignee = assignee_for(ticket, request.form.get("to_user", type=row_id))
            operations.assign(db(), ticket, assignee, me(), moment)
        elif action == "close":
            refunds.check_finish(db(), ticket, Status.CLOSED.value, confirmed=False)
            operations.set_status(db(), ticket, Status.CLOSED.value, moment, me())
        elif action == "reroute":
            operations.reroute(db(), config(), ticket, request.form.get("to_queue", ""), me(), moment)
        else:
            raise InputError("choose an action: assign, close or re-route")
    db().commit()
    flash(f"{len(tickets)} ticket{'s' if len(tickets) != 1 else ''} updated.", "ok")
    return redirect(url_for("queues.ticket_list") + "?" + filter_query(request.form))
