"""Batch import into a project: whole files or nothing, duplicates, cancel, one undo step."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from qda_app.domain.errors import InvalidInputError
from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.pseudonymise import pseudonymise
from qda_app.formats.readers import read_document
from qda_app.services import importing
from qda_app.services.documents import document_text, list_documents
from qda_app.services.importing import (
    ImportStoppedError,
    add_parsed_document,
    expand_paths,
    import_files,
)
from qda_app.services.project import redo, undo
from qda_app.services.pseudonymisation import DOCUMENT_NAME_LIMIT
from qda_app.services.transcripts import count_words, document_overviews, document_turns
from tests.import_corpus import GOOD_TEXT, bad_files, good_files, ignored_files
from tests.state import count, diff_tables, dump


def test_folder_import_reports_every_file_once(project, tmp_path):
    good = good_files(tmp_path / "in")
    bad = bad_files(tmp_path / "in")
    ignored = ignored_files(tmp_path / "in")
    (tmp_path / "in" / "zz copy.txt").write_bytes(good["utf8"].read_bytes())

    summary = import_files(project, [tmp_path / "in"])

    assert {d.name for d in summary.imported} == {p.stem for p in good.values()}
    assert [(Path(s.file).name, s.existing) for s in summary.skipped] == [("zz copy.txt", "utf8")]
    assert {Path(f.file) for f in summary.failed} == set(bad.values())
    mentioned = {Path(r.file) for r in (*summary.imported, *summary.skipped, *summary.failed)}
    assert not mentioned & set(ignored)
    for failed in summary.failed:
        assert failed.reason and "\n" not in failed.reason
    assert len({f.reason for f in summary.failed}) == len(bad), "each failure says its own reason"
    assert not summary.cancelled


def test_stored_text_turns_and_speakers_match_the_reader(project, tmp_path):
    files = good_files(tmp_path)
    summary = import_files(project, list(files.values()))
    overviews = {o.name: o for o in document_overviews(project)}
    for imported in summary.imported:
        path = Path(imported.file)
        parsed = read_document(path.read_bytes(), path.name)
        overview = overviews[imported.name]
        assert document_text(project, imported.document_id) == parsed.text
        assert overview.turns == imported.turns == len(parsed.turns)
        assert overview.words == imported.words == count_words(parsed.text)
        assert len(overview.speakers) == len({s.label for s in parsed.speakers})
        turns = document_turns(project, imported.document_id)
        assert [t.text for t in turns] == [parsed.text[t.text_start : t.end] for t in parsed.turns]
        assert [t.timestamp_ms for t in turns] == [t.timestamp_ms for t in parsed.turns]
    latin1 = document_text(
        project, next(d for d in summary.imported if d.name == "latin1").document_id
    )
    assert "größere" in latin1 and "Ärztinnen" in latin1


@pytest.mark.parametrize("which", ["damaged", "empty", "binary", "mislabelled"])
def test_a_failed_file_leaves_the_project_unchanged(project, tmp_path, which):
    import_files(project, [good_files(tmp_path / "first")["utf8"]])
    before = dump(project)
    history = len(project.history)
    summary = import_files(project, [bad_files(tmp_path / "bad")[which]])
    assert len(summary.failed) == 1 and not summary.imported
    assert diff_tables(before, dump(project)) == []
    assert len(project.history) == history


def test_missing_file_and_unsupported_type_fail_with_a_reason(project, tmp_path):
    odd = tmp_path / "table.xyz"
    odd.write_text("I: hallo\n", encoding="utf-8")
    summary = import_files(project, [tmp_path / "missing.txt", odd])
    assert [Path(f.file).name for f in summary.failed] == ["missing.txt", "table.xyz"]
    assert all(f.reason for f in summary.failed)
    assert count(project, "document") == 0


def test_one_undo_removes_the_whole_batch_and_redo_restores_it(project, tmp_path):
    earlier = tmp_path / "earlier.txt"
    earlier.write_text("I: Vorher\nB: Schon da\n", encoding="utf-8")
    import_files(project, [earlier])
    before = dump(project)
    files = good_files(tmp_path / "batch")
    summary = import_files(project, [tmp_path / "batch"])
    assert len(summary.imported) == len(files)
    assert project.history.undo_description == f"Import {len(files)} documents"
    after = dump(project)
    undo(project)
    assert diff_tables(before, dump(project)) == []
    redo(project)
    assert diff_tables(after, dump(project)) == []


def test_cancel_stops_after_the_current_file_and_keeps_the_finished(project, tmp_path):
    files = good_files(tmp_path)
    done: list[str] = []
    summary = import_files(
        project,
        [tmp_path],
        progress=lambda finished, total, status: done.append(status),
        is_cancelled=lambda: len(done) >= 2,
    )
    assert summary.cancelled
    assert len(summary.imported) == 2 and len(done) == 2
    assert {d.name for d in list_documents(project)} == {d.name for d in summary.imported}
    assert len(expand_paths([tmp_path])) == len(files)
    undo(project)
    assert count(project, "document") == 0 and count(project, "turn") == 0


def test_duplicates_against_the_project_and_within_a_batch(project, tmp_path):
    files = good_files(tmp_path / "a")
    import_files(project, [files["utf8"]])
    twin = tmp_path / "b" / "other name.txt"
    twin.parent.mkdir()
    twin.write_bytes(files["utf8"].read_bytes())
    summary = import_files(project, [twin, files["latin1"], tmp_path / "a" / "latin1.txt"])
    assert [s.existing for s in summary.skipped] == ["utf8"]
    assert [d.name for d in summary.imported] == ["latin1"]
    assert count(project, "document") == 2


def _same_stem_files(folder: Path, stem: str, how_many: int) -> list[Path]:
    """Files of one stem with different content, each in its own sub-folder."""
    paths = []
    for index in range(how_many):
        path = folder / f"f{index}" / f"{stem}.txt"
        path.parent.mkdir(parents=True)
        path.write_text(f"I: Frage {index}\nB: Antwort\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_same_stem_with_other_content_gets_a_numbered_name(project, tmp_path):
    # One batch per file: a stem taken by an earlier import (not by this batch) is numbered.
    names = [
        import_files(project, [path]).imported[0].name
        for path in _same_stem_files(tmp_path, "Familie", 3)
    ]
    assert names == ["Familie", "Familie (2)", "Familie (3)"]


def test_generic_stems_in_family_folders_keep_the_family_in_the_name(project, tmp_path):
    for family in ("1_Weber", "2_Müller"):
        (tmp_path / family).mkdir()
        (tmp_path / family / "transkript.txt").write_text(f"I: Frage\nB: {family}\n")
    (tmp_path / "1_Weber" / "transkript.md").write_text("I: Noch eine Frage\n")
    summary = import_files(project, [tmp_path], pseudonyms={"Müller": "Schmidt"})
    assert [(Path(d.file).parent.name, d.name) for d in summary.imported] == [
        ("1_Weber", "transkript"),
        ("1_Weber", "transkript (2)"),  # same folder: the folder would not tell them apart
        ("2_Müller", "2_Schmidt – transkript"),  # the folder name is pseudonymised too
    ]


def test_names_joined_by_underscores_are_pseudonymised_in_names_and_file_names(project, tmp_path):
    path = tmp_path / "Familie_Müller" / "Interview_Müller.txt"
    path.parent.mkdir()
    path.write_text("I: Frage\nMüller_2: Antwort\nI: Und?\nMüller_2: Ja.\n", encoding="utf-8")
    [imported] = import_files(project, [path], pseudonyms={"Müller": "Schmidt"}).imported
    [overview] = document_overviews(project)
    assert imported.name == overview.name == "Interview_Schmidt"
    assert overview.source_name == "Interview_Schmidt.txt"
    assert sorted(overview.speakers) == ["I", "Schmidt_2"]
    assert "Müller" not in document_text(project, imported.document_id)


def test_importing_a_taken_stem_again_costs_the_same_statements_every_time(project, tmp_path):
    executed: list[str] = []

    def note(_connection, _cursor, statement, *_args):
        executed.append(statement)

    statements = []
    event.listen(project.engine, "before_cursor_execute", note)
    try:
        for path in _same_stem_files(tmp_path, "Familie", 6):
            executed.clear()
            import_files(project, [path])
            statements.append(len(executed))
    finally:
        event.remove(project.engine, "before_cursor_execute", note)
    assert len(set(statements[1:])) == 1, statements


def test_long_folder_and_file_names_are_cut_to_the_name_column(project, tmp_path):
    paths = _same_stem_files(tmp_path, "b" * 200, 3)
    renamed = [path.parent.with_name(f"{index}" + "a" * 200) for index, path in enumerate(paths)]
    for path, folder in zip(paths, renamed, strict=True):
        path.parent.rename(folder)
    summary = import_files(project, [folder / paths[0].name for folder in renamed])
    names = [d.name for d in summary.imported]
    assert len(names) == len(set(names)) == len(paths) and not summary.failed
    assert all(len(name) <= DOCUMENT_NAME_LIMIT for name in names)
    assert {d.name for d in list_documents(project)} == set(names)


def test_pseudonyms_are_applied_before_anything_is_stored(project, tmp_path):
    path = good_files(tmp_path)["utf8"]
    mapping = {"Müller": "Schmidt"}
    summary = import_files(project, [path], pseudonyms=mapping)
    [imported] = summary.imported
    stored = document_text(project, imported.document_id)
    original = read_document(path.read_bytes(), path.name)
    assert "Müller" in GOOD_TEXT and "Müller" not in stored
    assert stored == pseudonymise(original.text, mapping).text
    turns = document_turns(project, imported.document_id)
    expected = [
        pseudonymise(original.text[t.text_start : t.end], mapping).text for t in original.turns
    ]
    assert [t.text for t in turns] == expected


def test_proposed_pseudonyms_replace_named_speakers_consistently(project, tmp_path):
    for name in ("eins", "zwei"):
        (tmp_path / f"{name}.txt").write_text(
            "Anna Weber: Hallo\nInterviewer: Wie geht es, Anna Weber?\n"
        )
        (tmp_path / f"{name}.txt").write_text(
            (tmp_path / f"{name}.txt").read_text() + f"Anna Weber: Gut ({name}).\n"
        )
    summary = import_files(project, [tmp_path], propose_pseudonyms=True)
    assert set(summary.pseudonyms) == {"Anna Weber"}
    pseudonym = summary.pseudonyms["Anna Weber"]
    for imported in summary.imported:
        text = document_text(project, imported.document_id)
        assert "Anna Weber" not in text and pseudonym in text


def test_add_parsed_document_refuses_the_same_bytes_twice(project, tmp_path):
    path = good_files(tmp_path)["word"]
    parsed = read_document(path.read_bytes(), path.name)
    first = add_parsed_document(project, parsed, "Erstes").value
    assert first.turns == len(parsed.turns)
    before = dump(project)
    with pytest.raises(UnreadableFileError, match="already imported"):
        add_parsed_document(project, parsed, "Zweites")
    assert diff_tables(before, dump(project)) == []


def test_proposed_pseudonyms_never_repeat_a_given_one(project, tmp_path):
    path = tmp_path / "gespraech.txt"
    path.write_text("Anna: Hallo\nBen: Hallo Anna\nCarla: Ich\n" * 2, encoding="utf-8")
    given = {"Anna": "Person B"}
    summary = import_files(project, [path], pseudonyms=given, propose_pseudonyms=True)
    assert summary.pseudonyms["Anna"] == given["Anna"]
    assert len(set(summary.pseudonyms.values())) == len(summary.pseudonyms) == 3
    [imported] = summary.imported
    assert imported.speakers == 3, "three people stay three speakers"


def locked_on_second_store(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make storing the second file fail as a locked database does; returns the names tried."""
    real = importing._store_parsed
    tried: list[str] = []

    def store(work, parsed, name):
        tried.append(name)
        if len(tried) == 2:
            raise OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
        return real(work, parsed, name)

    monkeypatch.setattr(importing, "_store_parsed", store)
    return tried


