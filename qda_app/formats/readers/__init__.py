"""`read_document`: bytes and a file name in, a `ParsedDocument` out, whatever the format.

The extension chooses the reader, but content wins where it is unambiguous (an RTF saved
as .doc, a PDF named .txt), because users' folders are full of mislabelled files.
"""

import hashlib
from collections.abc import Callable
from pathlib import PurePath

from qda_app.domain.parsed import ParsedDocument
from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.readers.base import Extracted
from qda_app.formats.readers.docx_reader import read_docx
from qda_app.formats.readers.odt_reader import read_odt
from qda_app.formats.readers.pdf_reader import read_pdf
from qda_app.formats.readers.plain import read_markdown, read_txt
from qda_app.formats.readers.rtf_reader import read_rtf
from qda_app.formats.readers.subtitles import read_srt, read_vtt
from qda_app.formats.text_normalise import normalise_text
from qda_app.formats.transcript import detect_turns
from qda_app.formats.transcript.cues import cue_document

Reader = Callable[[bytes, str], Extracted]

READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".text": read_txt,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".docx": read_docx,
    ".odt": read_odt,
    ".rtf": read_rtf,
    ".pdf": read_pdf,
    ".vtt": read_vtt,
    ".srt": read_srt,
}
SUPPORTED_EXTENSIONS = tuple(READERS)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _sniffed_extension(data: bytes, extension: str) -> str:
    """The extension the content proves, or the given one when the content is not conclusive."""
    head = data[:64].lstrip()
    if head.startswith(b"%PDF"):
        return ".pdf"
    if head.startswith(b"{\\rtf"):
        return ".rtf"
    if head.startswith(b"WEBVTT"):
        return ".vtt"
    if data.startswith(b"PK") and extension not in (".docx", ".odt"):
        if b"word/document.xml" in data:
            return ".docx"
        if b"application/vnd.oasis.opendocument.text" in data[:200]:
            return ".odt"
    return extension


def read_document(data: bytes, filename: str, speaker_pattern: str | None = None) -> ParsedDocument:
    """Read one transcript; raises UnreadableFileError (one line) for anything it cannot use."""
    source_name = PurePath(filename).name
    extension = PurePath(filename).suffix.lower()
    if not data or not data.strip():
        raise UnreadableFileError(source_name, "the file is empty")
    if data.startswith(_OLE_MAGIC):
        raise UnreadableFileError(
            source_name,
            "this is an old binary Office file (.doc): save it as .docx and import that",
        )
    if extension not in READERS:
        supported = ", ".join(SUPPORTED_EXTENSIONS)
        raise UnreadableFileError(
            source_name, f"unsupported file type {extension or '(none)'}; use {supported}"
        )
    actual = _sniffed_extension(data, extension)
    extracted = READERS[actual](data, source_name)
    notes = list(extracted.notes)
    if actual != extension:
        notes.append(f"read as {actual} because of its content, although named {extension}")
    if extracted.cues is not None:
        text, detection = cue_document(extracted.cues, speaker_pattern)
    else:
        text = normalise_text(extracted.text)
        if not text:
            raise UnreadableFileError(source_name, "the file contains no text")
        detection = detect_turns(text, speaker_pattern)
    return ParsedDocument(
        text=text,
        turns=detection.turns,
        speakers=detection.speakers,
        sha256=hashlib.sha256(data).hexdigest(),
        source_name=source_name,
        format=extracted.format,
        notes=tuple(notes) + detection.notes,
        metadata=extracted.metadata,
    )
