"""Liveness and readiness probes for a process supervisor or load balancer; no sign-in."""
from __future__ import annotations

from flask import Blueprint, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from web.context import services

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process answers."""
    return Response("ok\n", mimetype="text/plain")


@bp.get("/readyz")
def readyz() -> Response:
    """The database answers too: until it does, send no traffic here."""
    try:
        with services().engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return Response("database unreachable\n", status=503, mimetype="text/plain")
    return Response("ready\n", mimetype="text/plain")
