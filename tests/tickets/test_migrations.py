"""The Alembic migrations create exactly the schema the models describe, on both databases."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from tickets.migrations import include_object
from tickets.models import Base


def test_migrated_schema_matches_models(engine: Engine) -> None:
    # A model change without its migration would break `helpdesk init` on an existing database.
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object,
                                                               "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
