"""Bulk inserts that stay fast and undoable: ids are reserved first, then rows go in as
multi-row INSERT statements, and the caller records exactly those rows for undo.

Measured on SQLite with the coding trigger: multi-row VALUES inserts about three times as many
rows per second as `executemany`, which restarts the trigger program for every row.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from qda_app.domain.sequences import batched

ROWS_PER_STATEMENT = 500


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
        return list(connection.execute(statement, {"table": table.name, "n": count}).scalars())
    high_water = connection.execute(
        text("SELECT seq FROM sqlite_sequence WHERE name = :table"), {"table": table.name}
    ).scalar()
    highest = connection.execute(select(func.max(table.c.id))).scalar()
    first = max(high_water or 0, highest or 0) + 1
    return list(range(first, first + count))


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
        if (process := table.c[name].type.bind_processor(dialect)) is not None
    ]
    quoted = ", ".join(dialect.identifier_preparer.quote(name) for name in columns)
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    one_row = "(" + ", ".join([marker] * len(columns)) + ")"
    for chunk in batched(rows, ROWS_PER_STATEMENT):
        values: list[Any] = []
        for row in chunk:
            if processors:
                converted = list(row)
                for index, process in processors:
                    if converted[index] is not None:
                        converted[index] = process(converted[index])
                values.extend(converted)
            else:
                values.extend(row)
        sql = f"INSERT INTO {table.name} ({quoted}) VALUES " + ", ".join([one_row] * len(chunk))
        connection.exec_driver_sql(sql, tuple(values))
