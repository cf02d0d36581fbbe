"""What the format readers hand to the import service: plain, frozen, database-free values.

Offsets follow DESIGN.md: `start`/`end` are Python `str` indexes (code points) into
`ParsedDocument.text`, end exclusive. A turn's span covers the whole turn *including* its
speaker label (so coding a whole turn also codes who spoke), and `text_start` marks where
the spoken words begin (after the label, or on the line below a label that stands alone).
"""

from dataclasses import dataclass, field

from qda_app.domain.values import AttributeType, AttributeValue


@dataclass(frozen=True)
class ParsedSpeaker:
    """One distinct speaker of a document.

    `key` is the normalised identity (case-folded, no spaces or punctuation), so that
    `Interviewer1:` and `Interviewer 1:` are one speaker; `label` is how the transcript wrote
    it the first time; `name` comes from a legend line such as `(I = Interviewerin)`.
    """

    key: str
    label: str
    name: str | None = None


@dataclass(frozen=True)
class ParsedTurn:
    """A speaker turn, or a paragraph when the document has no speaker convention."""

    speaker: str | None
    start: int
    end: int
    text_start: int
    timestamp_ms: int | None = None


@dataclass(frozen=True)
class ParsedDocument:
    """A transcript read from bytes: normalised text plus the structure found in it.

    `sha256` is taken from the original bytes so a re-import of the same file is recognised
    even though the stored text is normalised.
    """

    text: str
    turns: tuple[ParsedTurn, ...]
    speakers: tuple[ParsedSpeaker, ...]
    sha256: str
    source_name: str
    format: str
    notes: tuple[str, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseColumn:
    """A column of a case table with the attribute type inferred from its values."""

    name: str
    type: AttributeType
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseRow:
    """One case (family, group) keyed by the value that links it to documents."""

    key: str
    values: dict[str, AttributeValue]


@dataclass(frozen=True)
class CaseTable:
    """A spreadsheet of case attributes; `columns` excludes the key column."""

    key_column: str
    columns: tuple[CaseColumn, ...]
    rows: tuple[CaseRow, ...]
    source_name: str
