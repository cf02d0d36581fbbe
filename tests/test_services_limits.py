"""Names longer than their column, duplicate renames and stale delete confirmations are refused
with one readable message on both back ends, and nothing changes."""

import pytest

from qda_app.domain.errors import InvalidInputError
from qda_app.services import codes, codings, documents
from qda_app.services.cases import add_case
from qda_app.services.code_tree_edits import (
    ConfirmationRequiredError,
    delete_code_confirmed,
    deletion_impact,
    move_codes,
)
from tests.state import dump


@pytest.mark.parametrize(
    ("make", "limit"),
    [
        (lambda p, name: codes.add_code(p, name), 200),
        (lambda p, name: add_case(p, name), 200),
        (lambda p, name: documents.add_document(p, name, "Text"), 300),
    ],
)
def test_names_longer_than_their_column_are_refused(project, make, limit):
    make(project, "x" * limit)  # exactly at the limit is fine
    before = dump(project)
    with pytest.raises(InvalidInputError, match=f"at most {limit} characters"):
        make(project, "y" * (limit + 1))
    assert dump(project) == before


def test_renaming_a_document_to_a_taken_name_says_so(project):
    documents.add_document(project, "Familie A", "Text")
    second = documents.add_document(project, "Familie B", "Text").value
    with pytest.raises(InvalidInputError, match="a document named 'Familie A' already exists"):
        documents.rename_document(project, second.id, "Familie A")


def test_moving_codes_whose_names_fold_alike_is_refused(project):
    target = codes.add_code(project, "Ziel").value
    first = codes.add_code(project, "STRASSE").value
    folder = codes.add_code(project, "Anderswo").value
    second = codes.add_code(project, "Straße", parent_id=folder.id).value
    before = dump(project)
    with pytest.raises(InvalidInputError):
        move_codes(project, [first.id, second.id], target.id)
    assert dump(project) == before


def test_delete_refused_when_more_was_attached_after_the_question(project):
    document = documents.add_document(project, "Gespräch", "Die Miete ist zu hoch.").value
    code = codes.add_code(project, "Wohnen").value
    codings.add_coding(project, document.id, code.id, 4, 9)
    shown = deletion_impact(project, code.id)
    codings.add_coding(project, document.id, code.id, 14, 21)  # a colleague, meanwhile
    before = dump(project)
    with pytest.raises(ConfirmationRequiredError) as refused:
        delete_code_confirmed(project, code.id, confirmed=shown)
    assert refused.value.impact.codings == 2
    assert dump(project) == before
    delete_code_confirmed(project, code.id, confirmed=refused.value.impact)
    assert codes.list_codes(project) == []