def test_a_database_failure_stops_the_batch_and_keeps_what_was_imported(
    project, tmp_path, monkeypatch
):
    good_files(tmp_path)
    tried = locked_on_second_store(monkeypatch)
    with pytest.raises(ImportStoppedError) as stopped:
        import_files(project, [tmp_path])
    assert len(tried) == 2, "no file after the failure was tried"
    message = str(stopped.value)
    assert message.startswith("database is locked (import stopped at ") and "\n" not in message
    assert "the 1 documents imported before it are kept" in message
    summary = stopped.value.summary
    assert len(summary.imported) == 1 and summary.failed == () and summary.skipped == ()
    assert count(project, "document") == 1
    assert project.history.undo_description == f"Import {summary.imported[0].name}"
    undo(project)
    assert count(project, "document") == 0


def test_a_folder_without_supported_files_is_an_error(project, tmp_path):
    ignored_files(tmp_path / "in")
    (tmp_path / "in" / "tabelle.xyz").write_text("I: hallo\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as error:
        import_files(project, [good_files(tmp_path / "ok")["utf8"], tmp_path / "in"])
    assert str(error.value).startswith(f"no supported files found in {tmp_path / 'in'} ")
    assert "(supported: .txt, " in str(error.value)
    assert count(project, "document") == 0, "checked before the first file is stored"
