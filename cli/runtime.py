"""What one command run needs, built on first use: the config, and either the full services or,
for a command that only counts rows, a bare engine."""
from __future__ import annotations

import gc
import json
import sys
from functools import cached_property
from typing import TYPE_CHECKING

from tickets.clock import Clock, SystemClock

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from services import Services
    from tickets.config import Config


class Runtime:
    """The config, clock and services of one command run."""

    def __init__(self, config_path: str | None, clock: Clock | None = None, owns_process: bool = True) -> None:
        self.config_path = config_path
        self.clock: Clock = clock or SystemClock()
        self.owns_process = owns_process

    @cached_property
    def config(self) -> Config:
        from tickets import config as config_module

        return config_module.load(self.config_path)

    @cached_property
    def services(self) -> Services:
        """Everything wired (docs/architecture.md): encryption, listeners, the clock."""
        from services import Services

        return Services.build(self.config, self.clock)

    @cached_property
    def engine(self) -> Engine:
        """The database alone, checked and (SQLite) migrated, for commands that read plain counts;
        the services' engine once they exist."""
        if "services" in self.__dict__:
            return self.services.engine
        from routing.rules import compile_rules
        from sla.calendar import calendar_for
        from tickets.db import check_connection, make_engine
        from tickets.migrations import upgrade_if_needed

        calendar_for(self.config)  # services.check_config's checks, without loading the whole product
        compile_rules(self.config)
        engine = make_engine(self.config.database.url)
        check_connection(engine)
        if engine.dialect.name == "sqlite":
            upgrade_if_needed(engine)
        return engine

    def configure_logging(self, level: str | None) -> None:
        """Timestamped lines on stderr at `level` (else the config's), for a command in a process of its
        own; a command run inside another program (a test) leaves that program's logging alone."""
        if self.owns_process:
            from tickets import logs

            logs.configure(self.config.logging, level)

    def tune_collector(self) -> None:
        """For a command that ingests mail in bulk or runs for long, in a process of its own: what
        start-up built (modules, the ORM's mappers, the router's model) lives as long as the process,
        so it is frozen out of the cyclic collector, and the youngest generation is collected less
        often. A batch allocates a great many objects and keeps nearly all of them until it is
        flushed; with the default thresholds the collector's passes during it freed nothing and took
        about a tenth of ingestion's time. A command run inside another program (a test) leaves
        that program's collector alone."""
        if self.owns_process:
            tune_collector()

    def close(self) -> None:
        if "services" in self.__dict__:
            self.services.close()
        elif "engine" in self.__dict__:
            self.engine.dispose()


def emit(record: object) -> None:
    """One JSON line on stdout."""
    sys.stdout.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def tune_collector() -> None:
    """Freeze what exists now out of the cyclic collector and collect the youngest generation less
    often; for a process's start, never inside library code (`Runtime.tune_collector`)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
