"""CSV as German Excel writes it (`;`, cp1252) and as everything else does (`,`, tab, UTF-8)."""

import csv
import io

from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.text_normalise import decode_text, normalise_text

_DELIMITERS = (";", "\t", ",")
_SAMPLE_LINES = 50


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, equally wide columns.

    csv.Sniffer guesses wrongly on German data, where commas are decimal separators inside
    `;`-separated rows; consistency of the row width is the better signal.
    """
    sample = "\n".join(text.split("\n", _SAMPLE_LINES)[:_SAMPLE_LINES])
    best, best_score = ",", (False, 1)
    for delimiter in _DELIMITERS:
        widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if row]
        if not widths:
            continue
        score = (len(set(widths)) == 1, widths[0])
        if widths[0] > 1 and score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_rows(data: bytes, source_name: str) -> list[list[str]]:
    """All rows as strings, without fully empty rows; decoding as for transcripts."""
    text = normalise_text(decode_text(data, source_name))
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text), strict=True))
    except csv.Error as exc:
        raise UnreadableFileError(source_name, f"the CSV file is damaged ({exc})") from exc
    return [row for row in rows if any(cell.strip() for cell in row)]
