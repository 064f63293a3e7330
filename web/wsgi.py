"""The console as a WSGI application, for several worker processes under a WSGI server:

    pip install gunicorn && HELPDESK_CONFIG=/etc/helpdesk/config.toml gunicorn -w 4 'web.wsgi:app'

Each worker imports this module and so builds its own app and database pool (do not use
gunicorn's --preload, which would share one pool across the forked workers). The config comes
from $HELPDESK_CONFIG (else ./config.toml), `HELPDESK_DATABASE_URL` overriding its database, as
for the command line; run `helpdesk init` once before. The workers (pollers, scheduler) run
elsewhere: `helpdesk run --role workers`.
"""
from __future__ import annotations

import gc

from flask import Flask

from sla import clocks
from tickets import config as config_module
from tickets import crypto
from web import create_app
from web.wiring import make_ingestor


def build_app() -> Flask:
    """The console for the configured database, with SLA clocks and encryption at rest installed."""
    config = config_module.load()
    clocks.install(config)
    crypto.use(config)
    return create_app(config, ingestor_factory=lambda: make_ingestor(config))


app = build_app()
# What start-up built (modules, the app, the ORM's mappers) lives as long as the worker: frozen out
# of the cyclic collector, a full collection no longer walks those 200,000 objects, which took over
# 100 ms each time and stalled every request in flight.
gc.freeze()
