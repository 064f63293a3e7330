"""Who may open which queue and ticket: decided in tickets.access, for every role."""
from __future__ import annotations

import pytest

from tickets.access import can_view, is_admin, require_admin, require_ticket_access, visible_queues
from tickets.config import Config
from tickets.errors import PermissionDenied
from tickets.models import Ticket, User


def staff(role: str, queues: str = "", active: bool = True) -> User:
    return User(email=f"{role}@aeropressmall.com", role=role, queues=queues, active=active)


def test_agents_see_only_their_configured_queues_managers_and_admins_all() -> None:
    # An agent's list follows the config's order and drops queues that no longer exist.
    config = Config()
    assert visible_queues(staff("agent", "returns,gone,order.tracking"), config) == ["order.tracking", "returns"]
    assert visible_queues(staff("manager"), config) == list(config.queues)
    assert visible_queues(staff("admin"), config) == list(config.queues)
    assert visible_queues(staff("manager", active=False), config) == []


def test_ticket_access_follows_the_ticket_queue() -> None:
    # An agent opens tickets in their queues only; a manager any, even in a queue no longer configured.
    ticket = Ticket(reference="HD-5", queue="refunds")
    assert can_view(staff("agent", "refunds"), ticket) and not can_view(staff("agent", "returns"), ticket)
    assert can_view(staff("manager"), Ticket(reference="HD-6", queue="retired.queue"))
    with pytest.raises(PermissionDenied, match="HD-5 is not in a queue") as refusal:
        require_ticket_access(staff("agent", "returns"), ticket)
    assert "refunds" not in str(refusal.value)  # the refusal does not tell where the ticket is
    with pytest.raises(PermissionDenied):
        require_ticket_access(staff("agent", "refunds", active=False), ticket)


def test_only_active_admins_administer() -> None:
    # Managers read every queue but do not manage users; a deactivated admin is nobody.
    assert is_admin(staff("admin")) and not is_admin(staff("manager")) and not is_admin(staff("admin", active=False))
    with pytest.raises(PermissionDenied):
        require_admin(staff("manager"))
