import io
from datetime import date, datetime

import pytest

from qda_app.domain.values import AttributeType
from qda_app.formats.case_table import read_case_table
from qda_app.formats.errors import UnreadableFileError

GERMAN_CSV = (
    "Familie;Datei;Bezirk;Einkommen;Interviewdatum;Notiz\n"
    "K;k.docx;Nord;1.234,50;12.05.2023;zwei Kinder\n"
    "L;l.docx;Süd;980;2023-06-01;Oma lebt mit\n"
    "M;m.docx;Nord;2.100;01.07.2023;\n"
    "N;n.docx;Nord;;03.07.2023;Umzug geplant\n"
)


def columns(table):
    return {column.name: (column.type, column.choices) for column in table.columns}


def test_german_excel_csv_with_types_and_key_column_by_name():
    table = read_case_table(GERMAN_CSV.encode("cp1252"), "faelle.csv")
    assert table.key_column == "Datei"
    assert columns(table) == {
        "Familie": (AttributeType.TEXT, ()),
        "Bezirk": (AttributeType.CATEGORY, ("Nord", "Süd")),
        "Einkommen": (AttributeType.NUMBER, ()),
        "Interviewdatum": (AttributeType.DATE, ()),
        "Notiz": (AttributeType.TEXT, ()),
    }
    rows = {row.key: row.values for row in table.rows}
    assert rows["k.docx"]["Einkommen"] == 1234.5
    assert rows["m.docx"]["Einkommen"] == 2100.0
    assert rows["n.docx"]["Einkommen"] is None
    assert rows["l.docx"]["Interviewdatum"] == date(2023, 6, 1)
    assert rows["m.docx"]["Notiz"] is None


def test_comma_and_tab_delimited_with_english_numbers_and_first_column_as_key():
    csv_text = "case,size,score\nA,3,1.5\nB,4,2.25\nC,3,10\n"
    table = read_case_table(csv_text.encode(), "x.csv")
    assert table.key_column == "case"
    assert [row.values["score"] for row in table.rows] == [1.5, 2.25, 10.0]
    tsv = csv_text.replace(",", "\t").encode("utf-16")
    assert read_case_table(tsv, "x.tsv").rows == table.rows


def test_xlsx_first_sheet_with_native_types():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Dokument", "Kinder", "Seit", "Typ"])
    sheet.append(["a.txt", 2, datetime(2020, 1, 5), "Paar"])
    sheet.append(["b.txt", 1, datetime(2021, 3, 1), "allein"])
    sheet.append(["c.txt", None, "01.02.2022", "Paar"])
    sheet.append(["d.txt", 4, None, "Paar"])
    workbook.create_sheet("Zweites")["A1"] = "ignored"
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_case_table(buffer.getvalue(), "cases.xlsx")
    assert table.key_column == "Dokument"
    assert columns(table)["Kinder"] == (AttributeType.NUMBER, ())
    assert columns(table)["Seit"] == (AttributeType.DATE, ())
    assert columns(table)["Typ"] == (AttributeType.CATEGORY, ("Paar", "allein"))
    assert [row.values["Seit"] for row in table.rows] == [
        date(2020, 1, 5),
        date(2021, 3, 1),
        date(2022, 2, 1),
        None,
    ]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.csv", "empty"),
        (b"Datei;Bezirk\n", "a.csv", "header but no rows"),
        (b"Datei;Bezirk\na;Nord\na;Sud\n", "a.csv", "the key 'a' appears twice (rows 2 and 3)"),
        (b"Datei;Bezirk\na;Nord;extra\n", "a.csv", "row 2 has 3 cells but the header has 2"),
        (b"Datei;Bezirk;X\na;Nord\n", "a.csv", "row 2 has 2 cells but the header has 3"),
        (b"Datei;;X\na;b;c\n", "a.csv", "column 2 has no name"),
        (b"Datei;X;X\na;b;c\n", "a.csv", "'X' appears twice"),
        (b"Datei;X\n;b\n", "a.csv", "row 2 has no value in the key column"),
        (b"Datei,X\na,b", "a.ods", "unsupported case table type .ods"),
        (b"Datei,X\na,b", "a.xlsx", "not a Excel (.xlsx) file"),
    ],
)
def test_bad_tables_give_one_line_errors(data, name, message):
    with pytest.raises(UnreadableFileError) as caught:
        read_case_table(data, name)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_trailing_empty_cells_of_excel_exports_are_tolerated():
    table = read_case_table(b"Datei;Bezirk\na;Nord;;\nb;Nord;\n", "a.csv")
    assert [row.key for row in table.rows] == ["a", "b"]
