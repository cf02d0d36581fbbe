"""Read-only views of imported transcripts: speakers, turns and per-document overviews."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SpeakerInfo:
    id: int
    document_id: int
    label: str
    name: str
    is_interviewer: bool
    turns: int


@dataclass(frozen=True)
class TurnView:
    """One turn as `qda show` and the transcript view print it."""

    start: int
    end: int
    text_start: int
    speaker: str | None
    timestamp_ms: int | None
    text: str


@dataclass(frozen=True)
class DocumentOverview:
    """A row of `qda docs`: enough to see at a glance whether an import looks right."""

    id: int
    name: str
    source_name: str | None
    length: int
    words: int
    turns: int
    speakers: tuple[str, ...]
