"""Pseudonymising transcripts, at import or after coding, without losing a single coded word.

The name -> pseudonym key is never stored in the project (a project file is shared with a
team or a planner); `write_key_file` writes it only where the user chooses.
"""

import csv
from collections.abc import Mapping
from dataclasses import dataclass, replace
from itertools import count
from pathlib import Path
from typing import TextIO

from sqlalchemy import Connection, or_, select
from sqlalchemy.orm import Session

from qda_app.domain.changes import Changed
from qda_app.domain.errors import InvalidInputError, NotFoundError
from qda_app.domain.parsed import ParsedDocument
from qda_app.formats.pseudonymise import OffsetMap, pseudonymise
from qda_app.services.lookup import clean_name
from qda_app.services.project import Project, change
from qda_app.services.speakers import merge_speakers_in_session
from qda_app.store import models as m
from qda_app.store.row_changes import record_guard

# Column widths of the store: PostgreSQL refuses longer values (SQLite would keep them), and a
# pseudonym or a folder name can make a name longer than the file name it came from.
DOCUMENT_NAME_LIMIT: int = m.Document.__table__.c.name.type.length
SOURCE_NAME_LIMIT: int = m.Document.__table__.c.source_name.type.length
_MEMO_TITLE_LIMIT: int = m.Memo.__table__.c.title.type.length
_LARGEST_NUMBER = 10**9  # far beyond any project: only bounds the name's shared prefix


@dataclass(frozen=True)
class PseudonymisationResult:
    document_id: int
    name: str
    replacements: int
    codings_moved: int
    duplicates_merged: int


def pseudonymised_string(value: str, mapping: Mapping[str, str]) -> str:
    """Names also hide in document names, file names and speaker labels."""
    return pseudonymise(value, mapping).text if mapping else value


def map_turn(offsets: OffsetMap, start: int, text_start: int, end: int) -> tuple[int, int, int]:
    """A turn's three offsets through the map, keeping start <= text_start <= end."""
    new_start = offsets.map_start(start)
    new_text_start = max(new_start, offsets.map_start(text_start))
    return new_start, new_text_start, max(new_text_start, offsets.map_end(end))


def pseudonymise_parsed(parsed: ParsedDocument, mapping: Mapping[str, str]) -> ParsedDocument:
    """The parsed document as it would read with pseudonyms; turns follow their words.

    Runs before anything is stored, so the real names never reach the project at all.
    """
    if not mapping:
        return parsed
    result = pseudonymise(parsed.text, mapping)
    turns = []
    for turn in parsed.turns:
        start, text_start, end = map_turn(result.offsets, turn.start, turn.text_start, turn.end)
        turns.append(replace(turn, start=start, text_start=text_start, end=end))
    speakers = tuple(
        replace(
            s,
            label=pseudonymised_string(s.label, mapping),
            name=None if s.name is None else pseudonymised_string(s.name, mapping),
        )
        for s in parsed.speakers
    )
    return replace(
        parsed,
        text=result.text,
        turns=tuple(turns),
        speakers=speakers,
        source_name=pseudonymised_string(parsed.source_name, mapping),
    )


def _numbered(base: str, number: int) -> str:
    """`base` (number 1) or `base (n)`, cut so that the number always fits into the column."""
    suffix = "" if number == 1 else f" ({number})"
    return base[: DOCUMENT_NAME_LIMIT - len(suffix)].rstrip() + suffix


def unique_document_name(db: Session | Connection, base: str) -> str:
    """`base`, or `base (2)`, `base (3)`, ...: re-imports of renamed copies keep both, and a
    pseudonymised name never falls back to the real one because its pseudonym is taken.

    One query fetches every name that could collide (the base and its numbered forms), so
    importing the thousandth file of one stem costs what the first did. Long names are cut
    to the column instead of failing on PostgreSQL.
    """
    base = clean_name(" ".join(base.split())[:DOCUMENT_NAME_LIMIT], "document")
    largest = _numbered(base, _LARGEST_NUMBER)
    shared = largest[: len(largest) - len(f" ({_LARGEST_NUMBER})")]
    # A range on the name (not LIKE) so the unique index on names answers it: with LIKE the
    # database read every document row, and importing thousands of files grew quadratic.
    # PostgreSQL compares in the database's collation, where a prefix range is not reliable, so
    # there it compares code points ("C"); SQLite compares code points anyway.
    dialect = db.bind.dialect if isinstance(db, Session) else db.dialect
    name = m.Document.name if dialect.name == "sqlite" else m.Document.name.collate("C")
    query = select(m.Document.name).where(name >= shared, name < shared + "\U0010ffff")
    taken = {found for found in db.execute(query).scalars() if found.startswith(shared)}
    candidates = (_numbered(base, number) for number in count(1))
    return next(name for name in candidates if name not in taken)


