"""The composition root: everything a helpdesk process is made of, built from one config.

`Services.build(config)` makes the engine and its two sessionmakers, the encryption keyring, the
working calendar, the file store and the clock, and attaches every listener to *those*
sessionmakers (never to SQLAlchemy's `Session` class, never at import time): ids handed out before
insert, the search index, the stored report figures, the SLA clocks and the per-transaction caches.
The router and the ingestion pipeline are built on first use, so a command that needs neither never
loads scikit-learn. Two `Services` in one process share nothing: each has its own engine (whose
dialect carries its keyring), its own sessionmakers and its own listeners.

The console (`web.create_app`), `helpdesk run`, the workers, every command and the tests get their
behaviour from here; docs/architecture.md draws the whole.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from inbox import acks
from inbox.acks import Acknowledger
from inbox.ingest import Ingestor
from sla import clocks
from sla.calendar import WorkingCalendar, calendar_for
from sla.clocks import ClockKeeper
from sla.reports import figures_feed
from tickets import crypto, notify, row_ids, search_feed
from tickets.clock import Clock, SystemClock
from tickets.config import Config
from tickets.db import check_connection, make_engine, session_factory
from tickets.errors import ConfigError
from tickets.events import TicketListeners
from tickets.mail import ParsedMessage
from tickets.migrations import upgrade_if_needed
from tickets.passwords import Passwords
from tickets.storage import FileStore

if TYPE_CHECKING:
    from routing.classify import Router
    from routing.similar import SuggestionIndex


@dataclass
class Services:
    """One configuration's engine, sessions, keys, calendar, files, clock, password hashing and listeners."""

    config: Config
    clock: Clock
    engine: Engine
    sessions: sessionmaker[Session]
    readonly: sessionmaker[Session]
    keyring: crypto.Keyring
    calendar: WorkingCalendar
    store: FileStore
    clocks: ClockKeeper
    passwords: Passwords
    listeners: TicketListeners = field(repr=False)

    @classmethod
    def build(cls, config: Config, clock: Clock | None = None, migrate: bool = True) -> Services:
        """Everything for `config`. With `migrate`, the database must answer now, and a SQLite
        database is created or upgraded on the spot (the embedded default needs no `helpdesk
        init`; PostgreSQL is upgraded by `helpdesk init`). Without it nothing connects yet: a
        console worker starts while the database is down, and `/readyz` says so until it is back."""
        check_config(config)
        calendar = calendar_for(config)
        engine = make_engine(config.database.url)
        if migrate:
            check_connection(engine)
            if engine.dialect.name == "sqlite":
                upgrade_if_needed(engine)
        keyring = crypto.keyring_for(config)
        crypto.attach(engine, keyring)
        keeper = ClockKeeper(config, calendar)
        listeners = TicketListeners(keeper)
        info = listeners.session_info()
        sessions = session_factory(engine, info=info)
        readonly = session_factory(_autocommit_reads(engine), readonly=True, info=info)
        for maker in (sessions, readonly):
            attach_listeners(maker)
        return cls(config=config, clock=clock or SystemClock(), engine=engine, sessions=sessions,
                   readonly=readonly, keyring=keyring, calendar=calendar,
                   store=FileStore(config.storage.path, keyring), clocks=keeper,
                   passwords=Passwords.for_config(config.web), listeners=listeners)

    def parser(self) -> functools.partial[ParsedMessage]:
        """bytes -> ParsedMessage with our addresses known (the router reads its training set so)."""
        from inbox.parse import parse_message

        return functools.partial(parse_message, now=self.clock.now(), our_addresses=self.config.our_addresses())

    @cached_property
    def router(self) -> Router:
        """The router: rules and the learned model (scikit-learn loads here, on first use)."""
        from routing.classify import Router

        return Router.load(self.config, self.parser(), self.clock.now())

    def reload_router(self) -> None:
        """After retraining: the next mail is routed by the new model."""
        from routing.classify import Router

        self.router = Router.load(self.config, self.parser(), self.clock.now())
        if "ingestor" in self.__dict__:
            self.ingestor.router = self.router

    @cached_property
    def suggestions(self) -> SuggestionIndex:
        """The suggested answers' index of solved tickets (scikit-learn loads here, on first use)."""
        from routing.similar import SuggestionIndex

        return SuggestionIndex(self.config.storage.path, self.keyring)

    @cached_property
    def ingestor(self) -> Ingestor:
        """The ingestion pipeline with every step wired: router, SLA clocks, acknowledgements."""
        return Ingestor(self.config, self.store, self.clock, router=self.router, clocks=self.clocks,
                        acknowledge=Acknowledger(self.config, self.calendar))

    def close(self) -> None:
        self.engine.dispose()


def check_config(config: Config) -> None:
    """What loading the config cannot check alone, checked by the part that uses it, before anything
    is written: a bad calendar or routing rule must leave no database, folder or encryption key
    behind. (The database URL is checked by `make_engine`, before it creates anything.)"""
    from routing.rules import compile_rules

    calendar_for(config)
    compile_rules(config)
    if config.routing.suggestions_rebuild_minutes <= 0:
        raise ConfigError(f"{config.source}: routing.suggestions_rebuild_minutes must be above 0, "
                          f"not {config.routing.suggestions_rebuild_minutes}")


def attach_listeners(sessions: sessionmaker[Session]) -> None:
    """Every session event of the helpdesk, on this sessionmaker alone."""
    event.listen(sessions, "before_flush", row_ids.assign_ids)
    event.listen(sessions, "after_flush", search_feed.after_flush)
    event.listen(sessions, "do_orm_execute", search_feed.after_bulk)
    event.listen(sessions, "after_flush", figures_feed.after_flush)
    event.listen(sessions, "before_commit", figures_feed.settle)  # the only before_commit listener: see settle
    event.listen(sessions, "after_soft_rollback", figures_feed.forget_pending)
    for moment in ("after_commit", "after_soft_rollback"):
        event.listen(sessions, moment, clocks.forget_open_clocks)
        event.listen(sessions, moment, figures_feed.forget_state)
        event.listen(sessions, moment, acks.forget_recent_acks)
        event.listen(sessions, moment, notify.forget_staff)


def _autocommit_reads(engine: Engine) -> Any:
    """Read-only sessions on PostgreSQL run in autocommit: under its default READ COMMITTED every
    statement takes a fresh snapshot even inside a transaction, so a page reads the same without
    the BEGIN and ROLLBACK round trips a transaction adds to each request."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine
