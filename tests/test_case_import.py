"""Case tables: typed attributes, cases created or updated, documents linked by name or file."""

import pytest

from qda_app.domain.errors import InvalidInputError
from qda_app.domain.values import AttributeScope, AttributeType
from qda_app.services.case_import import import_case_table
from qda_app.services.cases import (
    add_attribute,
    case_documents,
    case_values,
    list_attributes,
    list_cases,
)
from qda_app.services.documents import add_document
from qda_app.services.importing import import_files
from qda_app.services.project import undo
from tests.state import diff_tables, dump

TABLE = (
    "Dokument;Bezirk;Kinder;Interviewdatum\n"
    "Familie A;Nord;3;01.02.2024\n"
    "fam_b.docx;Süd;1;2024-03-05\n"
    "Familie C;Nord;2;\n"
)


@pytest.fixture
def setup(project, tmp_path):
    (tmp_path / "Familie A.txt").write_text("I: Frage\nB: Antwort A\n", encoding="utf-8")
    (tmp_path / "fam_b.txt").write_text("I: Frage\nB: Antwort B\n", encoding="utf-8")
    import_files(project, [tmp_path / "Familie A.txt", tmp_path / "fam_b.txt"])
    add_document(project, "Ohne Fall", "Text ohne Fall")
    table = tmp_path / "faelle.csv"
    table.write_text(TABLE, encoding="utf-8")
    return table


def test_cases_attributes_and_links(project, setup):
    summary = import_case_table(project, setup).value
    assert summary.cases_created == ("Familie A", "fam_b.docx", "Familie C")
    assert set(summary.attributes_created) == {"Bezirk", "Kinder", "Interviewdatum"}
    types = {a.name: a.type for a in list_attributes(project, AttributeScope.CASE)}
    assert types["Kinder"] is AttributeType.NUMBER and types["Interviewdatum"] is AttributeType.DATE
    assert sorted(summary.links) == [("Familie A", "Familie A"), ("fam_b.docx", "fam_b")]
    assert summary.unmatched_keys == ("Familie C",)
    assert summary.unmatched_documents == ("Ohne Fall",)
    cases = {c.name: c.id for c in list_cases(project)}
    values = case_values(project, cases["Familie A"])
    assert values["Kinder"] == 3 and values["Bezirk"] == "Nord"
    assert str(values["Interviewdatum"]) == "2024-02-01"
    assert len(case_documents(project, cases["fam_b.docx"])) == 1


def test_reimport_updates_instead_of_duplicating(project, setup):
    import_case_table(project, setup)
    setup.write_text(TABLE.replace("Nord;3", "Ost;4"), encoding="utf-8")
    summary = import_case_table(project, setup).value
    assert not summary.cases_created and len(summary.cases_updated) == 3
    assert len(list_cases(project)) == 3
    cases = {c.name: c.id for c in list_cases(project)}
    assert case_values(project, cases["Familie A"])["Kinder"] == 4
    assert case_values(project, cases["Familie A"])["Bezirk"] == "Ost"


def test_type_conflict_is_a_clear_error_and_changes_nothing(project, setup):
    add_attribute(project, "Kinder", AttributeScope.CASE, AttributeType.DATE)
    before = dump(project)
    with pytest.raises(InvalidInputError, match="Kinder"):
        import_case_table(project, setup)
    assert diff_tables(before, dump(project)) == []


def test_whole_table_is_one_undo_step(project, setup):
    before = dump(project)
    import_case_table(project, setup)
    undo(project)
    assert diff_tables(before, dump(project)) == []


def test_another_key_column_keeps_the_old_key_as_an_attribute(project, setup):
    import_case_table(project, setup, key_column="Kinder")
    cases = {c.name: c.id for c in list_cases(project)}
    assert sorted(cases) == ["1", "2", "3"]
    assert case_values(project, cases["3"])["Dokument"] == "Familie A"


def test_a_repeated_key_is_refused(project, setup):
    with pytest.raises(InvalidInputError, match="twice"):
        import_case_table(project, setup, key_column="Bezirk")


def test_unknown_key_column_is_refused(project, setup):
    with pytest.raises(InvalidInputError, match="no column"):
        import_case_table(project, setup, key_column="Haushalt")


def test_pseudonyms_reach_case_keys_values_and_links(project, tmp_path):
    mapping = {"Müller": "Schmidt", "Weber": "Roth"}
    (tmp_path / "Familie_Müller.txt").write_text("I: Frage\nB: Antwort\n", encoding="utf-8")
    import_files(project, [tmp_path / "Familie_Müller.txt"], pseudonyms=mapping)
    table = tmp_path / "faelle.csv"
    table.write_text(
        "Dokument;Kontakt;Nachbar\nFamilie_Müller.txt;Frau Müller;Weber\n"
        "Müller;Herr Müller;Weber\nFamilie Weber;Frau Weber;Müller\n",
        encoding="utf-8",
    )
    summary = import_case_table(project, table, pseudonyms=mapping).value
    assert summary.links == (("Familie_Schmidt.txt", "Familie_Schmidt"),)
    assert set(summary.cases_created) == {"Familie_Schmidt.txt", "Schmidt", "Familie Roth"}
    cases = {c.name: c.id for c in list_cases(project)}
    assert case_values(project, cases["Schmidt"])["Kontakt"] == "Herr Schmidt"
    stored = repr(dump(project))
    assert "Müller" not in stored and "Weber" not in stored


def test_two_keys_that_become_one_pseudonym_are_refused(project, setup):
    before = dump(project)
    with pytest.raises(InvalidInputError, match="after pseudonymisation"):
        import_case_table(project, setup, pseudonyms={"Familie A": "Familie C"})
    assert diff_tables(before, dump(project)) == []