def _write_key_rows(stream: TextIO, mapping: Mapping[str, str]) -> None:
    writer = csv.writer(stream)
    writer.writerow(["name", "pseudonym"])
    writer.writerows(sorted(mapping.items(), key=lambda item: item[0].casefold()))


def create_key_file(path: Path) -> TextIO:
    """Create the key file before anything is imported, refusing an existing one.

    An existing file may be the only key to earlier imports, and finding out after the import
    that the key cannot be written would leave pseudonyms nobody can resolve. The file is
    created exclusively (no race with another program); `finish_key_file` fills it.
    """
    try:
        return path.open("x", encoding="utf-8-sig", newline="")
    except FileExistsError:
        raise InvalidInputError(
            f"{path} exists; choose another file for the pseudonym key"
        ) from None
    except FileNotFoundError:
        raise InvalidInputError(f"the folder of the key file {path} does not exist") from None
    except OSError as error:
        raise InvalidInputError(f"cannot create the key file {path}: {error.strerror}") from None


def finish_key_file(stream: TextIO, mapping: Mapping[str, str]) -> bool:
    """Write the key into a file from `create_key_file` and close it; with an empty key the
    empty file is removed again. Returns whether a key was written."""
    path = Path(stream.name)
    try:
        if mapping:
            _write_key_rows(stream, mapping)
    except OSError as error:
        raise InvalidInputError(f"cannot write the key file {path}: {error.strerror}") from error
    finally:
        stream.close()
    if not mapping:
        path.unlink(missing_ok=True)
    return bool(mapping)


def write_key_file(path: Path, mapping: Mapping[str, str], *, overwrite: bool = False) -> Path:
    """Write `name,pseudonym` rows (UTF-8 with BOM so a German Excel opens it correctly).

    An existing file is kept unless `overwrite`: it may be the only key to earlier imports.
    """
    if overwrite:
        path.unlink(missing_ok=True)
    finish_key_file(create_key_file(path), mapping)
    return path


def _set_text(document: m.Document, text: str) -> None:
    document.text = text
    document.text_length = len(text)


def _move_codings(session: Session, document_id: int, offsets: OffsetMap) -> tuple[int, int]:
    """Move codings to their new spans; returns (moved, merged duplicates).

    Two codings of one code and coder can land on the same span (both ended inside the same
    name): the later one is merged into the earlier (its memos move), because the unique
    constraint allows one. Updates go in waves so no row ever takes a span that another row
    still holds; undo replays the same states backwards, so it never collides either.
    """
    codings = session.scalars(
        select(m.Coding).where(m.Coding.document_id == document_id).order_by(m.Coding.id)
    ).all()
    targets = {c.id: offsets.map_span(c.start, c.end) for c in codings}
    keepers: dict[tuple[int, int, int, int], m.Coding] = {}
    merged = 0
    for coding in codings:
        key = (coding.code_id, coding.coder_id, *targets[coding.id])
        keeper = keepers.setdefault(key, coding)
        if keeper is coding:
            continue
        if coding.memo and coding.memo != keeper.memo:  # the user's note must not vanish
            keeper.memo = "\n\n".join(filter(None, [keeper.memo, coding.memo]))
        for memo in session.scalars(select(m.Memo).where(m.Memo.coding_id == coding.id)):
            memo.coding_id = keeper.id
        session.flush()
        session.expire(coding, ["memos"])
        session.delete(coding)
        merged += 1
    session.flush()
    pending = {c.id: c for c in keepers.values() if targets[c.id] != (c.start, c.end)}
    moved = len(pending)
    while pending:
        held = {(c.code_id, c.coder_id, c.start, c.end): c.id for c in pending.values()}
        wave = [
            c
            for c in pending.values()
            if held.get((c.code_id, c.coder_id, *targets[c.id]), c.id) == c.id
        ]
        if not wave:
            raise InvalidInputError("codings block each other's new spans; nothing was changed")
        for coding in wave:
            coding.start, coding.end = targets[coding.id]
            del pending[coding.id]
        session.flush()
    return moved, merged


def _move_turns_and_suggestions(session: Session, document_id: int, offsets: OffsetMap) -> None:
    for turn in session.scalars(select(m.Turn).where(m.Turn.document_id == document_id)):
        turn.start, turn.text_start, turn.end = map_turn(
            offsets, turn.start, turn.text_start, turn.end
        )
    for suggestion in session.scalars(
        select(m.Suggestion).where(m.Suggestion.document_id == document_id)
    ):
        suggestion.start, suggestion.end = offsets.map_span(suggestion.start, suggestion.end)
    session.flush()


def _pseudonymise_speakers(session: Session, document_id: int, mapping: Mapping[str, str]) -> None:
    """Labels and names get pseudonyms; two names that become one pseudonym are one speaker."""
    speakers = session.scalars(
        select(m.Speaker).where(m.Speaker.document_id == document_id).order_by(m.Speaker.id)
    ).all()
    by_label: dict[str, m.Speaker] = {}
    for speaker in speakers:
        label = pseudonymised_string(speaker.label, mapping)
        if label in by_label:
            merge_speakers_in_session(session, speaker, by_label[label])
            continue
        by_label[label] = speaker
        speaker.name = pseudonymised_string(speaker.name, mapping)
    session.flush()
    for label, speaker in by_label.items():
        speaker.label = label
    session.flush()


