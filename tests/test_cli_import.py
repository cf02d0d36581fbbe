"""`qda import`, `docs`, `show`, `speakers`, `pseudonymise` as a user runs them."""

import json
import sqlite3

from sqlalchemy.exc import OperationalError

from qda_app.cli import import_commands
from qda_app.formats.pseudonymise import read_pseudonym_csv
from qda_app.formats.readers import read_document
from qda_app.services import importing
from tests.cli_run import run
from tests.import_corpus import bad_files, good_files
from tests.test_import_files import locked_on_second_store


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


def _family_file(folder, name: str, speaker: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        f"{speaker}: Hallo\nInterviewer: Wie geht es, {speaker}?\n{speaker}: Gut.\n",
        encoding="utf-8",
    )


def test_case_table_is_pseudonymised_with_the_documents(capsys, location, tmp_path):
    run(capsys, "init", location)
    _family_file(tmp_path / "in", "Interview_Müller.txt", "Frau Müller")
    mapping = tmp_path / "map.csv"
    mapping.write_text("name,pseudonym\nMüller,Schmidt\n", encoding="utf-8")
    table = tmp_path / "faelle.csv"
    table.write_text(
        "Dokument;Kontakt\nInterview_Müller.txt;Frau Müller\nMüller;Frau Müller\n", encoding="utf-8"
    )
    code, out, _ = run(
        capsys, "import", location, tmp_path / "in", "--pseudonymise", mapping,
        "--cases", table, "--json",
    )  # fmt: skip
    assert code == 0
    cases = json.loads(out)["cases"]
    assert "Müller" not in json.dumps(cases, ensure_ascii=False)
    assert cases["links"] == [["Interview_Schmidt.txt", "Interview_Schmidt"]]
    assert set(cases["cases_created"]) == {"Interview_Schmidt.txt", "Schmidt"}


def test_key_file_that_exists_or_has_no_folder_stops_before_importing(capsys, location, tmp_path):
    run(capsys, "init", location)
    _family_file(tmp_path / "in", "gespraech.txt", "Anna Weber")
    existing = tmp_path / "key.csv"
    existing.write_text("earlier key\n", encoding="utf-8")
    for key in (existing, tmp_path / "missing" / "key.csv"):
        code, _, err = run(capsys, "import", location, tmp_path / "in", "--key-file", key)
        assert code == 1
        assert len(err.strip().splitlines()) == 1 and str(key) in err
        _, out, _ = run(capsys, "docs", location, "--json")
        assert json.loads(out) == []
    assert existing.read_text(encoding="utf-8") == "earlier key\n"


def test_an_interrupted_import_still_leaves_the_key_of_what_was_imported(
    capsys, location, tmp_path, monkeypatch
):
    run(capsys, "init", location)
    _family_file(tmp_path / "in", "a.txt", "Anna Weber")
    _family_file(tmp_path / "in", "b.txt", "Ben Roth")
    real_read = importing.read_document

    def read_then_interrupt(data, name, *args):
        if name == "b.txt":
            raise KeyboardInterrupt
        return real_read(data, name, *args)

    monkeypatch.setattr(importing, "read_document", read_then_interrupt)
    key = tmp_path / "key.csv"
    code, _, _ = run(capsys, "import", location, tmp_path / "in", "--key-file", key)
    assert code == 130
    pairs = read_pseudonym_csv(key.read_bytes(), key.name)
    assert set(pairs) == {"Anna Weber"}
    _, shown, _ = run(capsys, "show", location, "a")
    assert "Anna Weber" not in shown and pairs["Anna Weber"] in shown


def test_pseudonymise_command_handles_letters_whose_case_folding_differs(
    capsys, location, tmp_path
):
    run(capsys, "init", location)
    source = tmp_path / "ilker.txt"
    source.write_text("I: Wer ist ILKER?\nB: İlker ist mein Sohn.\n" * 2, encoding="utf-8")
    run(capsys, "import", location, source)
    mapping = tmp_path / "map.csv"
    mapping.write_text("name,pseudonym\nİlker,Jan\n", encoding="utf-8")
    code, _, err = run(capsys, "pseudonymise", location, "ilker", "--map", mapping)
    assert code == 0 and "Traceback" not in err
    _, shown, _ = run(capsys, "show", location, "ilker")
    assert "Jan ist" in shown and "JAN?" in shown
    assert "İlker" not in shown and "ILKER" not in shown


