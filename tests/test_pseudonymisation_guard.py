"""Undo and redo of a pseudonymisation refuse when a team member coded the document since:
replaying the text change would leave their coding on the wrong words."""

import pytest

from qda_app.domain.errors import UndoConflictError
from qda_app.services import codes, codings, documents
from qda_app.services.coders import use_coder
from qda_app.services.project import open_project, redo, undo
from qda_app.services.pseudonymisation import pseudonymise_document
from tests.state import dump

TEXT = "B: Frau Müller vom Jugendamt hilft uns sehr."


@pytest.fixture
def coded(project):
    document = documents.add_document(project, "Gespräch", TEXT).value
    code = codes.add_code(project, "Unterstützung").value
    start = TEXT.index("Jugendamt")
    codings.add_coding(project, document.id, code.id, start, start + len("Jugendamt"))
    return document, code


def _colleague_codes(location, document_id, code_id, word):
    with open_project(location) as colleague:
        use_coder(colleague, "Kollegin")
        text = documents.document_text(colleague, document_id)
        start = text.index(word)
        codings.add_coding(colleague, document_id, code_id, start, start + len(word))


def test_undo_refused_after_a_colleague_coded_the_pseudonymised_document(project, location, coded):
    document, code = coded
    pseudonymise_document(project, document.id, {"Müller": "Schmidt-Wagner"})
    _colleague_codes(location, document.id, code.id, "hilft")
    before = dump(project)
    with pytest.raises(UndoConflictError):
        undo(project)
    assert dump(project) == before
    rows = codings.coding_rows(project)
    assert sorted(row.text for row in rows) == ["Jugendamt", "hilft"]


def test_redo_refused_after_a_colleague_coded_the_restored_document(project, location, coded):
    document, code = coded
    pseudonymise_document(project, document.id, {"Müller": "Schmidt-Wagner"})
    undo(project)
    _colleague_codes(location, document.id, code.id, "Müller")
    before = dump(project)
    with pytest.raises(UndoConflictError):
        redo(project)
    assert dump(project) == before


def test_undo_and_redo_work_when_nobody_else_changed_the_spans(project, coded):
    document, _code = coded
    original = dump(project)
    pseudonymise_document(project, document.id, {"Müller": "Schmidt-Wagner"})
    pseudonymised = dump(project)
    undo(project)
    assert dump(project) == original
    redo(project)
    assert dump(project) == pseudonymised
