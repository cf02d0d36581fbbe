"""SQLAlchemy 2 models for the whole domain model of DESIGN.md.

Deletes never cascade inside the database (foreign keys restrict): the ORM deletes dependent rows
itself, so the undo recorder sees every row that disappears and can bring it back.
"""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from qda_app.domain.clock import utc_now
from qda_app.domain.ids import new_guid

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

GUID_LENGTH = 36


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _guid_column() -> Mapped[str]:
    return mapped_column(String(GUID_LENGTH), unique=True, default=new_guid)


def _created_column() -> Mapped[datetime]:
    return mapped_column(DateTime, default=utc_now)


class ProjectRow(Base):
    """The single row describing the project itself."""

    __tablename__ = "project"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("language IN ('de', 'en')", name="language"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = _guid_column()
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="de")
    created_at: Mapped[datetime] = _created_column()


class Coder(Base):
    __tablename__ = "coder"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = _guid_column()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = _created_column()


class CaseDocument(Base):
    """Membership of a document in a case; mapped (not a bare table) so undo sees it."""

    __tablename__ = "case_document"

    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id"), primary_key=True, index=True
    )


class Case(Base):
    """A family or conversation group; documents belong to cases (REFI-QDA Case + SourceRef)."""

    __tablename__ = "case"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = _guid_column()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = _created_column()

    document_links: Mapped[list[CaseDocument]] = relationship(cascade="all, delete-orphan")
    values: Mapped[list["CaseValue"]] = relationship(cascade="all, delete-orphan")
    memos: Mapped[list["Memo"]] = relationship(cascade="all, delete-orphan")


