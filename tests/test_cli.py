"""The `qda` command as a user runs it: exit codes, messages, tables and stable JSON keys."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qda_app.services import codes, codings, documents
from qda_app.services.coders import use_coder
from qda_app.services.project import open_project
from tests.cli_run import run


def _fill(location: str) -> None:
    with open_project(location) as project:
        use_coder(project, "Ayşe")
        text = "I: Wie ist die Wohnung?\nB: Zu klein 😀 für drei Kinder.\n"
        document = documents.add_document(project, "Familie Ö", text).value
        parent = codes.add_code(project, "Bedarfe").value
        child = codes.add_code(project, "Wohnen", parent_id=parent.id).value
        start = text.index("Zu klein")
        codings.add_coding(project, document.id, child.id, start, start + len("Zu klein 😀"))


def test_init_then_info_json_has_the_documented_keys(capsys, location):
    code, out, _ = run(capsys, "init", location, "--language", "en")
    assert code == 0 and "Created project" in out
    _fill(location)
    code, out, _ = run(capsys, "info", location, "--json")
    assert code == 0
    data = json.loads(out)
    assert {k: data[k] for k in ("documents", "codes", "codings", "coders", "cases")} == {
        "documents": 1,
        "codes": 2,
        "codings": 1,
        "coders": 1,
        "cases": 0,
    }
    assert data["schema_version"] == 2
    assert data["language"] == "en"


def test_codings_lists_path_coder_and_exact_text(capsys, location):
    run(capsys, "init", location)
    _fill(location)
    code, out, _ = run(capsys, "codings", location, "--json")
    assert code == 0
    [row] = json.loads(out)
    assert row["document"] == "Familie Ö"
    assert row["code"] == "Bedarfe/Wohnen"
    assert row["coder"] == "Ayşe"
    assert row["text"] == "Zu klein 😀"
    assert row["end"] - row["start"] == len("Zu klein 😀")
    code, out, _ = run(capsys, "codings", location)
    assert code == 0 and "Bedarfe/Wohnen" in out and "Zu klein 😀" in out and "1 codings" in out


def test_codings_for_unknown_document_fails_with_hint(capsys, tmp_path):
    location = str(tmp_path / "p.qda")
    run(capsys, "init", location)
    code, _, err = run(capsys, "codings", location, "--document", "nope")
    assert code == 1 and "no document named 'nope'" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"Interview notes\n", "not an SQLite database"),
        (b"", "empty file"),
    ],
)
def test_info_on_non_projects_exits_1_and_leaves_file_untouched(
    capsys, tmp_path, content, expected
):
    path = tmp_path / "not-a-project.qda"
    path.write_bytes(content)
    code, _, err = run(capsys, "info", str(path))
    assert code == 1
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-project.qda"]


def test_info_on_truncated_project_exits_1_and_leaves_file_untouched(capsys, tmp_path):
    path = tmp_path / "p.qda"
    run(capsys, "init", str(path))
    _fill(str(path))
    whole = path.read_bytes()
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    path.write_bytes(whole[: len(whole) // 2])
    before = path.read_bytes()
    code, _, err = run(capsys, "info", str(path))
    assert code == 1 and "damaged" in err
    assert len(err.strip().splitlines()) == 1
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_init_refuses_to_overwrite(capsys, tmp_path):
    path = tmp_path / "p.qda"
    path.write_text("precious")
    code, _, err = run(capsys, "init", str(path))
    assert code == 1 and "already exists" in err
    assert path.read_text() == "precious"


def test_usage_errors_exit_2(capsys):
    code, _, err = run(capsys, "info")
    assert code == 2 and "usage" in err


def test_version_and_help_from_the_installed_command():
    version = subprocess.run(
        [sys.executable, "-m", "qda_app.cli", "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0 and version.stdout.startswith("qda ")
    helptext = subprocess.run(
        [sys.executable, "-m", "qda_app.cli", "--help"], capture_output=True, text=True
    )
    for command in ("init", "info", "codings"):
        assert command in helptext.stdout
