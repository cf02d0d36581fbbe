"""Invariants every ParsedDocument must satisfy, shared by the reader tests."""

from qda_app.domain.parsed import ParsedDocument
from qda_app.formats.text_normalise import normalise_text


def assert_consistent(document: ParsedDocument) -> None:
    text = document.text
    assert normalise_text(text) == text, "text must already be normalised"
    keys = {speaker.key for speaker in document.speakers}
    assert len(keys) == len(document.speakers)
    previous_end = 0
    for turn in document.turns:
        assert previous_end <= turn.start <= turn.text_start <= turn.end <= len(text), turn
        assert turn.speaker is None or turn.speaker in keys
        assert text[turn.start : turn.end] == text[turn.start : turn.end].strip()
        previous_end = turn.end


def turn_view(document: ParsedDocument) -> list[tuple[str | None, str, int | None]]:
    """(speaker key, spoken text, timestamp) per turn: what a test usually wants to compare."""
    assert_consistent(document)
    return [
        (turn.speaker, document.text[turn.text_start : turn.end], turn.timestamp_ms)
        for turn in document.turns
    ]
