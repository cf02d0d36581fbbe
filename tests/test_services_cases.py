"""Cases, their documents, and typed attributes with values on cases and documents."""

from datetime import date

import pytest

from qda_app.domain.errors import InvalidInputError, NotFoundError
from qda_app.domain.values import AttributeScope, AttributeType
from qda_app.services import cases, documents
from tests.state import count, dump

CASE, DOC = AttributeScope.CASE, AttributeScope.DOCUMENT


@pytest.fixture
def family(project):
    return cases.add_case(project, "Familie Yilmaz", "drei Kinder").value


def _attribute(project, name, type_, scope=CASE, choices=()):
    return cases.add_attribute(project, name, scope, type_, choices).value


def test_add_rename_list_and_delete_cases(project, family):
    other = cases.add_case(project, "Familie Adler").value
    assert [c.name for c in cases.list_cases(project)] == ["Familie Adler", "Familie Yilmaz"]
    assert family.description == "drei Kinder"
    cases.rename_case(project, family.id, "Familie Y.")
    assert [c.name for c in cases.list_cases(project)] == ["Familie Adler", "Familie Y."]
    with pytest.raises(InvalidInputError):
        cases.add_case(project, "Familie  Adler")
    document = documents.add_document(project, "Interview", "Text").value
    cases.assign_document(project, other.id, document.id)
    cases.delete_case(project, other.id)
    assert [c.name for c in cases.list_cases(project)] == ["Familie Y."]
    assert documents.list_documents(project) != [], "a case's documents stay in the project"
    assert count(project, "case_document") == 0


def test_document_membership(project, family):
    first = documents.add_document(project, "Interview 1", "eins").value
    second = documents.add_document(project, "Interview 2", "zwei").value
    cases.assign_document(project, family.id, second.id)
    cases.assign_document(project, family.id, first.id)
    history = len(project.history)
    changed = cases.assign_document(project, family.id, first.id)  # again: nothing to do
    assert changed.changes.is_empty and len(project.history) == history
    assert cases.case_documents(project, family.id) == [first.id, second.id]
    cases.unassign_document(project, family.id, first.id)
    assert cases.case_documents(project, family.id) == [second.id]
    with pytest.raises(NotFoundError):
        cases.assign_document(project, family.id, 9999)
    with pytest.raises(NotFoundError):
        cases.assign_document(project, 9999, first.id)


def test_attribute_names_unique_per_scope(project):
    _attribute(project, "Bezirk", AttributeType.TEXT, CASE)
    _attribute(project, "Bezirk", AttributeType.TEXT, DOC)  # other scope: allowed
    with pytest.raises(InvalidInputError):
        _attribute(project, " Bezirk ", AttributeType.CATEGORY, CASE)
    assert [(a.name, a.scope) for a in cases.list_attributes(project, CASE)] == [("Bezirk", CASE)]
    assert len(cases.list_attributes(project)) == 2


def test_only_category_has_choices(project):
    with pytest.raises(InvalidInputError):
        _attribute(project, "Alter", AttributeType.NUMBER, choices=["1", "2"])
    category = _attribute(
        project, "Typ", AttributeType.CATEGORY, choices=["Alleinerziehend", "Paar"]
    )
    assert category.choices == ("Alleinerziehend", "Paar")


NUMBERS = [("3,5", 3.5), ("1.25", 1.25), (" 42 ", 42.0), (7, 7.0), (-0.5, -0.5), ("0,0", 0.0)]


def test_number_values_accept_german_decimal_comma(project, family):
    attribute = _attribute(project, "Kinder", AttributeType.NUMBER)
    for given, stored in NUMBERS:
        cases.set_case_value(project, family.id, attribute.id, given)
        assert cases.case_values(project, family.id) == {"Kinder": stored}, given


def test_number_values_refuse_non_numbers(project, family):
    attribute = _attribute(project, "Kinder", AttributeType.NUMBER)
    cases.set_case_value(project, family.id, attribute.id, "2")
    before = dump(project)
    for given in ("drei", "1.234,5", "3,5,1", "12 Euro"):
        with pytest.raises(InvalidInputError):
            cases.set_case_value(project, family.id, attribute.id, given)
        assert dump(project) == before, given


