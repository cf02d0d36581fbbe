"""Pseudonymising coded documents: every coding, turn and suggestion keeps its words; undo."""

import csv
from itertools import count as counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qda_app.domain.errors import InvalidInputError
from qda_app.domain.values import CodingOrigin
from qda_app.formats.pseudonymise import pseudonymise, read_pseudonym_csv
from qda_app.services import codes
from qda_app.services.codings import NewCoding, add_coding, add_codings_bulk, list_codings
from qda_app.services.documents import add_document, document_text, list_documents
from qda_app.services.importing import import_files
from qda_app.services.memos import add_memo, list_memos
from qda_app.services.project import undo
from qda_app.services.pseudonymisation import (
    DOCUMENT_NAME_LIMIT,
    pseudonymise_document,
    write_key_file,
)
from qda_app.services.speakers import list_speakers
from qda_app.services.transcripts import document_turns
from tests.state import diff_tables, dump

WORDS = ["wir", "Kita", "Müller", "Jo", "Anna-Lena", "Bus", "und", "Müllers", "müller", "Ö"]
MAPPINGS = [
    {"Müller": "Schmidt-Hoffmann", "Jo": "Alexandra"},  # text grows
    {"Müller": "X", "Anna-Lena": "Y"},  # text shrinks
]
_names = counter()


def _document(project, tmp_path, text: str) -> int:
    path = tmp_path / f"doc{next(_names)}.txt"
    path.write_text(text, encoding="utf-8")
    [imported] = import_files(project, [path]).imported
    project.history.clear()
    return imported.document_id


def _word_spans(text: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    for word in text.split(" "):
        spans.append((position, position + len(word)))
        position += len(word) + 1
    return spans


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=3, max_size=40),
    picks=st.lists(st.tuples(st.integers(0, 39), st.integers(1, 6)), min_size=1, max_size=12),
    mapping=st.sampled_from(MAPPINGS),
)
def test_codings_cover_the_same_words_after_pseudonymisation(
    project, tmp_path, words, picks, mapping
):
    text = "I: " + " ".join(words)
    document_id = add_document(project, f"Property {next(_names)}", text).value.id
    stored = document_text(project, document_id)
    spans = _word_spans(stored)
    code_id = codes.add_code(project, f"Thema {next(_names)}").value.id
    wanted = set()
    for first, length in picks:
        first %= len(spans)
        last = min(len(spans), first + length) - 1
        wanted.add((spans[first][0], spans[last][1]))
    add_codings_bulk(
        project,
        [
            NewCoding(document_id, code_id, project.coder_id, s, e, CodingOrigin.MANUAL)
            for s, e in wanted
        ],
    )
    old_texts = sorted(stored[s:e] for s, e in wanted)
    before = dump(project)

    changed = pseudonymise_document(project, document_id, mapping)

    new_text = document_text(project, document_id)
    assert new_text == pseudonymise(stored, mapping).text
    new_texts = sorted(new_text[c.start : c.end] for c in list_codings(project, document_id))
    assert new_texts == sorted(pseudonymise(t, mapping).text for t in old_texts)
    if not changed.changes.is_empty:  # nothing to replace is no undo step
        undo(project)
    assert diff_tables(before, dump(project)) == []


@pytest.mark.parametrize("mapping", MAPPINGS, ids=["grows", "shrinks"])
def test_turns_suggestion_free_spans_and_speakers_follow(project, tmp_path, mapping):
    text = "Müller: Ich bin Frau Müller.\nJo: Und ich Jo, Anna-Lena kommt gleich.\nMüller: Gut.\n"
    document_id = _document(project, tmp_path, text)
    old = document_text(project, document_id)
    old_turns = [(t.speaker, t.text) for t in document_turns(project, document_id)]
    old_labels = sorted(s.label for s in list_speakers(project, document_id))
    before = dump(project)

    pseudonymise_document(project, document_id, mapping)

    assert document_text(project, document_id) == pseudonymise(old, mapping).text
    new_turns = [(t.speaker, t.text) for t in document_turns(project, document_id)]
    assert [t for _, t in new_turns] == [pseudonymise(t, mapping).text for _, t in old_turns]
    assert sorted(s.label for s in list_speakers(project, document_id)) == sorted(
        pseudonymise(label, mapping).text for label in old_labels
    )
    undo(project)
    assert diff_tables(before, dump(project)) == []