class Document(Base):
    """A transcript. `text_length` mirrors len(text) so the database can check coding spans."""

    __tablename__ = "document"
    __table_args__ = (
        CheckConstraint("text_length = length(text)", name="length_matches"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = _guid_column()
    name: Mapped[str] = mapped_column(String(300), unique=True)
    text_length: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    source_name: Mapped[str | None] = mapped_column(String(500))
    imported_at: Mapped[datetime] = _created_column()
    # Last on purpose: SQLite stores a long text in overflow pages, and every column after it
    # would cost a walk through them (the coding trigger reads text_length on each insert).
    text: Mapped[str] = mapped_column(Text)

    case_links: Mapped[list[CaseDocument]] = relationship(cascade="all, delete-orphan")
    speakers: Mapped[list["Speaker"]] = relationship(cascade="all, delete-orphan")
    turns: Mapped[list["Turn"]] = relationship(cascade="all, delete-orphan")
    codings: Mapped[list["Coding"]] = relationship(cascade="all, delete-orphan")
    suggestions: Mapped[list["Suggestion"]] = relationship(cascade="all, delete-orphan")
    memos: Mapped[list["Memo"]] = relationship(cascade="all, delete-orphan")
    values: Mapped[list["DocumentValue"]] = relationship(cascade="all, delete-orphan")


class Speaker(Base):
    """A speaker as found in one document, renamable and mergeable by the user."""

    __tablename__ = "speaker"
    __table_args__ = (
        UniqueConstraint("document_id", "label"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    label: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    is_interviewer: Mapped[bool] = mapped_column(Boolean, default=False)

    turns: Mapped[list["Turn"]] = relationship(back_populates="speaker")


class Turn(Base):
    """A speaker turn found at import: the unit for suggestions and agreement."""

    __tablename__ = "turn"
    __table_args__ = (
        CheckConstraint('start >= 0 AND text_start >= start AND "end" >= text_start', name="span"),
        Index("ix_turn_document_start", "document_id", "start"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speaker.id"))
    start: Mapped[int] = mapped_column(Integer)
    text_start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    timestamp_ms: Mapped[int | None] = mapped_column(Integer)

    speaker: Mapped[Speaker | None] = relationship(back_populates="turns")


class Attribute(Base):
    """A typed variable on cases or on documents (REFI-QDA Variable)."""

    __tablename__ = "attribute"
    __table_args__ = (
        UniqueConstraint("scope", "name"),
        CheckConstraint("scope IN ('case', 'document')", name="scope"),
        CheckConstraint("type IN ('text', 'number', 'date', 'category')", name="type"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = _guid_column()
    name: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(10))
    type: Mapped[str] = mapped_column(String(10))
    choices: Mapped[str] = mapped_column(Text, default="[]")
    position: Mapped[int] = mapped_column(Integer, default=0)

    case_values: Mapped[list["CaseValue"]] = relationship(cascade="all, delete-orphan")
    document_values: Mapped[list["DocumentValue"]] = relationship(cascade="all, delete-orphan")


class _ValueColumns:
    """One typed slot is filled according to the attribute's type; the others stay NULL."""

    text_value: Mapped[str | None] = mapped_column(Text)
    number_value: Mapped[float | None] = mapped_column(Float)
    date_value: Mapped[date | None] = mapped_column(Date)


class CaseValue(_ValueColumns, Base):
    __tablename__ = "case_value"

    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("attribute.id"), primary_key=True)


class DocumentValue(_ValueColumns, Base):
    __tablename__ = "document_value"

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("attribute.id"), primary_key=True)


class Code(Base):
    """A node of the code tree; definitions follow qualitative content analysis."""

    __tablename__ = "code"
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        Index("ix_code_parent_position", "parent_id", "position"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = _guid_column()
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("code.id"))
    color: Mapped[str] = mapped_column(String(7), default="#4e79a7")
    description: Mapped[str] = mapped_column(Text, default="")
    inclusion: Mapped[str] = mapped_column(Text, default="")
    exclusion: Mapped[str] = mapped_column(Text, default="")
    anchors: Mapped[str] = mapped_column(Text, default="[]")
    keywords: Mapped[str] = mapped_column(Text, default="[]")
    position: Mapped[int] = mapped_column(Integer, default=0)
    codable: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = _created_column()

    children: Mapped[list["Code"]] = relationship(cascade="all, delete-orphan")
    codings: Mapped[list["Coding"]] = relationship(cascade="all, delete-orphan")
    suggestions: Mapped[list["Suggestion"]] = relationship(cascade="all, delete-orphan")
    memos: Mapped[list["Memo"]] = relationship(cascade="all, delete-orphan")
    goal_links: Mapped[list["GoalCode"]] = relationship(cascade="all, delete-orphan")
    set_links: Mapped[list["CodeSetMember"]] = relationship(cascade="all, delete-orphan")


class CodeSetMember(Base):
    """A code's membership in a set; mapped (not a bare table) so undo sees it.

    `position` keeps the members in the order the codebook file listed them, so a set goes out
    of the project exactly as it came in.
    """

    __tablename__ = "code_set_member"

    set_id: Mapped[int] = mapped_column(ForeignKey("code_set.id"), primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class CodeSet(Base):
    """A named group of codes across the tree (REFI-QDA CodeBook Sets, ATLAS.ti code groups)."""

    __tablename__ = "code_set"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = _guid_column()
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = _created_column()

    members: Mapped[list[CodeSetMember]] = relationship(cascade="all, delete-orphan")


class Coding(Base):
    """A coded span. A trigger (see the first migration) keeps `end` inside its document."""

    __tablename__ = "coding"
    __table_args__ = (
        CheckConstraint('start >= 0 AND "end" > start', name="span"),
        CheckConstraint("origin IN ('manual', 'suggestion', 'autocode', 'import')", name="origin"),
        UniqueConstraint(
            "document_id", "start", "end", "code_id", "coder_id", name="uq_coding_span"
        ),
        # The span constraint's index also serves "codings of a document by start" (the
        # transcript view), so no separate index: each one costs bulk imports time.
        Index("ix_coding_code", "code_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = _guid_column()
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(12), default="manual")
    memo: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _created_column()

    memos: Mapped[list["Memo"]] = relationship(cascade="all, delete-orphan")


class Suggestion(Base):
    """A scored proposal from the suggestion model, kept so rejections can train it."""

    __tablename__ = "suggestion"
    __table_args__ = (
        CheckConstraint('start >= 0 AND "end" > start', name="span"),
        CheckConstraint("state IN ('open', 'accepted', 'rejected')", name="state"),
        Index("ix_suggestion_document_start", "document_id", "start"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    model_version: Mapped[str] = mapped_column(String(64))
    rationale: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = _created_column()


class Memo(Base):
    """Free text on the project (no target), a document, a case, a code or a coding."""

    __tablename__ = "memo"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN document_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN code_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN coding_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN case_id IS NULL THEN 0 ELSE 1 END) <= 1",
            name="one_target",
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = _guid_column()
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coder.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), index=True)
    code_id: Mapped[int | None] = mapped_column(ForeignKey("code.id"), index=True)
    coding_id: Mapped[int | None] = mapped_column(ForeignKey("coding.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    created_at: Mapped[datetime] = _created_column()
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)


class GoalCode(Base):
    """A goal's link to a theme it answers."""

    __tablename__ = "goal_code"

    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id"), primary_key=True, index=True)


class Goal(Base):
    """An impact goal on the seven-step ladder (1-3 output, 4-6 outcome, 7 impact)."""

    __tablename__ = "goal"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 7", name="level"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = _guid_column()
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[int] = mapped_column(Integer)
    indicators: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = _created_column()

    code_links: Mapped[list[GoalCode]] = relationship(cascade="all, delete-orphan")