def _pseudonymise_memos(session: Session, document_id: int, mapping: Mapping[str, str]) -> None:
    """Memos quote and name the family as often as the transcript does."""
    for coding in session.scalars(
        select(m.Coding).where(m.Coding.document_id == document_id, m.Coding.memo.is_not(None))
    ):
        memo_text = pseudonymised_string(coding.memo or "", mapping)
        if memo_text != coding.memo:
            coding.memo = memo_text
    codings = select(m.Coding.id).where(m.Coding.document_id == document_id)
    for memo in session.scalars(
        select(m.Memo).where(or_(m.Memo.document_id == document_id, m.Memo.coding_id.in_(codings)))
    ):
        title = pseudonymised_string(memo.title, mapping)[:_MEMO_TITLE_LIMIT]
        text = pseudonymised_string(memo.text, mapping)
        if (title, text) != (memo.title, memo.text):
            memo.title, memo.text = title, text
    session.flush()


def pseudonymise_in_session(
    session: Session, document: m.Document, mapping: Mapping[str, str]
) -> PseudonymisationResult:
    """Replace names in one document and move every span, in the caller's transaction.

    The caller must hold the document row locked (`lock_documents`), or a coding added by a
    teammate between reading the spans and writing the new text would keep old offsets.

    The coding trigger checks `end <= text_length` on every coding update: when the text
    grows the document is updated first, when it shrinks the spans are; undo reverses the
    order, so the check holds in every intermediate state both ways.
    """
    _guard_spans(session, document.id)
    result = pseudonymise(document.text, mapping)
    offsets = result.offsets
    grows = len(result.text) >= document.text_length
    if grows:
        _set_text(document, result.text)
        session.flush()
    _move_turns_and_suggestions(session, document.id, offsets)
    moved, merged = _move_codings(session, document.id, offsets)
    if not grows:
        _set_text(document, result.text)
        session.flush()
    _pseudonymise_speakers(session, document.id, mapping)
    _pseudonymise_memos(session, document.id, mapping)
    if document.source_name:
        source_name = pseudonymised_string(document.source_name, mapping)
        if source_name != document.source_name:
            document.source_name = source_name[:SOURCE_NAME_LIMIT]
    new_name = pseudonymised_string(document.name, mapping)
    if new_name != document.name:
        document.name = unique_document_name(session, new_name)
    session.flush()
    _guard_spans(session, document.id)
    return PseudonymisationResult(
        document.id, document.name, len(offsets.replacements), moved, merged
    )


def _guard_spans(session: Session, document_id: int) -> None:
    """Undo and redo of a text change must find exactly the spans it moved (see RowGuard)."""
    for table in ("coding", "suggestion", "turn"):
        record_guard(session, table, "document_id", document_id)


def lock_documents(session: Session, document_ids: list[int]) -> dict[int, m.Document]:
    """Load and lock the documents (FOR UPDATE on PostgreSQL) for the rest of the transaction.

    A concurrent coding insert needs a share lock on its document, so it waits until the new
    text and the moved spans are committed. Locks are taken in id order, in one statement, so
    two pseudonymisations of overlapping documents cannot deadlock.
    """
    rows = session.scalars(
        select(m.Document)
        .where(m.Document.id.in_(document_ids))
        .order_by(m.Document.id)
        .with_for_update()
    ).all()
    documents = {row.id: row for row in rows}
    missing = [i for i in document_ids if i not in documents]
    if missing:
        raise NotFoundError(f"no document with id {missing[0]}")
    return documents


def pseudonymise_documents(
    project: Project, document_ids: list[int], mapping: Mapping[str, str]
) -> Changed[list[PseudonymisationResult]]:
    """Pseudonymise documents (codings, turns, suggestions, memos follow) as one undoable step."""
    if not mapping:
        raise InvalidInputError("the pseudonym list is empty")
    outcomes = []
    with change(project, f"Pseudonymise {len(document_ids)} documents") as work:
        documents = lock_documents(work.session, document_ids)
        for document_id in document_ids:
            document = documents[document_id]
            if len(document_ids) == 1:
                work.description = f"Pseudonymise {document.name}"
            outcomes.append(pseudonymise_in_session(work.session, document, mapping))
    return Changed(outcomes, work.summary)


def pseudonymise_document(
    project: Project, document_id: int, mapping: Mapping[str, str]
) -> Changed[PseudonymisationResult]:
    """One already coded document; every coding keeps covering the same words."""
    changed = pseudonymise_documents(project, [document_id], mapping)
    return Changed(changed.value[0], changed.changes)
