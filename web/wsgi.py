"""The console as a WSGI application, for several worker processes under a WSGI server:

    pip install gunicorn && HELPDESK_CONFIG=/etc/helpdesk/config.toml gunicorn -w 4 'web.wsgi:app'

Each worker imports this module and so builds its own services and database pool (do not use
gunicorn's --preload, which would share one pool across the forked workers). The config comes
from $HELPDESK_CONFIG (else ./config.toml), `HELPDESK_DATABASE_URL` overriding its database, as
for the command line; run `helpdesk init` once before. The workers (pollers, scheduler) run
elsewhere: `helpdesk run --role workers`.
"""
from __future__ import annotations

import gc

from services import Services
from tickets import config as config_module
from tickets import logs
from web import create_app

_config = config_module.load()
logs.configure(_config.logging)
_services = Services.build(_config, migrate=False)  # `helpdesk init` migrates; a worker may start before the database
_ingestor = _services.ingestor  # a quarantine retry routes as the pollers do, the model loaded before any request
app = create_app(_config, _services)
# What start-up built (modules, the app, the ORM's mappers, the router) lives as long as the worker:
# frozen out of the cyclic collector, a full collection no longer walks those objects, which took
# over 100 ms each time and stalled every request in flight.
gc.freeze()
