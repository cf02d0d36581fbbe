"""Coders: who made each coding and memo."""

import pytest

from qda_app.domain.errors import InvalidInputError, NotFoundError
from qda_app.services import coders
from tests.state import count


def test_add_coder_cleans_the_name_and_lists_it(project):
    added = coders.add_coder(project, "  Maria   Schulz \n").value
    assert added.name == "Maria Schulz"
    assert [c.name for c in coders.list_coders(project)] == ["Maria Schulz", "Tester"]
    assert coders.find_coder(project, "Maria Schulz") == added


def test_duplicate_coder_refused(project):
    with pytest.raises(InvalidInputError):
        coders.add_coder(project, " Tester ")
    assert count(project, "coder") == 1
    assert not project.history.can_undo


def test_empty_coder_name_refused(project):
    with pytest.raises(InvalidInputError):
        coders.add_coder(project, " \t ")
    assert count(project, "coder") == 1


def test_use_coder_creates_once_and_selects(project):
    first = coders.use_coder(project, "Ana")
    assert project.coder_id == first.id
    coders.use_coder(project, "Tester")
    second = coders.use_coder(project, "Ana")
    assert second == first
    assert project.coder_id == first.id
    assert count(project, "coder") == 2
    assert len(project.history) == 0  # choosing who codes is not an undo step


def test_rename_coder(project):
    coder = coders.find_coder(project, "Tester")
    assert coder is not None
    renamed = coders.rename_coder(project, coder.id, "Prüferin").value
    assert (renamed.id, renamed.guid, renamed.name) == (coder.id, coder.guid, "Prüferin")
    assert coders.find_coder(project, "Tester") is None


def test_rename_missing_coder(project):
    with pytest.raises(NotFoundError):
        coders.rename_coder(project, 9999, "Niemand")


def test_current_coder_required(project):
    project.coder_id = None
    with pytest.raises(InvalidInputError):
        coders.current_coder_id(project)


def test_choosing_the_coder_is_not_an_undo_step(project):
    from qda_app.services import codes, codings, documents
    from qda_app.services.project import undo

    document = documents.add_document(project, "Gespräch", "Die Miete ist hoch.").value
    code = codes.add_code(project, "Wohnen").value
    coders.use_coder(project, "Neue Kollegin")
    while project.history.can_undo:
        undo(project)
    assert coders.find_coder(project, "Neue Kollegin") is not None
    assert documents.list_documents(project) == []
    document = documents.add_document(project, "Gespräch", "Die Miete ist hoch.").value
    code = codes.add_code(project, "Wohnen").value
    codings.add_coding(project, document.id, code.id, 4, 9)
    assert codings.coding_rows(project)[0].coder == "Neue Kollegin"
