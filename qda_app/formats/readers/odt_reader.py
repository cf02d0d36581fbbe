"""OpenDocument .odt transcripts (LibreOffice Writer): paragraphs, lists and tables in order."""

import io
from typing import Any

from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.readers.base import Extracted
from qda_app.formats.readers.tables import table_lines
from qda_app.formats.readers.xml_guard import check_xml_member
from qda_app.formats.safezip import open_checked_zip

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_PARAGRAPHS = {(_TEXT_NS, "p"), (_TEXT_NS, "h")}
_CONTAINERS = {
    (_TEXT_NS, "list"),
    (_TEXT_NS, "list-item"),
    (_TEXT_NS, "list-header"),
    (_TEXT_NS, "section"),
}


def _table_rows(table: Any, extract: Any) -> list[list[str]]:
    from odf.table import TableRow

    rows = []
    for row in table.getElementsByType(TableRow):
        cells = []
        for cell in row.childNodes:
            if cell.qname == (_TABLE_NS, "table-cell"):
                paragraphs = [child for child in cell.childNodes if child.qname in _PARAGRAPHS]
                cells.append("\n".join(extract(paragraph) for paragraph in paragraphs))
        rows.append(cells)
    return rows


def _walk(element: Any, lines: list[str], extract: Any) -> None:
    for child in element.childNodes:
        qname = getattr(child, "qname", None)
        if qname in _PARAGRAPHS:
            lines.append(extract(child))
        elif qname in _CONTAINERS:
            _walk(child, lines, extract)
        elif qname == (_TABLE_NS, "table"):
            lines.extend(table_lines(_table_rows(child, extract)))
            lines.append("")


def read_odt(data: bytes, source_name: str) -> Extracted:
    """Walk office:text in order, so tables stay where they were among the paragraphs."""
    archive = open_checked_zip(data, source_name, "OpenDocument text (.odt)", "content.xml")
    with archive:
        check_xml_member(archive, "content.xml", source_name, "OpenDocument")
    from odf.opendocument import load
    from odf.teletype import extractText

    try:
        document = load(io.BytesIO(data))
        lines: list[str] = []
        _walk(document.text, lines, extractText)
    except Exception as exc:  # odfpy raises KeyError, AttributeError, SAX errors on damaged files
        raise UnreadableFileError(
            source_name, f"the OpenDocument file cannot be read ({exc})"
        ) from exc
    text = "\n".join(lines)
    if not text.strip():
        raise UnreadableFileError(source_name, "the OpenDocument file contains no text")
    return Extracted(text, "odt")
