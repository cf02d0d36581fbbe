"""Case tables (one row per family or group) from CSV or XLSX, with typed columns.

Types are inferred per column from all its values, never per cell, so "3" stays a number
in a number column and a text in a text column, and German number and date notation is
understood because that is what the users' spreadsheets contain.
"""

import io
import re
import sys
from datetime import date, datetime
from pathlib import PurePath

from qda_app.domain.parsed import CaseColumn, CaseRow, CaseTable
from qda_app.domain.values import AttributeType, AttributeValue
from qda_app.formats.csv_rows import read_csv_rows
from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.safezip import open_checked_zip

Cell = str | float | date | None

KEY_COLUMN_NAMES = frozenset(
    {
        "document",
        "dokument",
        "file",
        "datei",
        "dateiname",
        "filename",
        "file name",
        "document name",
        "dokumentname",
        "transcript",
        "transkript",
        "interview",
    }
)
_GERMAN_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
_ENGLISH_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_MAX_CATEGORIES = 12
# "01067" (a postcode) or "007" (an ID) is text: the zero would be lost in a number.
_LEADING_ZERO = re.compile(r"[-+]?0\d")
# Any decimal with at most this many significant digits survives a float (DBL_DIG); longer IDs,
# account or phone numbers would come back with other digits.
_EXACT_DIGITS = sys.float_info.dig


