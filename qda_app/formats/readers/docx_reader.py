"""Word .docx transcripts: paragraphs and tables in document order."""

import io
import zipfile
from typing import TYPE_CHECKING

from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.readers.base import Extracted
from qda_app.formats.readers.tables import table_lines
from qda_app.formats.readers.xml_guard import check_xml_member
from qda_app.formats.safezip import open_checked_zip

if TYPE_CHECKING:
    from docx.table import Table


def _cell_texts(table: "Table") -> list[list[str]]:
    """Rows of cell texts; a merged cell is returned once, not once per grid column it spans."""
    rows = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(paragraph.text for paragraph in cell.paragraphs))
        rows.append(cells)
    return rows


def read_docx(data: bytes, source_name: str) -> Extracted:
    """Read the main story; headers, footers and comments are not part of the conversation."""
    with open_checked_zip(data, source_name, "Word (.docx)", "word/document.xml") as archive:
        check_xml_member(archive, "word/document.xml", source_name, "Word")
    from docx import Document
    from docx.table import Table

    try:
        document = Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(table_lines(_cell_texts(block)))
                lines.append("")
            else:
                lines.append(block.text)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFileError(source_name, f"the Word file is damaged ({exc})") from exc
    except Exception as exc:  # lxml and python-docx raise many unrelated types on bad XML
        raise UnreadableFileError(source_name, f"the Word file cannot be read ({exc})") from exc
    text = "\n".join(lines)
    if not text.strip():
        raise UnreadableFileError(source_name, "the Word file contains no text")
    return Extracted(text, "docx", metadata=_core_metadata(document))


def _core_metadata(document: object) -> dict[str, str]:
    properties = document.core_properties  # type: ignore[attr-defined]
    found = {"title": properties.title, "author": properties.author}
    if properties.created is not None:
        found["created"] = properties.created.date().isoformat()
    return {key: str(value) for key, value in found.items() if value}
