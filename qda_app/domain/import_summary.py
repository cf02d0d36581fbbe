"""What a batch import reports back: plain values the CLI prints and the UI shows in a dialog.

Every file of a batch ends in exactly one of three lists, so a user can account for each file
they chose (imported, skipped as a duplicate, or failed with a one-line reason).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportedDocument:
    """A file that became a document."""

    file: str
    document_id: int
    name: str
    words: int
    turns: int
    speakers: int
    notes: tuple[str, ...] = ()
    """How the file was read, for the user to check (e.g. no speakers found: paragraphs)."""


@dataclass(frozen=True)
class SkippedDuplicate:
    """A file whose bytes are already in the project (or earlier in the same batch)."""

    file: str
    existing: str


@dataclass(frozen=True)
class FailedFile:
    """A file that could not be imported; `reason` is one line a user can act on."""

    file: str
    reason: str


@dataclass(frozen=True)
class ImportSummary:
    imported: tuple[ImportedDocument, ...] = ()
    skipped: tuple[SkippedDuplicate, ...] = ()
    failed: tuple[FailedFile, ...] = ()
    cancelled: bool = False
    pseudonyms: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.imported) + len(self.skipped) + len(self.failed)


@dataclass(frozen=True)
class CaseImportSummary:
    """What a case table changed and what it could not link, so the user can fix names."""

    cases_created: tuple[str, ...]
    cases_updated: tuple[str, ...]
    attributes_created: tuple[str, ...]
    links: tuple[tuple[str, str], ...]
    unmatched_keys: tuple[str, ...]
    unmatched_documents: tuple[str, ...]
