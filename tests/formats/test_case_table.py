import io
import zipfile
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


@pytest.mark.parametrize(
    "cells",
    [
        ["01067", "04109", "10115"],  # postcodes
        ["007", "12", "-03"],  # IDs with a leading zero, signed too
        ["12345678901234567", "2", "3"],  # 17 digits
        ["1.234.567.890.123.456", "1", "2"],
        ["0,1234567890123456", "1", "2"],
        ["+49 30 1234567", "+4940765432101234", "+49 89 1"],  # phone numbers
    ],
)
def test_columns_whose_values_a_number_would_change_stay_text(cells):
    csv_text = "Datei;Wert\n" + "".join(f"{n}.txt;{cell}\n" for n, cell in enumerate(cells))
    table = read_case_table(csv_text.encode(), "x.csv")
    assert columns(table)["Wert"] == (AttributeType.TEXT, ())
    assert [row.values["Wert"] for row in table.rows] == cells


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["0", "0,5", "-0,25"], [0.0, 0.5, -0.25]),  # a zero before the decimal comma is a number
        (["123456789012345", "1"], [123456789012345.0, 1.0]),  # 15 digits are exact
        (["1,500000000000000000", "2"], [1.5, 2.0]),  # trailing fraction zeros are no digits
    ],
)
def test_numbers_that_survive_a_float_stay_numbers(cells, expected):
    csv_text = "Datei;Wert\n" + "".join(f"{n}.txt;{cell}\n" for n, cell in enumerate(cells))
    table = read_case_table(csv_text.encode(), "x.csv")
    assert columns(table)["Wert"] == (AttributeType.NUMBER, ())
    assert [row.values["Wert"] for row in table.rows] == expected


def test_dates_with_leading_zeros_are_still_dates():
    table = read_case_table(b"Datei;Seit\na;01.02.2022\nb;03.04.2023\nc;05.06.2024\n", "x.csv")
    assert columns(table)["Seit"] == (AttributeType.DATE, ())


def test_xlsx_integers_a_float_cannot_hold_stay_exact_text():
    """openpyxl writes floats, so the exact digits another program writes are put in by hand."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Dokument", "Konto", "Kinder"])
    sheet.append(["a.txt", 111, 2])
    sheet.append(["b.txt", 7, 3])
    sheet.append(["c.txt", "08", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    patched = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(patched, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<v>111</v>", b"<v>12345678901234567</v>")
            target.writestr(info, content)
    table = read_case_table(patched.getvalue(), "cases.xlsx")
    assert columns(table)["Konto"] == (AttributeType.TEXT, ())
    assert [row.values["Konto"] for row in table.rows] == ["12345678901234567", "7", "08"]
    assert [row.values["Kinder"] for row in table.rows] == [2.0, 3.0, 1.0]