def _xlsx_rows(data: bytes, source_name: str) -> list[list[Cell]]:
    open_checked_zip(data, source_name, "Excel (.xlsx)", "xl/workbook.xml").close()
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [[_xlsx_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except Exception as exc:  # openpyxl raises KeyError, ValueError, TypeError on damaged files
        raise UnreadableFileError(source_name, f"the Excel file cannot be read ({exc})") from exc
    return [row for row in rows if any(cell not in (None, "") for cell in row)]


def _xlsx_cell(value: object) -> Cell:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) and _significant_digits(str(value)) > _EXACT_DIGITS:
        return str(value)  # written by a program that kept the exact digits; so do we
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return str(value)


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else str(cell)
    if isinstance(cell, date):
        return cell.isoformat()
    return cell.strip()


def _parse_date(value: str) -> date | None:
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := _GERMAN_DATE.fullmatch(value):
        day, month, year = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _significant_digits(number: str, decimal: str = ".") -> int:
    """Digits that a float has to keep: leading zeros and trailing fraction zeros do not count."""
    whole, _, fraction = number.partition(decimal)
    digits = re.sub(r"\D", "", whole) + re.sub(r"\D", "", fraction).rstrip("0")
    return len(digits.lstrip("0"))


def _number_parser(texts: list[str]) -> tuple[re.Pattern[str], str, str] | None:
    """German notation wins when both fit ("1.234" is more likely 1234 in a German table).

    A column is no number column when one value would not come back the same from a float:
    users must find their postcodes and IDs as they typed them.
    """
    if any(_LEADING_ZERO.match(text) for text in texts):
        return None
    for pattern, thousands, decimal in ((_GERMAN_NUMBER, ".", ","), (_ENGLISH_NUMBER, ",", ".")):
        if all(pattern.fullmatch(text) for text in texts):
            if any(_significant_digits(text, decimal) > _EXACT_DIGITS for text in texts):
                return None
            return pattern, thousands, decimal
    return None


def _typed_column(name: str, cells: list[Cell]) -> tuple[CaseColumn, list[AttributeValue]]:
    present = [cell for cell in cells if _text(cell)]
    strings = [cell.strip() for cell in present if isinstance(cell, str)]
    if present and all(isinstance(cell, float | str) for cell in present):
        parser = _number_parser(strings)
        if parser is not None:
            _, thousands, decimal = parser

            def number(cell: Cell) -> AttributeValue:
                if isinstance(cell, float) or cell is None:
                    return cell
                text = cell.strip()
                return float(text.replace(thousands, "").replace(decimal, ".")) if text else None

            return CaseColumn(name, AttributeType.NUMBER), [number(cell) for cell in cells]
    if present and all(
        isinstance(c, date) or (isinstance(c, str) and _parse_date(c.strip())) for c in present
    ):
        return CaseColumn(name, AttributeType.DATE), [
            cell if isinstance(cell, date) or cell is None else _parse_date(cell.strip())
            for cell in cells
        ]
    values: list[AttributeValue] = [_text(cell) or None for cell in cells]
    distinct = list(dict.fromkeys(value for value in values if value is not None))
    if present and len(distinct) <= _MAX_CATEGORIES and 2 * len(distinct) <= len(present):
        return CaseColumn(name, AttributeType.CATEGORY, tuple(str(v) for v in distinct)), values
    return CaseColumn(name, AttributeType.TEXT), values


def _checked_rows(
    rows: list[list[Cell]], source_name: str, pad_short: bool
) -> tuple[list[str], list[list[Cell]]]:
    """Header and body; spreadsheets may omit trailing empty cells, CSV rows must be whole."""
    if not rows:
        raise UnreadableFileError(source_name, "the case table is empty")
    header = [_text(cell) for cell in rows[0]]
    while header and not header[-1]:
        header.pop()
    if len(rows) < 2:
        raise UnreadableFileError(source_name, "the case table has a header but no rows")
    for index, name in enumerate(header, start=1):
        if not name:
            raise UnreadableFileError(source_name, f"column {index} has no name in the header row")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise UnreadableFileError(source_name, f"the column name {duplicates[0]!r} appears twice")
    body = []
    for number, row in enumerate(rows[1:], start=2):
        cells = list(row)
        while len(cells) > len(header) and not _text(cells[-1]):
            cells.pop()
        if pad_short and len(cells) < len(header):
            cells += [None] * (len(header) - len(cells))
        if len(cells) != len(header):
            raise UnreadableFileError(
                source_name, f"row {number} has {len(cells)} cells but the header has {len(header)}"
            )
        body.append(cells)
    return header, body


def _key_index(header: list[str]) -> int:
    for index, name in enumerate(header):
        if name.casefold() in KEY_COLUMN_NAMES:
            return index
    return 0


def read_case_table(data: bytes, filename: str) -> CaseTable:
    """Read the first sheet of an .xlsx or a .csv/.tsv/.txt table of cases."""
    source_name = PurePath(filename).name
    extension = PurePath(filename).suffix.lower()
    if extension == ".xlsx":
        rows = _xlsx_rows(data, source_name)
    elif extension in (".csv", ".tsv", ".txt"):
        rows = [list(row) for row in read_csv_rows(data, source_name)]
    else:
        raise UnreadableFileError(
            source_name, f"unsupported case table type {extension or '(none)'}; use .csv or .xlsx"
        )
    header, body = _checked_rows(rows, source_name, pad_short=extension == ".xlsx")
    key_index = _key_index(header)
    keys: dict[str, int] = {}
    for number, row in enumerate(body, start=2):
        key = _text(row[key_index])
        if not key:
            raise UnreadableFileError(
                source_name, f"row {number} has no value in the key column {header[key_index]!r}"
            )
        if key in keys:
            raise UnreadableFileError(
                source_name, f"the key {key!r} appears twice (rows {keys[key]} and {number})"
            )
        keys[key] = number
    columns = []
    values_by_column = []
    for index, name in enumerate(header):
        if index != key_index:
            column, values = _typed_column(name, [row[index] for row in body])
            columns.append(column)
            values_by_column.append(values)
    rows_out = tuple(
        CaseRow(
            key,
            {
                column.name: values[position]
                for column, values in zip(columns, values_by_column, strict=True)
            },
        )
        for position, key in enumerate(keys)
    )
    return CaseTable(header[key_index], tuple(columns), rows_out, source_name)
