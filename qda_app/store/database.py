"""Engines for both back ends: an SQLite file per project, or a PostgreSQL URL for a team."""

import os
import sqlite3
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from qda_app.domain.errors import QdaError

SQLITE_HEADER = b"SQLite format 3\x00"
# 64 MiB of page cache: bulk imports update five indexes of the coding table, and the default
# 2 MiB makes them thrash (measured: 38,000 vs over 100,000 codings/s).
CACHE_KIB = 65_536


def is_url(location: str) -> bool:
    return "://" in location


def display_location(location: str) -> str:
    """The location as it may be shown or logged: a URL's password is replaced by ***."""
    if not is_url(location):
        return location
    try:
        return make_url(location).render_as_string(hide_password=True)
    except ArgumentError:
        return location.split("://", 1)[0] + "://…"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def read_only_uri(path: Path) -> str:
    """Read without leaving -wal/-shm files behind: `immutable` skips locking and the WAL index,
    which is safe when no WAL file exists; when one does, it must be read, so open normally."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return uri


def read_only_engine(path: Path) -> Engine:
    """An engine that can never write to the file (probing foreign files, read-only projects)."""
    uri = read_only_uri(path)
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))


class ReadOnlyProjectError(QdaError):
    """The project file, its folder or its medium cannot be written (a shared or archived copy)."""


def read_only_message(location: str, need: str = "") -> str:
    """One wording wherever a write meets a read-only project, with the way out."""
    return f"{location} is read-only{need}; copy it somewhere writable"


def database_error_line(error: BaseException, location: str | None = None) -> str:
    """One line a user can act on for a driver error: the driver's own first line (SQLAlchemy
    appends the SQL and a web link, no help to a user), or, for a write that SQLite refused
    because the project is read-only and `location` is known, the way out."""
    text = str(getattr(error, "orig", None) or error).strip()
    if location is not None and "readonly database" in text:
        return read_only_message(location)
    return " ".join(text.splitlines()[0].split()) if text else type(error).__name__


def is_writable(path: Path) -> bool:
    """Whether a project file can be opened for writing: WAL needs the file and its folder
    (for the -wal and -shm files); asked before connecting because switching to WAL in a
    read-only place fails with an error that names neither."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, wal: bool = True) -> None:
    """WAL lets a reader look while the writer commits; synchronous=FULL makes every commit durable.

    The sqlite3 driver's own transaction handling is switched off so SQLAlchemy's BEGIN is the one
    that counts (see the SQLAlchemy SQLite dialect notes on 'serializable isolation'). A read-only
    connection (`wal=False`) cannot switch the journal mode, and needs not: it never writes.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    if wal:
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    cursor.close()


WRITE_OPTION = "qda_write"


def _sqlite_begin(connection: Any) -> None:
    """A writing transaction takes the write lock at once, so it waits (busy_timeout) instead of
    failing halfway when another process writes; reading transactions never block writers."""
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(location: str) -> Engine:
    """An engine for a project path or URL; SQLite gets its pragmas on every connection.

    An existing project file that cannot be written (read-only file, folder or medium) is
    opened read-only, so it can still be looked into; a write then fails with SQLite's
    "attempt to write a readonly database", which the CLI turns into advice.
    """
    if is_url(location):
        if location.startswith("postgresql://"):
            location = "postgresql+psycopg://" + location.removeprefix("postgresql://")
        return create_engine(location, pool_pre_ping=True)
    path = Path(location)
    if path.is_file() and not is_writable(path):
        engine = read_only_engine(path)
        event.listen(engine, "connect", partial(_sqlite_pragmas, wal=False))
    else:
        engine = create_engine(sqlite_url(path))
        event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    """Objects stay readable after commit: services turn them into value types afterwards."""
    return sessionmaker(engine, expire_on_commit=False, autoflush=True)
