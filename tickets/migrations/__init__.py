"""Alembic migrations, run programmatically by `helpdesk init` (no alembic.ini needed)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine

HERE = Path(__file__).parent


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Leave the search index (FTS5 table and its shadow tables, or the tsvector table) out of
    autogenerate: it is created by hand in 0002_search and has no model."""
    return not (type_ == "table" and name is not None and name.startswith("ticket_search"))


def alembic_config(engine: Engine) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(HERE))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision`."""
    command.upgrade(alembic_config(engine), revision)
