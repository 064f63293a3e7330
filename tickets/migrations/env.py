"""Alembic environment: the engine comes from the caller (`tickets.migrations.upgrade`)."""
from typing import Any, Literal

from alembic import context

from tickets.migrations import include_object
from tickets.models import Base, UTCDateTime


def render_item(kind: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Write `UTCDateTime` columns as plain DateTime: migrations must not import model code."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                      compare_type=True, render_item=render_item,
                      include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
