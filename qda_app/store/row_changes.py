"""Row-level change capture for undo: every ORM insert, update and delete is recorded as a RowOp.

Capturing at the mapper level (not per service) means any change made through a session that
carries a Recorder is undoable, cascades included, without each service writing its own inverse.
Applying goes through SQLAlchemy Core and checks that the rows still look as recorded, so an undo
never overwrites what another team member changed in the meantime.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Connection, Table, and_, bindparam, delete, event, insert, select, update
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm import Mapper, Session, object_session
from sqlalchemy.orm.attributes import instance_state

from qda_app.domain.changes import ChangeSummary
from qda_app.domain.errors import UndoConflictError
from qda_app.store.bulk import insert_rows
from qda_app.store.models import Base

Kind = Literal["insert", "update", "delete"]
Row = dict[str, Any]
RECORDER_KEY = "qda_recorder"


@dataclass(frozen=True)
class RowOp:
    """One row changed: `before` is None for an insert, `after` is None for a delete; an update
    holds only the changed columns in both."""

    kind: Kind
    table: str
    key: tuple[Any, ...]
    before: Row | None
    after: Row | None

    def inverse(self) -> "RowOp":
        kind: Kind = {"insert": "delete", "delete": "insert", "update": "update"}[self.kind]  # type: ignore[assignment]
        return RowOp(kind, self.table, self.key, self.after, self.before)


@dataclass(frozen=True)
class RowBatch:
    """Many rows inserted (or, as its inverse, deleted) at once by a bulk job, kept as tuples:
    100,000 codings as dicts would cost ten times the memory. The first column is the key."""

    kind: Literal["insert", "delete"]
    table: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def inverse(self) -> "RowBatch":
        kind: Literal["insert", "delete"] = "delete" if self.kind == "insert" else "insert"
        return RowBatch(kind, self.table, self.columns, self.rows)


@dataclass(frozen=True)
class RowGuard:
    """A check, not a change: the rows of `table` whose `column` equals `value` had exactly
    these keys at this point of the transaction.

    Row ops only check the rows they touch. A text change (pseudonymisation) moves every span
    of a document; replaying it after a team member coded the document would leave their new
    coding on the wrong words. A guard recorded before and after such a change makes undo and
    redo refuse instead.
    """

    table: str
    column: str
    value: Any
    keys: frozenset[Any]
    kind: Literal["guard"] = "guard"

    def inverse(self) -> "RowGuard":
        return self


Change = RowOp | RowBatch | RowGuard


@dataclass
class Recorder:
    """Collects the changes of one transaction in the order the unit of work ran them."""

    ops: list[Change] = field(default_factory=list)

    def record_batch(
        self, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        """For bulk inserts, which bypass the mapper events; `columns[0]` must be the key."""
        if [column.name for column in table.primary_key.columns] != [columns[0]]:
            raise ValueError(f"a batch of {table.name} must start with its primary key")
        self.ops.append(RowBatch("insert", table.name, tuple(columns), tuple(rows)))


def is_refusal(error: DBAPIError) -> bool:
    """The database said no to the data: a constraint or one of our triggers (SQLite raises
    IntegrityError for both; PostgreSQL reports a trigger's RAISE EXCEPTION as SQLSTATE P0001),
    or a value that does not fit its column (DataError). Anything else is a real failure."""
    return isinstance(error, IntegrityError | DataError) or (
        getattr(error.orig, "sqlstate", None) == "P0001"
    )


def record_guard(session: Session, table_name: str, column: str, value: Any) -> None:
    """Record which rows of `table_name` have `column == value` now (see RowGuard)."""
    recorder = session.info.get(RECORDER_KEY)
    if recorder is None:
        return
    table = _table(table_name)
    [key] = table.primary_key.columns
    session.flush()
    keys = frozenset(session.execute(select(key).where(table.c[column] == value)).scalars())
    recorder.ops.append(RowGuard(table_name, column, value, keys))


def _check_guard(connection: Connection, guard: RowGuard) -> None:
    table = _table(guard.table)
    [key] = table.primary_key.columns
    found = frozenset(
        connection.execute(select(key).where(table.c[guard.column] == guard.value)).scalars()
    )
    if found != guard.keys:
        raise UndoConflictError(
            f"{guard.table} rows were added or removed since by someone else; nothing was undone"
        )


def attach_recorder(session: Session, recorder: Recorder) -> None:
    session.info[RECORDER_KEY] = recorder


def _recorder_of(target: object) -> Recorder | None:
    session = object_session(target)
    return None if session is None else session.info.get(RECORDER_KEY)


def _key(mapper: Mapper[Any], target: object) -> tuple[Any, ...]:
    identity = mapper.primary_key_from_instance(target)
    return tuple(identity)


def _snapshot(mapper: Mapper[Any], target: object, just_inserted: bool = False) -> Row:
    """All column values of a row. Right after an INSERT, a nullable column the caller never set
    has no entry in the object's state: the row holds NULL there (our defaults are Python-side,
    so they are in the state), and that is what gets recorded."""
    state = instance_state(target)
    row: Row = {}
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if prop.key in state.dict:
            row[column.name] = state.dict[prop.key]
        elif just_inserted and column.nullable and column.server_default is None:
            row[column.name] = None
        else:
            raise RuntimeError(f"{mapper.class_.__name__}.{prop.key} not loaded; cannot record")
    return row


def _table_name(mapper: Mapper[Any]) -> str:
    return mapper.local_table.name  # type: ignore[attr-defined]


@event.listens_for(Base, "after_insert", propagate=True)
def _after_insert(mapper: Mapper[Any], _connection: Connection, target: object) -> None:
    recorder = _recorder_of(target)
    if recorder is not None:
        op = RowOp(
            "insert",
            _table_name(mapper),
            _key(mapper, target),
            None,
            _snapshot(mapper, target, just_inserted=True),
        )
        recorder.ops.append(op)


@event.listens_for(Base, "after_delete", propagate=True)
def _after_delete(mapper: Mapper[Any], _connection: Connection, target: object) -> None:
    recorder = _recorder_of(target)
    if recorder is not None:
        op = RowOp(
            "delete", _table_name(mapper), _key(mapper, target), _snapshot(mapper, target), None
        )
        recorder.ops.append(op)


@event.listens_for(Base, "after_update", propagate=True)
def _after_update(mapper: Mapper[Any], _connection: Connection, target: object) -> None:
    recorder = _recorder_of(target)
    if recorder is None:
        return
    state = instance_state(target)
    before: Row = {}
    after: Row = {}
    for prop in mapper.column_attrs:
        history = state.attrs[prop.key].history
        if not history.added:
            continue
        if not history.deleted:
            raise RuntimeError(f"{mapper.class_.__name__}.{prop.key}: old value unknown")
        old, new = history.deleted[0], history.added[0]
        if old != new:
            name = prop.columns[0].name
            before[name] = old
            after[name] = new
    if after:
        recorder.ops.append(
            RowOp("update", _table_name(mapper), _key(mapper, target), before, after)
        )


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _matches(table: Table, row: Row) -> list[Any]:
    return [
        table.c[name].is_(None) if value is None else table.c[name] == value
        for name, value in row.items()
    ]


def _key_clause(table: Table, key: tuple[Any, ...]) -> list[Any]:
    return [column == value for column, value in zip(table.primary_key.columns, key, strict=True)]


def _apply_batch(connection: Connection, batch: RowBatch) -> None:
    table = _table(batch.table)
    if batch.kind == "insert":
        try:
            with connection.begin_nested():
                insert_rows(connection, table, batch.columns, batch.rows)
        except DBAPIError as error:
            if not is_refusal(error):
                raise
            raise UndoConflictError(
                f"cannot restore rows of {batch.table}: they conflict with later changes"
            ) from error
        return
    condition = and_(
        *(table.c[name].is_not_distinct_from(bindparam(f"b_{name}")) for name in batch.columns)
    )
    parameters = [
        {f"b_{name}": value for name, value in zip(batch.columns, row, strict=True)}
        for row in batch.rows
    ]
    if connection.execute(delete(table).where(condition), parameters).rowcount != len(batch.rows):
        raise UndoConflictError(f"rows of {batch.table} were changed since; nothing was undone")


def _row_of(op: RowOp) -> Row:
    row = op.after if op.kind == "insert" else op.before
    assert row is not None
    return row


def _batched_runs(ops: Sequence[Change]) -> Iterator[Change]:
    """Consecutive one-row inserts or deletes of one table with the same columns become one
    RowBatch, so undoing the deletion of a code with 5,000 codings is a few statements, not
    15,000 (a savepoint and an INSERT per row). Order is kept, updates pass through."""
    run: list[RowOp] = []

    def flush() -> Iterator[Change]:
        if len(run) == 1:
            yield run[0]
        elif run:
            columns = tuple(_row_of(run[0]))
            rows = tuple(tuple(_row_of(op)[name] for name in columns) for op in run)
            yield RowBatch(run[0].kind, run[0].table, columns, rows)  # type: ignore[arg-type]
        run.clear()

    for op in ops:
        if isinstance(op, RowOp) and op.kind != "update":
            if run and (run[0].kind, run[0].table, tuple(_row_of(run[0]))) != (
                op.kind,
                op.table,
                tuple(_row_of(op)),
            ):
                yield from flush()
            run.append(op)
            continue
        yield from flush()
        yield op
    yield from flush()


def apply_ops(connection: Connection, ops: Sequence[Change]) -> None:
    """Apply ops in order; raise UndoConflictError (caller rolls back) if a row has moved on."""
    for op in _batched_runs(ops):
        if isinstance(op, RowGuard):
            _check_guard(connection, op)
            continue
        if isinstance(op, RowBatch):
            _apply_batch(connection, op)
            continue
        table = _table(op.table)
        if op.kind == "insert":
            assert op.after is not None
            try:
                with connection.begin_nested():
                    connection.execute(insert(table).values(op.after))
            except DBAPIError as error:
                if not is_refusal(error):
                    raise
                raise UndoConflictError(
                    f"cannot restore a row of {op.table}: it conflicts with later changes"
                ) from error
            continue
        assert op.before is not None
        condition = and_(*_key_clause(table, op.key), *_matches(table, op.before))
        if op.kind == "delete":
            statement = delete(table).where(condition)
        else:
            assert op.after is not None
            statement = update(table).where(condition).values(op.after)
        if connection.execute(statement).rowcount != 1:
            raise UndoConflictError(f"a row of {op.table} was changed since; nothing was undone")


def summarise(description: str, ops: Iterable[Change]) -> ChangeSummary:
    """Group the touched keys per table; a link table's key stays a tuple."""
    groups: dict[str, dict[str, list[object]]] = {"insert": {}, "update": {}, "delete": {}}
    for op in ops:
        if isinstance(op, RowGuard):
            continue
        keys = groups[op.kind].setdefault(op.table, [])
        if isinstance(op, RowBatch):
            keys.extend(row[0] for row in op.rows)
        else:
            keys.append(op.key[0] if len(op.key) == 1 else op.key)
    frozen = {
        kind: {table: tuple(dict.fromkeys(keys)) for table, keys in tables.items()}
        for kind, tables in groups.items()
    }
    return ChangeSummary(description, frozen["insert"], frozen["update"], frozen["delete"])
