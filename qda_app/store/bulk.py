"""Bulk inserts that stay fast and undoable: ids are reserved first, then rows go in as
multi-row INSERT statements, and the caller records exactly those rows for undo.

Measured on SQLite with the coding trigger: multi-row VALUES inserts about three times as many
rows per second as `executemany`, which restarts the trigger program for every row.
"""

from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from qda_app.domain.sequences import batched

ROWS_PER_STATEMENT = 1_000
# SQLite allows 32,766 parameters in one statement (PostgreSQL 65,535): stay below both.
MAX_PARAMETERS = 30_000


def reserve_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """`count` ids that no other row has or will get.

    SQLite: the caller's transaction holds the write lock (BEGIN IMMEDIATE), so the ids after the
    AUTOINCREMENT high-water mark are ours. PostgreSQL: draw them from the column's sequence.
    """
    if count == 0:
        return []
    if connection.dialect.name == "postgresql":
        statement = text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
        )
        # pg_get_serial_sequence parses its argument as SQL: quote reserved names like "case".
        quoted = connection.dialect.identifier_preparer.quote(table.name)
        return list(connection.execute(statement, {"table": quoted, "n": count}).scalars())
    high_water = connection.execute(
        text("SELECT seq FROM sqlite_sequence WHERE name = :table"), {"table": table.name}
    ).scalar()
    highest = connection.execute(select(func.max(table.c.id))).scalar()
    first = max(high_water or 0, highest or 0) + 1
    return list(range(first, first + count))


def _converter(
    processors: list[tuple[int, Callable[[Any], Any]]],
) -> Callable[[tuple[Any, ...]], Sequence[Any]]:
    """Apply the column types' conversions to a row, remembering the last result per column:
    bulk rows mostly repeat values there (one timestamp for a whole import)."""
    last: dict[int, tuple[Any, Any]] = {}

    def convert(row: tuple[Any, ...]) -> Sequence[Any]:
        converted = list(row)
        for index, process in processors:
            value = converted[index]
            if value is None:
                continue
            seen = last.get(index)
            if seen is not None and seen[0] is value:
                converted[index] = seen[1]
            else:
                converted[index] = result = process(value)
                last[index] = (value, result)
        return converted

    return convert


def insert_rows(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """Insert rows given as tuples in `columns` order, converting values as the column types do."""
    if not rows:
        return
    dialect = connection.dialect
    processors = [
        (index, process)
        for index, name in enumerate(columns)
        if (process := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]
    quoted = ", ".join(dialect.identifier_preparer.quote(name) for name in columns)
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    one_row = "(" + ", ".join([marker] * len(columns)) + ")"
    convert = _converter(processors)
    per_statement = min(ROWS_PER_STATEMENT, MAX_PARAMETERS // len(columns))
    for chunk in batched(rows, per_statement):
        values = list(chain.from_iterable(map(convert, chunk) if processors else chunk))
        sql = f"INSERT INTO {table.name} ({quoted}) VALUES " + ", ".join([one_row] * len(chunk))
        connection.exec_driver_sql(sql, tuple(values))
