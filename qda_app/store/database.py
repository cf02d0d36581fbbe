"""Engines for both back ends: an SQLite file per project, or a PostgreSQL URL for a team."""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SQLITE_HEADER = b"SQLite format 3\x00"
# 64 MiB of page cache: bulk imports update five indexes of the coding table, and the default
# 2 MiB makes them thrash (measured: 38,000 vs over 100,000 codings/s).
CACHE_KIB = 65_536


def is_url(location: str) -> bool:
    return "://" in location


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets a reader look while the writer commits; synchronous=FULL makes every commit durable.

    The sqlite3 driver's own transaction handling is switched off so SQLAlchemy's BEGIN is the one
    that counts (see the SQLAlchemy SQLite dialect notes on 'serializable isolation').
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
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
    """An engine for a project path or URL; SQLite gets its pragmas on every connection."""
    if is_url(location):
        if location.startswith("postgresql://"):
            location = "postgresql+psycopg://" + location.removeprefix("postgresql://")
        return create_engine(location, pool_pre_ping=True)
    engine = create_engine(sqlite_url(Path(location)))
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    """Objects stay readable after commit: services turn them into value types afterwards."""
    return sessionmaker(engine, expire_on_commit=False, autoflush=True)
