"""Helpers for the store and services tests: full table dumps and raw (service-free) writes."""

from typing import Any

from sqlalchemy import Connection, insert, select, text

from qda_app.domain.clock import utc_now
from qda_app.domain.ids import new_guid
from qda_app.services.project import Project
from qda_app.store import models as m
from qda_app.store.models import Base

Dump = dict[str, list[tuple[Any, ...]]]


def dump(project: Project) -> Dump:
    """Every row of every domain table, ordered by primary key: the 'full listing' of a project."""
    with project.engine.connect() as connection:
        return dump_connection(connection)


def dump_connection(connection: Connection) -> Dump:
    tables: Dump = {}
    for table in Base.metadata.sorted_tables:
        query = select(table).order_by(*table.primary_key.columns)
        tables[table.name] = [tuple(row) for row in connection.execute(query)]
    return tables


def diff_tables(before: Dump, after: Dump) -> list[str]:
    """Names of the tables whose rows differ (for readable assertion messages)."""
    return sorted(name for name in before if before[name] != after[name])


def raw_execute(project: Project, sql: str, **params: Any) -> None:
    """One committed statement written around the services (and their undo recorder)."""
    with project.engine.begin() as connection:
        connection.execute(text(sql), params)


def count(project: Project, table: str) -> int:
    with project.engine.connect() as connection:
        return int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())


def raw_memo(project: Project, text_: str, **target: int) -> int:
    """A memo inserted around the services (add_memo is exercised by its own tests)."""
    now = utc_now()
    row = {"guid": new_guid(), "title": "", "text": text_, "coder_id": project.coder_id}
    row |= {"created_at": now, "updated_at": now} | target
    with project.engine.begin() as connection:
        return int(connection.execute(insert(m.Memo).returning(m.Memo.id), row).scalar_one())
