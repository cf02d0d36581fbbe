"""Codings: spans of a document coded with a code by a coder; offsets are Python code points."""

import pytest

from qda_app.domain.errors import InvalidInputError, NotFoundError
from qda_app.domain.values import CodingOrigin
from qda_app.services import coders, codes, codings, documents
from qda_app.services.codings import NewCoding
from qda_app.services.project import undo
from tests.state import count, dump

# ZWJ family, skin-tone wave and a flag are several code points each; "q̇" has no precomposed form
TEXT = "I: Wie geht's? 👋🏽\nB: Meine Familie 👨‍👩‍👧 lebt hier 🇩🇪, q\u0307 bleibt."


@pytest.fixture
def doc(project):
    return documents.add_document(project, "Interview 1", TEXT).value


@pytest.fixture
def code(project):
    return codes.add_code(project, "Familie").value


def _span(text, part):
    start = text.index(part)
    return start, start + len(part)


def test_add_coding_inside_document(project, doc, code):
    start, end = _span(TEXT, "Meine Familie")
    changed = codings.add_coding(project, doc.id, code.id, start, end)
    coding = changed.value
    assert (coding.document_id, coding.code_id, coding.start, coding.end) == (
        doc.id, code.id, start, end,
    )  # fmt: skip
    assert coding.coder_id == project.coder_id
    assert coding.origin is CodingOrigin.MANUAL
    assert changed.changes.inserted == {"coding": (coding.id,)}
    assert codings.list_codings(project) == [coding]


def test_whole_document_can_be_coded(project, doc, code):
    assert documents.document_text(project, doc.id) == TEXT  # nothing for normalising to change
    codings.add_coding(project, doc.id, code.id, 0, len(TEXT))
    assert codings.coding_rows(project)[0].text == TEXT


@pytest.mark.parametrize(
    ("start", "end"), [(0, len(TEXT) + 1), (-1, 3), (5, 5), (7, 3), (len(TEXT), len(TEXT) + 2)]
)
def test_span_outside_or_empty_refused(project, doc, code, start, end):
    before = dump(project)
    with pytest.raises(InvalidInputError):
        codings.add_coding(project, doc.id, code.id, start, end)
    assert dump(project) == before


def test_missing_document_or_code(project, doc, code):
    with pytest.raises(InvalidInputError):
        codings.add_coding(project, 9999, code.id, 0, 3)
    with pytest.raises(NotFoundError):
        codings.add_coding(project, doc.id, 9999, 0, 3)
    assert count(project, "coding") == 0


def test_folder_code_refused(project, doc):
    folder = codes.add_code(project, "Themen", codable=False).value
    with pytest.raises(InvalidInputError, match="folder"):
        codings.add_coding(project, doc.id, folder.id, 0, 3)
    assert count(project, "coding") == 0


def test_same_coding_twice_refused(project, doc, code):
    codings.add_coding(project, doc.id, code.id, 0, 3)
    with pytest.raises(InvalidInputError):
        codings.add_coding(project, doc.id, code.id, 0, 3)
    assert count(project, "coding") == 1
    other = coders.add_coder(project, "Zweite").value
    codings.add_coding(project, doc.id, code.id, 0, 3, coder_id=other.id)  # another coder may
    assert count(project, "coding") == 2


def test_no_coder_chosen(project, doc, code):
    project.coder_id = None
    with pytest.raises(InvalidInputError):
        codings.add_coding(project, doc.id, code.id, 0, 3)


def test_change_span_code_and_memo(project, doc, code):
    other = codes.add_code(project, "Heimat").value
    coding = codings.add_coding(project, doc.id, code.id, 0, 5, memo="erst").value
    changed = codings.change_coding(project, coding.id, start=2, end=9).value
    assert (changed.start, changed.end, changed.memo) == (2, 9, "erst")
    changed = codings.change_coding(project, coding.id, code_id=other.id, memo="neu").value
    assert (changed.code_id, changed.start, changed.end, changed.memo) == (other.id, 2, 9, "neu")
    changed = codings.change_coding(project, coding.id, memo="").value
    assert changed.memo is None
    assert codings.list_codings(project) == [changed]


def test_change_refuses_bad_span_and_folder(project, doc, code):
    folder = codes.add_code(project, "Themen", codable=False).value
    coding = codings.add_coding(project, doc.id, code.id, 0, 5).value
    before = dump(project)
    for kwargs in (
        {"end": len(TEXT) + 1},
        {"start": 5},
        {"start": 6},
        {"start": -2},
        {"code_id": folder.id},
        {"start": 1, "code_id": folder.id},
    ):
        with pytest.raises(InvalidInputError):
            codings.change_coding(project, coding.id, **kwargs)
        assert dump(project) == before, kwargs
    with pytest.raises(NotFoundError):
        codings.change_coding(project, coding.id, code_id=9999)


