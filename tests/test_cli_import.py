"""`qda import`, `docs`, `show`, `speakers`, `pseudonymise` as a user runs them."""

import json

from qda_app.cli import main
from qda_app.formats.readers import read_document
from tests.import_corpus import bad_files, good_files


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_import_exit_codes_progress_and_json(capsys, location, tmp_path):
    run(capsys, "init", location)
    good = good_files(tmp_path / "good")
    code, out, err = run(capsys, "import", location, tmp_path / "good", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"imported", "skipped", "failed", "cancelled"}
    assert len(data["imported"]) == len(good) and data["failed"] == []
    assert {"name", "words", "turns", "speakers"} <= set(data["imported"][0])
    assert len([line for line in err.splitlines() if line.startswith("[")]) == len(good)

    bad = bad_files(tmp_path / "bad")
    code, out, err = run(capsys, "import", location, tmp_path / "bad", good["utf8"])
    assert code == 1
    assert f"failed {len(bad)}" in out and "skipped 1" in out
    failure_lines = [line for line in out.splitlines() if line.strip().startswith("failed ")]
    assert len(failure_lines) == len(bad)


def test_docs_json_and_show(capsys, location, tmp_path):
    run(capsys, "init", location)
    files = good_files(tmp_path)
    run(capsys, "import", location, tmp_path)
    code, out, _ = run(capsys, "docs", location, "--json")
    assert code == 0
    rows = {row["name"]: row for row in json.loads(out)}
    assert set(rows) == {p.stem for p in files.values()}
    parsed = read_document(files["subtitles"].read_bytes(), files["subtitles"].name)
    assert rows["subtitles"]["turns"] == len(parsed.turns)
    assert sorted(rows["subtitles"]["speakers"]) == sorted(s.label for s in parsed.speakers)

    code, out, _ = run(capsys, "show", location, "subtitles")
    lines = out.splitlines()
    assert code == 0 and len(lines) == len(parsed.turns)
    assert all(line.startswith("[00:00:0") for line in lines)
    code, _, err = run(capsys, "show", location, "nope")
    assert code == 1 and "no document" in err


def test_speakers_and_pseudonymise_commands(capsys, location, tmp_path):
    run(capsys, "init", location)
    path = good_files(tmp_path)["utf8"]
    run(capsys, "import", location, path)
    code, out, _ = run(capsys, "speakers", location, "utf8", "--rename", "B", "Mutter", "--json")
    assert code == 0 and "Mutter" in {s["name"] for s in json.loads(out)}
    key = tmp_path / "map.csv"
    key.write_text("name,pseudonym\nMüller,Schmidt\n", encoding="utf-8")
    code, out, _ = run(capsys, "pseudonymise", location, "--all", "--map", key)
    assert code == 0 and "names replaced" in out
    _, shown, _ = run(capsys, "show", location, "utf8")
    assert "Müller" not in shown and "Schmidt" in shown


def test_key_file_is_written_outside_the_project(capsys, location, tmp_path):
    run(capsys, "init", location)
    source = tmp_path / "in" / "Gespräch.txt"
    source.parent.mkdir()
    source.write_text(
        "Anna Weber: Hallo\nInterviewer: Wie geht es, Anna Weber?\nAnna Weber: Gut.\n",
        encoding="utf-8",
    )
    key = tmp_path / "key.csv"
    code, _, _ = run(capsys, "import", location, source.parent, "--key-file", key)
    assert code == 0 and "Anna Weber" in key.read_text(encoding="utf-8-sig")
    _, shown, _ = run(capsys, "show", location, "Gespräch")
    assert "Anna Weber" not in shown
    code, _, err = run(capsys, "import", location, source.parent, "--key-file", key)
    assert code == 1 and "exists" in err


def test_unknown_option_is_a_usage_error(capsys, location):
    code, _, _ = run(capsys, "import", location)
    assert code == 2
