"""PDF transcripts: the text layer only (scans need OCR first, which we say in one line)."""

import io
import itertools
import re

from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.readers.base import Extracted

_MARGIN_NUMBER = re.compile(r"^[ \t]*(\d{1,5})(?:[ \t]+|$)", re.M)
_LABEL_WORD = re.compile(r"[^\W\d_][\w]{0,20}:|\[\d{1,2}:\d{2}(?::\d{2})?\]")
_MIN_LINES = 8


def _non_blank_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def strip_margin_numbers(text: str) -> str:
    """Remove line numbers that transcription templates print in the margin (1, 2, 3, ...).

    Only when most lines carry one and they mostly count upwards, because a column of
    numbers at line starts can also be data ("3 Kinder, 2 Erwachsene").
    """
    lines = _non_blank_lines(text)
    numbers = [int(m.group(1)) for line in lines if (m := _MARGIN_NUMBER.match(line))]
    if len(lines) < _MIN_LINES or len(numbers) < 0.8 * len(lines):
        return text
    rising = sum(1 for a, b in itertools.pairwise(numbers) if b == a + 1 or b == 1)
    if rising < 0.7 * (len(numbers) - 1):
        return text
    return _MARGIN_NUMBER.sub("", text)


def join_single_words(text: str) -> str:
    """Rejoin text that the PDF layout split into one word per line.

    A word that looks like a speaker label ("B:", "[00:01:23]") still opens a new line, so
    the turn detector can find it after the join.
    """
    lines = _non_blank_lines(text)
    single = sum(1 for line in lines if " " not in line.strip())
    if len(lines) < _MIN_LINES or single < 0.8 * len(lines):
        return text
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text):
        words = block.split()
        pieces: list[str] = []
        for word in words:
            if pieces and _LABEL_WORD.fullmatch(word):
                pieces.append("\n")
            elif pieces:
                pieces.append(" ")
            pieces.append(word)
        paragraphs.append("".join(pieces))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def read_pdf(data: bytes, source_name: str) -> Extracted:
    """Pages are joined with a blank line; margin numbers and word-per-line layouts are repaired."""
    if not data.startswith(b"%PDF"):
        raise UnreadableFileError(source_name, "this is not a PDF file (it lacks the %PDF header)")
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFileError(source_name, "the PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFileError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFileError(source_name, f"the PDF file is damaged ({exc})") from exc
    notes = []
    if not any(page.strip() for page in pages):
        raise UnreadableFileError(
            source_name, "the PDF has no text layer (a scan?): run OCR on it first"
        )
    if sum(1 for page in pages if not page.strip()) > 0:
        notes.append("some PDF pages have no text layer and were skipped")
    text = "\n\n".join(join_single_words(strip_margin_numbers(page)) for page in pages)
    return Extracted(text, "pdf", notes=notes, metadata={"pages": str(len(pages))})
