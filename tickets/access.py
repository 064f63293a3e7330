"""Who may see and do what: roles and queue-level access, decided here and nowhere else.

Agents work the queues named on their account; managers and admins see every queue; only admins
manage users, mailboxes, quarantine and the outbox (docs/policies.md, Privacy Policy: "access
limited by post"). The console asks these functions instead of deciding per view, so an
authorization rule changes in one place.
"""
from __future__ import annotations

from tickets.config import Config
from tickets.errors import PermissionDenied
from tickets.models import Role, Ticket, User

ALL_QUEUE_ROLES = frozenset({Role.MANAGER.value, Role.ADMIN.value})


def sees_all_queues(user: User) -> bool:
    return user.active and user.role in ALL_QUEUE_ROLES


def visible_queues(user: User, config: Config) -> list[str]:
    """The configured queues `user` may open, in configuration order."""
    if not user.active:
        return []
    if sees_all_queues(user):
        return list(config.queues)
    mine = set(user.queue_list)
    return [q for q in config.queues if q in mine]


def can_view_queue(user: User, queue: str) -> bool:
    """Managers and admins see every queue, including one no longer configured."""
    return sees_all_queues(user) or (user.active and queue in user.queue_list)


def can_view(user: User, ticket: Ticket) -> bool:
    return can_view_queue(user, ticket.queue)


def require_ticket_access(user: User, ticket: Ticket) -> None:
    """Refuse a ticket outside the user's queues (its customer's data included). The refusal does not
    say which queue the ticket is in: that too is something the user may not see."""
    if not can_view(user, ticket):
        raise PermissionDenied(f"{ticket.reference} is not in a queue {user.email} may open")


def require_queue_access(user: User, queue: str) -> None:
    if not can_view_queue(user, queue):
        raise PermissionDenied(f"{user.email} cannot open queue {queue}")


def is_admin(user: User) -> bool:
    return user.active and user.role == Role.ADMIN.value


def require_admin(user: User) -> None:
    """Users, mailboxes, quarantine and the outbox are for admins only."""
    if not is_admin(user):
        raise PermissionDenied("this page is for admins")
