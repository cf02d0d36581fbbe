"""WebVTT and SubRip subtitles (Zoom, Teams, Whisper, Otter exports), parsed by hand.

One parser for both: they differ only in the header, the decimal separator and voice tags,
and hand parsing tolerates the small deviations real exports have (missing `</v>`,
missing cue numbers, stray blank lines) that strict parsers reject.
"""

import html
import re

from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.readers.base import Extracted
from qda_app.formats.text_normalise import decode_text, normalise_text
from qda_app.formats.transcript.cues import Cue
from qda_app.formats.transcript.timecodes import parse_time_ms

_TIMING = re.compile(
    r"^[ \t]*((?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)[ \t]*-->[ \t]*"
    r"((?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)[^\n]*$",
    re.M,
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?[ \t]+([^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>|\{\\[^}]*\}")


def _cues_from_payload(start_ms: int, payload: str) -> list[Cue]:
    """Split a cue at its voice tags: Teams writes several voices into one cue."""
    cues = []
    voices = list(_VOICE.finditer(payload))
    if not voices or voices[0].start() > 0:
        head = payload[: voices[0].start()] if voices else payload
        cues.append(Cue(start_ms, None, head))
    for index, voice in enumerate(voices):
        end = voices[index + 1].start() if index + 1 < len(voices) else len(payload)
        cues.append(Cue(start_ms, voice.group(1).strip(), payload[voice.end() : end]))
    return [
        Cue(cue.start_ms, cue.speaker, html.unescape(_TAG.sub("", cue.text)).strip())
        for cue in cues
    ]


def parse_cues(text: str, source_name: str, kind: str) -> list[Cue]:
    """All cues in file order; a file without a single timing line is not a subtitle file."""
    timings = list(_TIMING.finditer(text))
    if not timings:
        raise UnreadableFileError(source_name, f"this is not a {kind} file (no cue timings found)")
    cues: list[Cue] = []
    for index, timing in enumerate(timings):
        start_ms = parse_time_ms(timing.group(1))
        if start_ms is None:
            raise UnreadableFileError(
                source_name, f"bad cue time {timing.group(1)!r} in the {kind} file"
            )
        end = timings[index + 1].start() if index + 1 < len(timings) else len(text)
        payload = text[timing.end() + 1 : end]  # + 1: the newline that ends the timing line
        blank = payload.find("\n\n") if not payload.startswith("\n") else 0
        payload = payload[: blank if blank >= 0 else len(payload)].strip("\n")
        cues.extend(_cues_from_payload(start_ms, payload.replace("\n", " ")))
    return cues


def _read(data: bytes, source_name: str, kind: str, fmt: str) -> Extracted:
    text = normalise_text(decode_text(data, source_name))
    cues = parse_cues(text, source_name, kind)
    if not any(cue.text for cue in cues):
        raise UnreadableFileError(source_name, f"the {kind} file has cues but no text")
    return Extracted("", fmt, cues=cues)


def read_vtt(data: bytes, source_name: str) -> Extracted:
    """WebVTT: the header line is optional here because some tools forget it."""
    return _read(data, source_name, "WebVTT", "vtt")


def read_srt(data: bytes, source_name: str) -> Extracted:
    """SubRip: numbered cues with comma decimals; handled by the same parser as WebVTT."""
    return _read(data, source_name, "SubRip (.srt)", "srt")