def test_a_text_without_speakers_is_imported_as_paragraphs_and_the_user_is_told(
    capsys, location, tmp_path
):
    run(capsys, "init", location)
    plain = tmp_path / "notiz.txt"
    plain.write_text("Ein Absatz ohne Sprecher.\n\nNoch einer: mit Doppelpunkt.\n")
    code, out, err = run(capsys, "import", location, plain)
    assert code == 0
    assert "note" in out and "no speakers found" in out
    assert "no speakers found" in err  # the progress line says it as well
    code, out, _ = run(capsys, "docs", location, "--json")
    [document] = json.loads(out)
    assert document["turns"] == 2 and document["speakers"] == []


def test_show_json_lists_turns_with_the_documented_keys(capsys, location, tmp_path):
    run(capsys, "init", location)
    path = good_files(tmp_path)["subtitles"]
    run(capsys, "import", location, path)
    code, out, _ = run(capsys, "show", location, "subtitles", "--json")
    assert code == 0
    turns = json.loads(out)
    parsed = read_document(path.read_bytes(), path.name)
    assert [set(turn) for turn in turns] == [
        {"speaker", "start", "text_start", "end", "timestamp_ms", "text"}
    ] * len(parsed.turns)
    assert [t["timestamp_ms"] for t in turns] == [t.timestamp_ms for t in parsed.turns]
    assert [t["text"] for t in turns] == [parsed.text[t.text_start : t.end] for t in parsed.turns]
    assert {t["speaker"] for t in turns} == {s.label for s in parsed.speakers}


def test_a_database_failure_stops_the_import_with_one_message_and_the_summary(
    capsys, location, tmp_path, monkeypatch
):
    run(capsys, "init", location)
    good_files(tmp_path / "in")
    locked_on_second_store(monkeypatch)
    code, out, err = run(capsys, "import", location, tmp_path / "in", "--json")
    assert code == 1 and "Traceback" not in err
    summary = json.loads(out)
    assert len(summary["imported"]) == 1 and summary["failed"] == []
    assert summary["error"].startswith("database is locked (import stopped at ")
    errors = [line for line in err.splitlines() if not line.startswith("[")]
    assert errors == [f"qda: error: {summary['error']}"]
    code, out, _ = run(capsys, "docs", location, "--json")
    assert [d["name"] for d in json.loads(out)] == [summary["imported"][0]["name"]]


def test_a_folder_without_supported_files_fails(capsys, location, tmp_path):
    run(capsys, "init", location)
    (tmp_path / "leer").mkdir()
    code, out, err = run(capsys, "import", location, tmp_path / "leer")
    assert code == 1 and out == ""
    assert err.startswith(
        f"qda: error: no supported files found in {tmp_path / 'leer'} (supported:"
    )


def test_an_unusable_case_table_stops_before_anything_is_imported(capsys, location, tmp_path):
    run(capsys, "init", location)
    _family_file(tmp_path / "in", "Familie A.txt", "Anna")
    tables = {"leer.csv": "", "kopf.csv": "Dokument;Bezirk\n", "faelle.csv": "Dokument\nA\n"}
    for name, content in tables.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    (tmp_path / "faelle.docx").write_bytes(good_files(tmp_path / "docx")["word"].read_bytes())
    for table, extra in [
        ("leer.csv", []), ("kopf.csv", []), ("faelle.docx", []),
        ("faelle.csv", ["--case-key", "Bezirk"]),
    ]:  # fmt: skip
        code, out, err = run(
            capsys, "import", location, tmp_path / "in", "--cases", tmp_path / table, *extra
        )
        assert code == 1 and out == "" and len(err.splitlines()) == 1, table
        _, docs, _ = run(capsys, "docs", location, "--json")
        assert json.loads(docs) == [], table


def test_the_summary_is_printed_when_linking_cases_fails_after_the_import(
    capsys, location, tmp_path, monkeypatch
):
    run(capsys, "init", location)
    _family_file(tmp_path / "in", "Familie A.txt", "Anna")
    table = tmp_path / "faelle.csv"
    table.write_text("Dokument;Bezirk\nFamilie A;Nord\n", encoding="utf-8")

    def disk_full(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(import_commands, "import_case_table", disk_full)
    code, out, err = run(capsys, "import", location, tmp_path / "in", "--cases", table)
    assert code == 1 and "Imported 1, skipped 0 duplicates, failed 0" in out
    assert err.splitlines()[-1] == "qda: error: database or disk is full"
    code, out, err = run(capsys, "import", location, tmp_path / "in", "--cases", table, "--json")
    summary = json.loads(out)
    assert code == 1 and summary["cases"] is None
    assert summary["error"] == "database or disk is full" and len(summary["skipped"]) == 1
