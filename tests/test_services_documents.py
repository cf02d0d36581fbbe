"""Documents: normalised text, unique names, deletion with everything that hangs on them."""

import hashlib
import unicodedata

import pytest
from sqlalchemy import insert

from qda_app.domain.errors import InvalidInputError, NotFoundError
from qda_app.domain.values import AttributeScope, AttributeType
from qda_app.services import cases, codes, codings, documents, memos
from qda_app.services.project import undo
from qda_app.store import models as m
from tests.state import diff_tables, dump, raw_memo


def test_text_is_normalised(project):
    raw = "\ufeff\nI: Guten Tag  \r\nB: Cafe\u0301 und Ku\u0308che\rI: Danke\x00\u2028Ende\n\n"
    document = documents.add_document(project, "Interview", raw).value
    stored = documents.document_text(project, document.id)
    expected = "I: Guten Tag\nB: Café und Küche\nI: Danke\nEnde"
    assert stored == expected
    assert unicodedata.is_normalized("NFC", stored)
    assert document.length == len(expected)
    assert document.sha256 == hashlib.sha256(expected.encode("utf-8")).hexdigest()


def test_normalised_text_is_stable(project):
    """Adding the stored text again changes nothing: offsets stay valid on re-import."""
    raw = "\ufeffA\r\n\r\nB\u0308 \t\nq\u0307 👨‍👩‍👧\x07"
    first = documents.add_document(project, "Eins", raw).value
    stored = documents.document_text(project, first.id)
    second = documents.add_document(project, "Zwei", stored).value
    assert documents.document_text(project, second.id) == stored
    assert second.sha256 == first.sha256


def test_sha256_of_original_file_is_kept(project):
    digest = hashlib.sha256(b"original bytes").hexdigest()
    document = documents.add_document(project, "D", "Text", "d.docx", sha256=digest).value
    assert (document.sha256, document.source_name) == (digest, "d.docx")


def test_duplicate_name_refused(project):
    documents.add_document(project, "Interview 1", "eins")
    with pytest.raises(InvalidInputError):
        documents.add_document(project, " Interview   1 ", "zwei")
    assert [d.name for d in documents.list_documents(project)] == ["Interview 1"]
    assert len(project.history) == 1


def test_rename_document(project):
    document = documents.add_document(project, "Alt", "Text").value
    documents.rename_document(project, document.id, "Neu")
    assert documents.find_document(project, "Neu") is not None
    assert documents.find_document(project, "Alt") is None


def test_missing_document(project):
    with pytest.raises(NotFoundError):
        documents.document_text(project, 9999)
    with pytest.raises(NotFoundError):
        documents.delete_document(project, 9999)


def test_list_documents_sorted_by_name(project):
    for name in ("Zora", "Anna", "Mia"):
        documents.add_document(project, name, name)
    assert [d.name for d in documents.list_documents(project)] == ["Anna", "Mia", "Zora"]


def test_control_characters_are_dropped_on_both_backends(project):
    """PostgreSQL cannot store NUL, SQLite's length() stops at it: neither may reach the store."""
    document = documents.add_document(project, "Kaputt", "a\x00b\x1bc").value
    assert documents.document_text(project, document.id) == "abc"
    assert document.length == 3


def _document_with_everything(project):
    """A document with speakers, turns, codings, memos (on it and on a coding), case, values."""
    keep = documents.add_document(project, "Bleibt", "Anderes Interview").value
    document = documents.add_document(project, "Interview", "I: Hallo\nB: Die Miete ist hoch.\n")
    document = document.value
    with project.engine.begin() as connection:
        speaker = connection.execute(
            insert(m.Speaker).returning(m.Speaker.id),
            {"document_id": document.id, "label": "B", "name": "Mutter", "is_interviewer": False},
        ).scalar_one()
        connection.execute(
            insert(m.Turn),
            [
                {"document_id": document.id, "speaker_id": None, "start": 0, "text_start": 3,
                 "end": 8},
                {"document_id": document.id, "speaker_id": speaker, "start": 9, "text_start": 12,
                 "end": 31},
            ],
        )  # fmt: skip
    code = codes.add_code(project, "Wohnen").value
    coding = codings.add_coding(project, document.id, code.id, 12, 31, memo="teuer").value
    codings.add_coding(project, keep.id, code.id, 0, 7)
    raw_memo(project, "Zum Dokument", document_id=document.id)
    raw_memo(project, "Zur Codierung", coding_id=coding.id)
    raw_memo(project, "Zum Code", code_id=code.id)
    case = cases.add_case(project, "Familie A").value
    cases.assign_document(project, case.id, document.id)
    cases.assign_document(project, case.id, keep.id)
    attribute = cases.add_attribute(
        project, "Ort", AttributeScope.DOCUMENT, AttributeType.TEXT
    ).value
    cases.set_document_value(project, document.id, attribute.id, "Nord")
    return document, keep


def test_delete_removes_dependants_and_undo_restores_them(project):
    document, keep = _document_with_everything(project)
    before = dump(project)
    changed = documents.delete_document(project, document.id)
    after = dump(project)
    assert changed.value.id == document.id
    assert [d.id for d in documents.list_documents(project)] == [keep.id]
    # everything hanging on the document is gone; the rest stays
    assert [row for row in after["turn"] if row[1] == document.id] == []
    assert len(after["speaker"]) == 0
    assert [c.document_id for c in codings.list_codings(project)] == [keep.id]
    assert sorted(memo.text for memo in memos.list_memos(project)) == ["Zum Code"]
    assert after["case_document"] == [(1, keep.id)]
    assert after["document_value"] == []
    assert after["code"] == before["code"]
    assert diff_tables(before, after) == sorted(
        ["document", "speaker", "turn", "coding", "memo", "case_document", "document_value"]
    )
    deleted = changed.changes.deleted
    assert set(deleted) == {
        "document", "speaker", "turn", "coding", "memo", "case_document", "document_value",
    }  # fmt: skip
    assert deleted["document"] == (document.id,)
    assert len(deleted["turn"]) == 2 and len(deleted["memo"]) == 2
    undo(project)
    assert dump(project) == before
