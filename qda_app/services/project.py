"""Creating, opening and closing projects, and the transaction every change runs in."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from qda_app.domain.changes import ChangeSummary
from qda_app.domain.errors import InvalidInputError, UndoConflictError
from qda_app.domain.values import ProjectSummary
from qda_app.services.history import History, HistoryEntry
from qda_app.store import models as m
from qda_app.store.database import WRITE_OPTION, display_location, is_url, make_sessions
from qda_app.store.row_changes import (
    Change,
    Recorder,
    apply_ops,
    attach_recorder,
    is_refusal,
    summarise,
)
from qda_app.store.schema import (
    check_store,
    create_store,
    open_store,
    schema_version_of,
    stored_revision,
)

LANGUAGES = ("de", "en")


@dataclass
class Project:
    """An open project: where it lives, how to talk to it, its undo history, who is coding."""

    location: str
    engine: Engine
    sessions: sessionmaker[Session]
    revision: str
    history: History = field(default_factory=History)
    coder_id: int | None = None
    backup: Path | None = None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class UnitOfWork:
    """One committed transaction; after the `with` block, `summary` says what it changed."""

    def __init__(self, session: Session, recorder: Recorder, description: str) -> None:
        self.session = session
        self.recorder = recorder
        self.description = description
        self.summary = ChangeSummary(description)


@contextmanager
def change(
    project: Project, description: str, *, collect: list[HistoryEntry] | None = None
) -> Iterator[UnitOfWork]:
    """Run a user action as one transaction, commit it at once, and make it undoable.

    Integrity errors from the database become InvalidInputError so callers see one message.
    A batch job passes `collect` to gather its transactions' undo entries and pushes them as
    one step afterwards (`History.push_group`).
    """
    recorder = Recorder()
    session = project.sessions()
    attach_recorder(session, recorder)
    work = UnitOfWork(session, recorder, description)
    try:
        session.connection(execution_options={WRITE_OPTION: True})
        yield work
        session.commit()
    except DBAPIError as error:
        session.rollback()
        if not is_refusal(error):
            raise
        reason = str(error.orig).splitlines()[0] if error.orig else str(error)
        raise InvalidInputError(f"{description}: refused by the database ({reason})") from error
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    if recorder.ops:
        entry = HistoryEntry(work.description, tuple(recorder.ops))
        if collect is not None:
            collect.append(entry)
        else:
            project.history.push(entry)
    work.summary = summarise(work.description, recorder.ops)


@contextmanager
def reading(project: Project) -> Iterator[Session]:
    """A read-only session; nothing it does is committed."""
    session = project.sessions()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def _write_ops(project: Project, ops: list[Change]) -> None:
    session = project.sessions()
    try:
        connection = session.connection(execution_options={WRITE_OPTION: True})
        apply_ops(connection, ops)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def undo(project: Project) -> ChangeSummary | None:
    """Undo the newest change; None when there is nothing to undo."""
    try:
        return project.history.undo(lambda ops: _write_ops(project, ops))
    except DBAPIError as error:
        if not is_refusal(error):
            raise
        raise UndoConflictError("undo conflicts with later changes; nothing was undone") from error


def redo(project: Project) -> ChangeSummary | None:
    try:
        return project.history.redo(lambda ops: _write_ops(project, ops))
    except DBAPIError as error:
        if not is_refusal(error):
            raise
        raise UndoConflictError("redo conflicts with later changes; nothing was redone") from error


def create_project(location: str, name: str | None = None, language: str = "de") -> Project:
    """Create a project file (or fill an empty PostgreSQL database) by running the migrations."""
    if language not in LANGUAGES:
        raise InvalidInputError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    project_name = name or (
        location.rsplit("/", 1)[-1] if is_url(location) else Path(location).stem
    )
    engine = create_store(location)
    sessions = make_sessions(engine)
    with sessions.begin() as session:
        session.add(m.ProjectRow(id=1, name=project_name, language=language))
    return Project(location, engine, sessions, stored_revision(engine))


def open_project(location: str) -> Project:
    """Open a project; an older schema is migrated after a backup copy (Project.backup)."""
    engine, revision, backup = open_store(location)
    return Project(location, engine, make_sessions(engine), revision, backup=backup)


def check_project(location: str) -> list[str]:
    """The full integrity check (slower than the one every open runs); [] when sound."""
    return check_store(location)


def project_summary(project: Project) -> ProjectSummary:
    """Counts for `qda info` and the status bar: one short read transaction."""
    with reading(project) as session:
        row = session.get(m.ProjectRow, 1)
        if row is None:
            raise InvalidInputError(f"{project.location} has no project row; it is damaged")

        def count(model: type[m.Base]) -> int:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)

        return ProjectSummary(
            name=row.name,
            language=row.language,
            schema_version=schema_version_of(project.revision),
            created_at=row.created_at,
            documents=count(m.Document),
            codes=count(m.Code),
            codings=count(m.Coding),
            coders=count(m.Coder),
            cases=count(m.Case),
            memos=count(m.Memo),
            location=display_location(project.location),
        )