def test_number_values_refuse_python_only_spellings(project, family):
    attribute = _attribute(project, "Kinder", AttributeType.NUMBER)
    accepted = []
    for given in ("nan", "inf", "-Infinity", "1_000"):
        try:
            cases.set_case_value(project, family.id, attribute.id, given)
            accepted.append(given)
        except InvalidInputError:
            pass
    assert accepted == []


def test_date_values(project, family):
    attribute = _attribute(project, "Gespräch am", AttributeType.DATE)
    cases.set_case_value(project, family.id, attribute.id, "2024-03-05")
    assert cases.case_values(project, family.id) == {"Gespräch am": date(2024, 3, 5)}
    cases.set_case_value(project, family.id, attribute.id, date(2023, 12, 31))
    assert cases.case_values(project, family.id) == {"Gespräch am": date(2023, 12, 31)}
    for bad in ("05.03.2024", "2024-02-30", "gestern"):
        with pytest.raises(InvalidInputError):
            cases.set_case_value(project, family.id, attribute.id, bad)
    assert cases.case_values(project, family.id) == {"Gespräch am": date(2023, 12, 31)}


def test_category_choices_enforced(project, family):
    attribute = _attribute(
        project, "Haushalt", AttributeType.CATEGORY, choices=["Alleinerziehend", "Paar"]
    )
    cases.set_case_value(project, family.id, attribute.id, " Paar ")
    assert cases.case_values(project, family.id) == {"Haushalt": "Paar"}
    with pytest.raises(InvalidInputError):
        cases.set_case_value(project, family.id, attribute.id, "paar")
    assert cases.case_values(project, family.id) == {"Haushalt": "Paar"}


def test_text_value_and_clearing(project, family):
    attribute = _attribute(project, "Bezirk", AttributeType.TEXT)
    cases.set_case_value(project, family.id, attribute.id, "Nord")
    cases.set_case_value(project, family.id, attribute.id, "Süd")
    assert cases.case_values(project, family.id) == {"Bezirk": "Süd"}
    assert count(project, "case_value") == 1
    cases.set_case_value(project, family.id, attribute.id, None)
    assert cases.case_values(project, family.id) == {}
    assert count(project, "case_value") == 0
    cases.set_case_value(project, family.id, attribute.id, "Nord")
    cases.set_case_value(project, family.id, attribute.id, "")
    assert count(project, "case_value") == 0


def test_value_slots_follow_the_type(project, family):
    """Only the slot of the attribute's type is filled; the others stay NULL."""
    number = _attribute(project, "Kinder", AttributeType.NUMBER)
    cases.set_case_value(project, family.id, number.id, "2")
    rows = dump(project)["case_value"]
    assert rows == [(family.id, number.id, None, 2.0, None)]


def test_wrong_scope_refused(project, family):
    document = documents.add_document(project, "Interview", "Text").value
    case_attribute = _attribute(project, "Bezirk", AttributeType.TEXT, CASE)
    document_attribute = _attribute(project, "Dauer", AttributeType.NUMBER, DOC)
    before = dump(project)
    with pytest.raises(InvalidInputError):
        cases.set_case_value(project, family.id, document_attribute.id, 3)
    with pytest.raises(InvalidInputError):
        cases.set_document_value(project, document.id, case_attribute.id, "Nord")
    assert dump(project) == before
    cases.set_document_value(project, document.id, document_attribute.id, "45,5")
    assert cases.document_values(project, document.id) == {"Dauer": 45.5}
    assert cases.case_values(project, family.id) == {}


def test_values_for_missing_rows(project, family):
    attribute = _attribute(project, "Bezirk", AttributeType.TEXT)
    with pytest.raises(NotFoundError):
        cases.set_case_value(project, 9999, attribute.id, "Nord")
    with pytest.raises(NotFoundError):
        cases.set_case_value(project, family.id, 9999, "Nord")


def test_delete_case_removes_its_values(project, family):
    attribute = _attribute(project, "Bezirk", AttributeType.TEXT)
    cases.set_case_value(project, family.id, attribute.id, "Nord")
    cases.delete_case(project, family.id)
    assert count(project, "case_value") == 0
    assert [a.name for a in cases.list_attributes(project)] == ["Bezirk"]
