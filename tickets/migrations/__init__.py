"""Alembic migrations, run programmatically by `helpdesk init` (no alembic.ini needed).

Whether a database is current is read without Alembic (importing it costs a command line a good
part of a second): the head revision comes from the version files' own `revision` and
`down_revision` lines, the database's from its `alembic_version` table. Alembic loads only when
a migration must run.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

HERE = Path(__file__).parent
_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([^'\"\s]*)['\"]?\s*$", re.MULTILINE)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Leave the search index (FTS5 table and its shadow tables, or the tsvector table) out of
    autogenerate: it is created by hand in 0002_search and has no model."""
    return not (type_ == "table" and name is not None and name.startswith("ticket_search"))


def alembic_config(engine: Engine) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(HERE))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision`."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def head_revision() -> str:
    """The newest revision of the version files: the one no other file names as its parent."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (HERE / "versions").glob("*.py"):
        fields = {match[1]: match[2] for match in _REVISION.finditer(path.read_text(encoding="utf-8"))}
        revisions.add(fields["revision"])
        if fields.get("down_revision") not in (None, "", "None"):
            parents.add(fields["down_revision"])
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def database_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a database never migrated."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.scalar(text("SELECT version_num FROM alembic_version"))


def is_current(engine: Engine) -> bool:
    return database_revision(engine) == head_revision()


def upgrade_if_needed(engine: Engine) -> bool:
    """Migrate to the head unless the database is there already; True when a migration ran."""
    if is_current(engine):
        return False
    upgrade(engine)
    return True
