"""SLA targets per queue (docs/policies.md) and the promise an acknowledgement makes.

The numbers live in the config (`[queues."<name>"]`), so a shop changes a promise without code.
Mail in the `auto` queue is never answered, so it has no clock at all.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sla.calendar import WorkingCalendar
from tickets.config import Config

if TYPE_CHECKING:  # `helpdesk sla due` reads the policy without loading the ORM
    from tickets.models import Ticket

NO_CLOCK_QUEUE = "auto"
KINDS = ("reply", "triage", "resolution", "refund")
LANGUAGES = ("en", "de", "fr", "es")  # an acknowledgement's languages: English unless the mail is in another


@dataclass(frozen=True)
class Words:
    """How one language states a promise: weekday and month names, and the sentence's parts."""

    days: tuple[str, ...]
    months: tuple[str, ...]
    one_day: str
    many_days: str
    sentence: str  # with {span} {weekday} {day} {month} {year} {time} {zone}
    zone: str  # with {city} {abbreviation}


_WORDS = {
    "en": Words(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
                ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"), "{n} working day", "{n} working days",
                "within {span}, by {weekday} {day} {month}{year}, {time} {zone}", "{city} time ({abbreviation})"),
    "de": Words(("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
                ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember"), "{n} Werktag", "{n} Werktagen",
                "innerhalb von {span}, bis {weekday}, {day}. {month}{year}, {time} Uhr {zone}",
                "(Ortszeit {city}, {abbreviation})"),
    "fr": Words(("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
                ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre"), "{n} jour ouvré", "{n} jours ouvrés",
                "sous {span}, d'ici le {weekday} {day} {month}{year} à {time} {zone}",
                "(heure de {city}, {abbreviation})"),
    "es": Words(("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
                ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
                 "noviembre", "diciembre"), "{n} día laborable", "{n} días laborables",
                "en un plazo de {span}, antes del {weekday} {day} de {month}{year} a las {time} {zone}",
                "(hora de {city}, {abbreviation})"),
}


@dataclass(frozen=True)
class Target:
    """A clock's deadline and the point where it turns at risk, both in working days from its start."""

    days: float
    warn_days: float


def has_clocks(queue: str) -> bool:
    return queue != NO_CLOCK_QUEUE


def refund_window(config: Config, queue: str) -> tuple[float, float]:
    """(warn, breach) working days for a refund after the return passes inspection.

    The 5-10 working-day refund promise (policy section 4) holds for every return, whichever queue
    the ticket sits in; a queue may set its own window, otherwise the first queue that defines one
    (`refunds`, by default) gives it.
    """
    own = config.queue(queue)
    if own.refund_breach_working_days > 0:
        return own.refund_warn_working_days, own.refund_breach_working_days
    for other in config.queues.values():
        if other.refund_breach_working_days > 0:
            return other.refund_warn_working_days, other.refund_breach_working_days
    return 0.0, 0.0


def target(config: Config, queue: str, kind: str) -> Target | None:
    """The target of clock `kind` in `queue`, or None when that queue runs no such clock."""
    if not has_clocks(queue):
        return None
    settings = config.queue(queue)
    if kind == "refund":
        warn, breach = refund_window(config, queue)
        return Target(breach, warn) if breach > 0 else None
    days = {"reply": settings.reply_working_days, "triage": settings.triage_working_days,
            "resolution": settings.resolution_working_days}[kind]
    return Target(days, days * config.sla.at_risk_share) if days > 0 else None


def shortest_reply(config: Config, mailbox: str) -> Target | None:
    """The reply target every queue of `mailbox` keeps: the shortest among its queues and its default queue.

    A ticket the router could not place waits in its mailbox's default queue until an agent moves
    it, possibly to a faster queue; only this promise holds wherever it ends up.
    """
    queues = {name for name, settings in config.queues.items() if settings.mailbox == mailbox}
    queues.add(config.mailbox(mailbox).default_queue)
    targets = [found for queue in sorted(queues) if (found := target(config, queue, "reply")) is not None]
    return min(targets, key=lambda found: found.days, default=None)


def ticket_target(config: Config, ticket: Ticket, kind: str) -> Target | None:
    """The target of a ticket's `kind` clock: its queue's, except the first reply to a ticket the router
    was unsure of, which keeps the promise its acknowledgement made (`shortest_reply`)."""
    own = target(config, ticket.queue, kind)
    if kind != "reply" or own is None or not ticket.unsure or ticket.first_reply_at is not None:
        return own
    promised = shortest_reply(config, ticket.mailbox)
    return promised if promised is not None and promised.days < own.days else own


def working_days_text(days: float, language: str = "en") -> str:
    words = _WORDS.get(language, _WORDS["en"])
    return (words.one_day if days == 1 else words.many_days).format(n=f"{days:g}")


def promise_text(config: Config, calendar: WorkingCalendar, queue: str, received: dt.datetime,
                 unsure_at: str = "", now: dt.datetime | None = None, language: str = "en") -> str:
    """The acknowledgement's promise, e.g. "within 2 working days, by Thursday 26 November, 10:00 New
    York time (EST)", in `language` (English for any other than LANGUAGES).

    The time is the calendar's local time, named with its zone (the shop sells worldwide); the year
    is named only when it is not the year of receipt. A queue without a reply clock promises
    nothing (an empty string). For mail the router was unsure of, `unsure_at` names the mailbox it
    came to, and the promise is the one every queue of that mailbox keeps. A deadline at or before
    `now` is never promised (an empty string).
    """
    reply = shortest_reply(config, unsure_at) if unsure_at else target(config, queue, "reply")
    if reply is None:
        return ""
    deadline = calendar.add_working_days(received, reply.days)
    if now is not None and deadline <= now:
        return ""
    due = calendar.local(deadline)
    words = _WORDS.get(language, _WORDS["en"])
    city = calendar.tz.key.rpartition("/")[2].replace("_", " ")
    return words.sentence.format(
        span=working_days_text(reply.days, language), weekday=words.days[due.weekday()], day=due.day,
        month=words.months[due.month - 1], year=f" {due.year}" if due.year != calendar.local(received).year else "",
        time=f"{due:%H:%M}", zone=words.zone.format(city=city, abbreviation=due.tzname()))
