"""RTF transcripts (often written by f4transkript and by Word's "Save as RTF")."""

import re

from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.readers.base import Extracted

_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")


def read_rtf(data: bytes, source_name: str) -> Extracted:
    """`\\'xx` escapes are bytes in the document's ANSI code page, so that page is passed on."""
    if not data.lstrip().startswith(b"{\\rtf"):
        raise UnreadableFileError(
            source_name, "this is not an RTF file (it lacks the {\\rtf header)"
        )
    from striprtf.striprtf import rtf_to_text

    codepage = _CODEPAGE.search(data[:4096])
    encoding = f"cp{int(codepage.group(1))}" if codepage else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    try:
        text = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")
    except Exception as exc:  # striprtf raises bare exceptions on broken groups
        raise UnreadableFileError(source_name, f"the RTF file is damaged ({exc})") from exc
    if not text.strip():
        raise UnreadableFileError(source_name, "the RTF file contains no text")
    return Extracted(text, "rtf")