def test_a_coding_inside_a_name_snaps_to_the_whole_pseudonym(project, tmp_path):
    document_id = _document(project, tmp_path, "B: Frau Müller hilft.")
    text = document_text(project, document_id)
    code_id = codes.add_code(project, "Hilfe").value.id
    start = text.index("Müller") + 2
    add_codings_bulk(project, [NewCoding(document_id, code_id, project.coder_id, start, start + 2)])
    pseudonymise_document(project, document_id, {"Müller": "Schmidt"})
    [coding] = list_codings(project, document_id)
    assert document_text(project, document_id)[coding.start : coding.end] == "Schmidt"


def test_codings_that_become_one_span_are_merged(project, tmp_path):
    document_id = _document(project, tmp_path, "B: Frau Müller hilft.")
    text = document_text(project, document_id)
    code_id = codes.add_code(project, "Hilfe").value.id
    start = text.index("Müller")
    add_codings_bulk(
        project,
        [
            NewCoding(document_id, code_id, project.coder_id, start, start + 6),
            NewCoding(document_id, code_id, project.coder_id, start + 1, start + 5),
        ],
    )
    before = dump(project)
    result = pseudonymise_document(project, document_id, {"Müller": "Schmidt"}).value
    assert result.duplicates_merged == 1
    assert len(list_codings(project, document_id)) == 1
    undo(project)
    assert diff_tables(before, dump(project)) == []


def test_key_file_round_trips_and_is_never_overwritten(tmp_path):
    mapping = {"Müller": "Schmidt", "Ayşe Öztürk": "Person B"}
    path = write_key_file(tmp_path / "key.csv", mapping)
    assert read_pseudonym_csv(path.read_bytes(), path.name) == mapping
    with path.open(encoding="utf-8-sig", newline="") as stream:
        assert next(csv.reader(stream)) == ["name", "pseudonym"]
    with pytest.raises(InvalidInputError, match="exists"):
        write_key_file(path, {"a": "b"})


def test_an_empty_mapping_is_refused(project, tmp_path):
    document_id = _document(project, tmp_path, "B: Hallo.")
    with pytest.raises(InvalidInputError):
        pseudonymise_document(project, document_id, {})


def test_memos_of_the_document_and_its_codings_are_pseudonymised_and_undone(project, tmp_path):
    document_id = _document(project, tmp_path, "B: Frau Müller hilft.\n")
    text = document_text(project, document_id)
    code_id = codes.add_code(project, "Hilfe").value.id
    start = text.index("Müller")
    coding = add_coding(
        project, document_id, code_id, start, start + 6, memo="Müller_2 sagt das oft"
    ).value
    add_memo(project, "Müllers Lage", "Besuch bei Müller", document_id=document_id)
    add_memo(project, "Frau Müller lacht", coding_id=coding.id)
    unrelated = add_memo(project, "Müller im Projekt allgemein").value
    project.history.clear()
    before = dump(project)

    pseudonymise_document(project, document_id, {"Müller": "Schmidt"})

    [moved] = list_codings(project, document_id)
    assert moved.memo == "Schmidt_2 sagt das oft"
    memos = {m.id: (m.title, m.text) for m in list_memos(project)}
    assert memos.pop(unrelated.id) == ("", "Müller im Projekt allgemein")
    assert sorted(memos.values()) == [
        ("", "Frau Schmidt lacht"),
        ("Besuch bei Schmidt", "Schmidts Lage"),
    ]
    undo(project)
    assert diff_tables(before, dump(project)) == []


def test_a_taken_pseudonymised_name_gets_a_number_never_the_real_name(project, tmp_path):
    add_document(project, "Interview Schmidt", "B: schon da")
    document_id = add_document(project, "Interview Müller", "B: Müller hier").value.id
    result = pseudonymise_document(project, document_id, {"Müller": "Schmidt"}).value
    assert result.name == "Interview Schmidt (2)"
    assert "Interview Müller" not in {d.name for d in list_documents(project)}


def test_a_pseudonymised_name_longer_than_the_column_is_cut(project, tmp_path):
    name = ("Müller " * 60)[:DOCUMENT_NAME_LIMIT].strip()
    document_id = add_document(project, name, "B: Müller hier").value.id
    result = pseudonymise_document(project, document_id, {"Müller": "Schmidt-Hoffmann"}).value
    assert len(result.name) <= DOCUMENT_NAME_LIMIT
    assert "Müller" not in result.name and result.name.startswith("Schmidt-Hoffmann")
    assert [d.name for d in list_documents(project)] == [result.name]
