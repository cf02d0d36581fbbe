"""Failures the user has to fix (permissions, read-only places, full or locked databases) end
in one `qda: error:` line and exit 1, never in a traceback.

The permission tests run `qda` in a child process without the capabilities that let root
read and write everything (setpriv), so they also run in containers where the tests are root.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from qda_app.cli import main, project_commands
from qda_app.services.codes import add_code
from qda_app.services.project import create_project, open_project
from qda_app.store.schema import create_store
from tests.cli_run import run
from tests.import_corpus import GOOD_TEXT

_SETPRIV = shutil.which("setpriv")
_WITHOUT_OVERRIDE = "-dac_override,-dac_read_search"


def _qda(cwd: Path, *args: object) -> subprocess.CompletedProcess[str]:
    """`qda ARGS` as a user without the right to ignore file permissions."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if _SETPRIV is None:
            pytest.skip("running as root without setpriv: permissions cannot be tested")
        prefix = [
            _SETPRIV,
            f"--inh-caps={_WITHOUT_OVERRIDE}",
            f"--bounding-set={_WITHOUT_OVERRIDE}",
        ]
    command = [*prefix, sys.executable, "-m", "qda_app.cli", *(str(arg) for arg in args)]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one error line (progress lines of an import start with '[')."""
    [line] = [line for line in result.stderr.splitlines() if not line.startswith("[")]
    assert line.startswith("qda: error: ")
    return line.removeprefix("qda: error: ")


@pytest.fixture
def places(tmp_path: Path) -> Iterator[Path]:
    """p.qda (writable, one code), a.txt, np/ (no access at all) and ro/ (read-only folder
    holding a copy of p.qda); permissions are restored so the folder can be cleaned up."""
    with create_project(str(tmp_path / "p.qda"), name="p", language="de"):
        pass
    (tmp_path / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "np").mkdir()
    (tmp_path / "np" / "x.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "ro").mkdir()
    shutil.copy(tmp_path / "p.qda", tmp_path / "ro" / "p.qda")
    (tmp_path / "np").chmod(0o000)
    (tmp_path / "ro").chmod(0o555)
    try:
        yield tmp_path
    finally:
        (tmp_path / "np").chmod(0o755)
        (tmp_path / "ro").chmod(0o755)


def test_unreadable_files_and_folders_are_reported_in_one_line(places):
    result = _qda(places, "import", "p.qda", "np/x.txt")
    assert result.returncode == 1
    assert "failed  np/x.txt: cannot be read (Permission denied)" in result.stdout
    result = _qda(places, "import", "p.qda", "np")
    assert (
        result.returncode == 1 and _error_line(result) == "np: cannot be read (Permission denied)"
    )
    for command in ("init", "info"):
        result = _qda(places, command, "np/y.qda")
        assert result.returncode == 1 and _error_line(result) == "np/y.qda: Permission denied"


def test_a_project_in_a_read_only_folder_can_be_read_but_not_changed(places):
    result = _qda(places, "info", "ro/p.qda", "--json")
    assert result.returncode == 0 and '"documents": 0' in result.stdout
    for command in ("docs", "codings"):
        assert _qda(places, command, "ro/p.qda").returncode == 0
    result = _qda(places, "import", "ro/p.qda", "a.txt")
    assert result.returncode == 1 and "Imported 0" in result.stdout
    message = _error_line(result)
    assert message.startswith("ro/p.qda is read-only; copy it somewhere writable")
    result = _qda(places, "init", "ro/n.qda")
    assert result.returncode == 1 and _error_line(result).endswith("the folder ro is read-only")
    assert sorted(p.name for p in (places / "ro").iterdir()) == ["p.qda"], "no -wal, -shm, .bak"


def test_export_into_a_read_only_folder_names_the_target(places):
    with open_project(str(places / "p.qda")) as project:
        add_code(project, "Wohnen")
    result = _qda(places, "codebook", "export", "p.qda", "ro/x.qdc")
    assert result.returncode == 1
    assert _error_line(result) == "ro/x.qdc: cannot be written (Permission denied)"


def test_a_read_only_file_is_opened_read_only(places):
    (places / "p.qda").chmod(0o444)
    result = _qda(places, "info", "p.qda")
    assert result.returncode == 0
    result = _qda(places, "import", "p.qda", "a.txt")
    assert result.returncode == 1 and "p.qda is read-only;" in _error_line(result)


def test_a_read_only_project_of_an_older_schema_is_not_migrated(tmp_path):
    (tmp_path / "ro").mkdir()
    create_store(str(tmp_path / "ro" / "old.qda"), target="0001").dispose()
    (tmp_path / "ro").chmod(0o555)
    try:
        result = _qda(tmp_path, "info", "ro/old.qda")
    finally:
        (tmp_path / "ro").chmod(0o755)
    assert result.returncode == 1
    assert _error_line(result).startswith("ro/old.qda is read-only and must first be updated")
    assert sorted(p.name for p in (tmp_path / "ro").iterdir()) == ["old.qda"]


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (PermissionError(13, "Permission denied", "x.qda"), "x.qda: Permission denied"),
        (OSError(28, "No space left on device"), "No space left on device"),
        (
            OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked")),
            "database is locked",
        ),
        (sqlite3.DatabaseError("disk I/O error\nmore"), "disk I/O error"),
    ],
)
def test_os_and_database_errors_become_one_line(capsys, monkeypatch, tmp_path, raised, expected):
    def fail(_project: object) -> None:
        raise raised

    location = tmp_path / "p.qda"
    run(capsys, "init", location)
    monkeypatch.setattr(project_commands, "project_summary", fail)
    code, out, err = run(capsys, "info", location)
    assert (code, out, err) == (1, "", f"qda: error: {expected}\n")


def test_a_bug_keeps_its_traceback(capsys, monkeypatch, tmp_path):
    def fail(_project: object) -> None:
        raise ValueError("a bug")

    location = tmp_path / "p.qda"
    run(capsys, "init", location)
    monkeypatch.setattr(project_commands, "project_summary", fail)
    with pytest.raises(ValueError, match="a bug"):
        main(["info", str(location)])
