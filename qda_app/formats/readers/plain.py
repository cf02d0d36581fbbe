"""Plain text and Markdown transcripts."""

import re

from qda_app.formats.readers.base import Extracted
from qda_app.formats.text_normalise import decode_text, normalise_text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_ITEM = re.compile(r"^([\w][\w .-]*?)[ \t]*:[ \t]*(.*?)[ \t]*$", re.M)
# Kramdown/Pandoc attribute lists: "{: .speaker}" lines and "{#id .class}" after a heading.
_ATTRIBUTE_LIST = re.compile(r"[ \t]*\{:?[ \t]*[#.:][^}\n]*\}[ \t]*(?=\n|\Z)")
_HEADING = re.compile(r"^#{1,6}[ \t]+", re.M)
_EMPHASIS = re.compile(r"\*\*|(?<!\w)__|__(?!\w)")
_HARD_BREAK = re.compile(r"\\$", re.M)


def read_txt(data: bytes, source_name: str) -> Extracted:
    """Text files are decoded and otherwise left as written (labels may carry markdown too)."""
    return Extracted(decode_text(data, source_name), "txt")


def read_markdown(data: bytes, source_name: str) -> Extracted:
    """Markdown loses its markup so the viewer shows what was said; front matter is metadata."""
    text = normalise_text(decode_text(data, source_name))
    metadata: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        for key, value in _FRONT_ITEM.findall(front.group(1)):
            metadata[key.strip()] = value.strip().strip("\"'")
        text = text[front.end() :]
    text = _ATTRIBUTE_LIST.sub("", text)
    text = _HEADING.sub("", text)
    text = _HARD_BREAK.sub("", text)
    text = _EMPHASIS.sub("", text)
    return Extracted(text, "md", metadata=metadata)
