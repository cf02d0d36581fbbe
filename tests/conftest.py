"""Shared fixtures: every store and services test runs on SQLite and on PostgreSQL.

PostgreSQL comes from QDA_TEST_PG_URL (CI sets it) or from a throwaway server started here;
where neither is possible the PostgreSQL variants are skipped with the reason shown.
"""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from qda_app.services.coders import use_coder
from qda_app.services.project import Project, create_project
from tests import pg_server

BACKENDS = ["sqlite", "postgresql"]
_pg_skip_reason = ""


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str | None]:
    """A URL of a database that may create and drop other databases, or None."""
    global _pg_skip_reason
    url = os.environ.get("QDA_TEST_PG_URL")
    if url:
        yield url
        return
    if pg_server.find_bin_dir() is None:
        _pg_skip_reason = "no PostgreSQL server binaries (apt-get install postgresql)"
        yield None
        return
    base = Path(tempfile.mkdtemp(prefix="qda-pg-"))
    try:
        yield pg_server.start(base)
    except Exception as error:  # the reason is shown on every skipped test
        _pg_skip_reason = f"could not start PostgreSQL: {error}"
        yield None
    finally:
        pg_server.stop(base)


@pytest.fixture
def pg_database(pg_admin_url: str | None) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    if pg_admin_url is None:
        pytest.skip(_pg_skip_reason or "no PostgreSQL server")
    name = f"qda_test_{uuid4().hex[:12]}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def location(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where a new project goes: a .qda path or an empty PostgreSQL database's URL."""
    if backend == "sqlite":
        return str(tmp_path / "project.qda")
    return str(request.getfixturevalue("pg_database"))


@pytest.fixture
def project(location: str) -> Iterator[Project]:
    """A new, empty project with a coder named 'Tester' chosen."""
    with create_project(location, name="Test", language="de") as created:
        use_coder(created, "Tester")
        created.history.clear()
        yield created


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """CI must prove the PostgreSQL tests ran, not just that nothing failed."""
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for outcome in counts:
        for report in terminalreporter.stats.get(outcome, []):
            on_postgresql = "[postgresql" in getattr(report, "nodeid", "")
            counted_phase = report.when == "call" or (
                outcome != "passed" and report.when == "setup"
            )
            if on_postgresql and counted_phase:
                counts[outcome] += 1
    terminalreporter.write_line(
        "PostgreSQL tests: {passed} passed, {failed} failed, {skipped} skipped".format(**counts)
    )
