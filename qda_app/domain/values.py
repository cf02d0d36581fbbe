"""Read-only snapshots of stored entities, handed from services to the CLI, the UI and reports.

They are detached from any database session, so a view can keep them after the transaction ends.
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class CodingOrigin(StrEnum):
    MANUAL = "manual"
    SUGGESTION = "suggestion"
    AUTOCODE = "autocode"
    IMPORT = "import"


class AttributeType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CATEGORY = "category"


class AttributeScope(StrEnum):
    CASE = "case"
    DOCUMENT = "document"


class SuggestionState(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


AttributeValue = str | float | date | None


@dataclass(frozen=True)
class ProjectSummary:
    name: str
    language: str
    schema_version: int
    created_at: datetime
    documents: int
    codes: int
    codings: int
    coders: int
    cases: int
    memos: int
    location: str


@dataclass(frozen=True)
class CoderInfo:
    id: int
    guid: str
    name: str


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    guid: str
    name: str
    length: int
    sha256: str
    source_name: str | None
    imported_at: datetime


@dataclass(frozen=True)
class CaseInfo:
    id: int
    guid: str
    name: str
    description: str


@dataclass(frozen=True)
class AttributeInfo:
    id: int
    guid: str
    name: str
    scope: AttributeScope
    type: AttributeType
    choices: tuple[str, ...]


@dataclass(frozen=True)
class CodeInfo:
    id: int
    guid: str
    name: str
    parent_id: int | None
    color: str
    description: str
    inclusion: str
    exclusion: str
    anchors: tuple[str, ...]
    keywords: tuple[str, ...]
    position: int
    codable: bool


@dataclass(frozen=True)
class CodingInfo:
    id: int
    guid: str
    document_id: int
    code_id: int
    coder_id: int
    start: int
    end: int
    origin: CodingOrigin
    memo: str | None
    created_at: datetime


@dataclass(frozen=True)
class CodingRow:
    """One coding as the `qda codings` listing and reports show it."""

    document: str
    code: str
    coder: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class MemoInfo:
    id: int
    guid: str
    title: str
    text: str
    coder_id: int | None
    document_id: int | None
    code_id: int | None
    coding_id: int | None
    case_id: int | None
    updated_at: datetime
