"""Template helpers: local times, ticket references as links, labels. No queries here."""
from __future__ import annotations

import datetime as dt

from flask import Flask, g, url_for
from markupsafe import Markup

from sla.calendar import WorkingCalendar
from tickets.access import is_admin, sees_all_queues
from tickets.config import Config
from web.actions import STATUS_LABELS
from web.clockview import due_phrase, waiting_phrase, wall_clock
from web.context import now
from web.plain_words import clock_name, event_label
from web.sanitize import link_references, reference_pattern


def register(app: Flask, config: Config, calendar: WorkingCalendar) -> None:
    pattern = reference_pattern(config.tickets.reference_prefix)

    def ticket_url(reference: str) -> str:
        return url_for("tickets.show", reference=reference)

    @app.template_filter("when")
    def when(moment: dt.datetime | None) -> str:
        return wall_clock(calendar, moment)

    def relative(moment: dt.datetime, phrase: str) -> Markup:
        """A relative phrase, the absolute moment on hover and in `datetime`."""
        return Markup('<time class="rel" datetime="{}" title="{}">{}</time>').format(
            moment.isoformat(), when(moment), phrase)

    @app.template_filter("due")
    def due(moment: dt.datetime | None) -> Markup:
        """'due in 3 h 20 m' / 'breached 1 d ago' in business time, the date and time on hover."""
        return relative(moment, due_phrase(calendar, now(), moment)) if moment else Markup("")

    @app.template_filter("waiting")
    def waiting(moment: dt.datetime | None) -> Markup:
        """'waiting 2 d': business time since the customer's newest message, the date and time on hover."""
        return relative(moment, waiting_phrase(calendar, now(), moment)) if moment else Markup("")

    app.add_template_filter(clock_name, "clock_name")
    app.add_template_filter(event_label, "event_label")

    @app.template_filter("subject")
    def subject(text: str | None) -> str:
        return text if text and text.strip() else "(no subject)"

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