def test_remove_coding(project, doc, code):
    keep = codings.add_coding(project, doc.id, code.id, 0, 3).value
    gone = codings.add_coding(project, doc.id, code.id, 4, 8).value
    changed = codings.remove_coding(project, gone.id)
    assert changed.value == gone
    assert changed.changes.deleted == {"coding": (gone.id,)}
    assert codings.list_codings(project) == [keep]
    with pytest.raises(NotFoundError):
        codings.remove_coding(project, gone.id)


def test_list_codings_sorted_and_filtered(project, doc, code):
    second = documents.add_document(project, "Interview 2", "Noch ein Text").value
    late = codings.add_coding(project, doc.id, code.id, 10, 12).value
    early = codings.add_coding(project, doc.id, code.id, 0, 12).value
    early_short = codings.add_coding(
        project, doc.id, codes.add_code(project, "X").value.id, 0, 4
    ).value
    elsewhere = codings.add_coding(project, second.id, code.id, 0, 4).value
    assert [c.id for c in codings.list_codings(project)] == [
        early_short.id, early.id, late.id, elsewhere.id,
    ]  # fmt: skip
    assert [c.id for c in codings.list_codings(project, second.id)] == [elsewhere.id]


def test_coding_rows_give_names_paths_and_exact_text(project, doc):
    parent = codes.add_code(project, "Familie", codable=False).value
    child = codes.add_code(project, "Kinder", parent.id).value
    top = codes.add_code(project, "Herkunft").value
    coders.use_coder(project, "Ana")
    parts = {"👋🏽": top, "Familie 👨‍👩‍👧": child, "🇩🇪, q\u0307": top}
    for part, code in parts.items():
        codings.add_coding(project, doc.id, code.id, *_span(TEXT, part))
    rows = codings.coding_rows(project)
    assert [(r.document, r.code, r.coder, r.text) for r in rows] == [
        ("Interview 1", "Herkunft", "Ana", "👋🏽"),
        ("Interview 1", "Familie/Kinder", "Ana", "Familie 👨‍👩‍👧"),
        ("Interview 1", "Herkunft", "Ana", "🇩🇪, q\u0307"),
    ]
    assert [(r.start, r.end) for r in rows] == [_span(TEXT, part) for part in parts]


def test_coding_rows_use_the_normalised_text(project, code):
    """Offsets refer to the stored NFC text: 'e' + combining acute becomes one code point."""
    document = documents.add_document(project, "D", "Cafe\u0301 au lait").value
    codings.add_coding(project, document.id, code.id, 0, 4)
    codings.add_coding(project, document.id, code.id, 5, 7)
    assert [r.text for r in codings.coding_rows(project, document.id)] == ["Café", "au"]


def test_coding_rows_filtered_by_document(project, doc, code):
    other = documents.add_document(project, "Interview 2", "Zweiter Text").value
    codings.add_coding(project, doc.id, code.id, 0, 2)
    codings.add_coding(project, other.id, code.id, 0, 7)
    assert [(r.document, r.text) for r in codings.coding_rows(project, other.id)] == [
        ("Interview 2", "Zweiter")
    ]


def test_add_codings_bulk_and_one_undo(project, doc, code):
    before = dump(project)
    steps = len(project.history)
    coder = project.coder_id
    new = [NewCoding(doc.id, code.id, coder, start, start + 3) for start in range(0, 40)]
    changed = codings.add_codings_bulk(project, new, description="Import")
    assert changed.value == 40
    listed = codings.list_codings(project)
    assert [(c.start, c.end, c.origin) for c in listed] == [
        (n.start, n.end, CodingOrigin.IMPORT) for n in new
    ]
    assert set(changed.changes.inserted["coding"]) == {c.id for c in listed}
    assert len(project.history) == steps + 1 and project.history.undo_description == "Import"
    undo(project)
    assert dump(project) == before


def test_add_codings_bulk_crosses_batches(project, doc, code, monkeypatch):
    monkeypatch.setattr(codings, "BULK_BATCH", 7)
    coder = project.coder_id
    new = [NewCoding(doc.id, code.id, coder, start, start + 1) for start in range(30)]
    assert codings.add_codings_bulk(project, new).value == 30
    assert [c.start for c in codings.list_codings(project)] == list(range(30))
    undo(project)
    assert count(project, "coding") == 0


def test_add_codings_bulk_of_nothing(project):
    changed = codings.add_codings_bulk(project, [])
    assert changed.value == 0 and changed.changes.is_empty
    assert not project.history.can_undo


def test_add_codings_bulk_refuses_span_past_end_as_a_whole(project, doc, code):
    before = dump(project)
    steps = len(project.history)
    coder = project.coder_id
    new = [
        NewCoding(doc.id, code.id, coder, 0, 3),
        NewCoding(doc.id, code.id, coder, 5, len(TEXT) + 1),
    ]
    with pytest.raises(InvalidInputError):
        codings.add_codings_bulk(project, new)
    assert dump(project) == before
    assert len(project.history) == steps
