"""Template helpers: local times, ticket references as links, labels. No queries here."""
from __future__ import annotations

import datetime as dt

from flask import Flask, g, url_for
from markupsafe import Markup

from sla.calendar import WorkingCalendar
from tickets.access import is_admin, sees_all_queues
from tickets.config import Config
from web.actions import STATUS_LABELS
from web.sanitize import link_references, reference_pattern


def register(app: Flask, config: Config, calendar: WorkingCalendar) -> None:
    pattern = reference_pattern(config.tickets.reference_prefix)

    def ticket_url(reference: str) -> str:
        return url_for("tickets.show", reference=reference)

    @app.template_filter("when")
    def when(moment: dt.datetime | None) -> str:
        """A moment on the shop's wall clock (the calendar's timezone), e.g. 'Tue 24 Nov 2026 10:00'."""
        return calendar.local(moment).strftime("%a %d %b %Y %H:%M") if moment else ""

    @app.template_filter("refs")
    def refs(text: str | None) -> Markup:
        """Text, escaped, with every `HD-<n>` a link to that ticket."""
        return link_references(text or "", pattern, ticket_url)

    @app.template_filter("status_label")
    def status_label(status: str) -> str:
        return STATUS_LABELS.get(status, status)

    @app.template_filter("queue_title")
    def queue_title(queue: str) -> str:
        return config.queues[queue].title or queue if queue in config.queues else queue

    @app.context_processor
    def page_context() -> dict[str, object]:
        user = g.get("user")
        return {"me": user, "is_admin": user is not None and is_admin(user),
                "sees_reports": user is not None and sees_all_queues(user), "timezone": config.calendar.timezone}
