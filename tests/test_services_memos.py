"""Memos on the project, a document, a code, a coding or a case: at most one target."""

import pytest

from qda_app.domain.errors import InvalidInputError, NotFoundError
from qda_app.services import cases, codes, codings, documents, memos
from qda_app.services.project import redo, undo
from tests.state import count, dump, raw_memo


@pytest.fixture
def targets(project):
    document = documents.add_document(project, "Interview", "Die Miete ist hoch.").value
    code = codes.add_code(project, "Wohnen").value
    coding = codings.add_coding(project, document.id, code.id, 4, 9).value
    case = cases.add_case(project, "Familie A").value
    return {
        "document_id": document.id,
        "code_id": code.id,
        "coding_id": coding.id,
        "case_id": case.id,
    }


def test_add_memo_to_each_target(project, targets):
    added = [memos.add_memo(project, "Projektnotiz", " Allgemein ").value]
    for key, value in targets.items():
        added.append(memos.add_memo(project, f"zu {key}", **{key: value}).value)
    assert memos.list_memos(project) == added
    assert added[0].title == "Allgemein"
    for memo, key in zip(added[1:], targets, strict=True):
        attached = {k: getattr(memo, k) for k in targets if getattr(memo, k) is not None}
        assert attached == {key: targets[key]}
        assert memo.coder_id == project.coder_id


def test_add_memo_is_undoable(project, targets):
    before = dump(project)
    memos.add_memo(project, "Notiz", code_id=targets["code_id"])
    after = dump(project)
    undo(project)
    assert dump(project) == before
    redo(project)
    assert dump(project) == after


def test_memo_with_two_targets_refused(project, targets):
    before = dump(project)
    with pytest.raises(InvalidInputError):
        memos.add_memo(
            project, "zwei Ziele", document_id=targets["document_id"], code_id=targets["code_id"]
        )
    assert dump(project) == before


def test_memo_on_missing_target_refused(project, targets):
    with pytest.raises(NotFoundError):
        memos.add_memo(project, "ins Leere", coding_id=9999)
    assert count(project, "memo") == 0


def test_edit_memo(project, targets):
    memo_id = raw_memo(project, "alt", case_id=targets["case_id"])
    (original,) = memos.list_memos(project)
    edited = memos.edit_memo(project, memo_id, text="neu", title="  Titel ").value
    assert (edited.text, edited.title, edited.case_id) == ("neu", "Titel", targets["case_id"])
    assert edited.updated_at >= original.updated_at
    assert memos.list_memos(project) == [edited]
    only_title = memos.edit_memo(project, memo_id, title="Nur Titel").value
    assert (only_title.text, only_title.title) == ("neu", "Nur Titel")


def test_delete_memo(project, targets):
    keep = raw_memo(project, "bleibt")
    gone = raw_memo(project, "weg", coding_id=targets["coding_id"])
    changed = memos.delete_memo(project, gone)
    assert changed.changes.deleted == {"memo": (gone,)}
    assert [memo.id for memo in memos.list_memos(project)] == [keep]
    with pytest.raises(NotFoundError):
        memos.delete_memo(project, gone)


def test_memo_goes_with_its_coding(project, targets):
    raw_memo(project, "zur Codierung", coding_id=targets["coding_id"])
    before = dump(project)
    codings.remove_coding(project, targets["coding_id"])
    assert count(project, "memo") == 0
    undo(project)
    assert dump(project) == before
