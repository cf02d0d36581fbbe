"""Importing transcript files: many files at once, each whole or not at all, one undo step.

Reading and parsing happen outside any transaction (they are the slow part and touch no
data); each file is then stored in its own short transaction, so a damaged file, a cancel or
a crash never leaves half a document, and everything finished before it stays. Turns go in
through the bulk path (no ORM objects): 1,000 transcripts must import in seconds.
"""

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import SQLAlchemyError

from qda_app.domain.changes import Changed
from qda_app.domain.clock import utc_now
from qda_app.domain.errors import InvalidInputError, QdaError
from qda_app.domain.ids import new_guid
from qda_app.domain.import_summary import (
    FailedFile,
    ImportedDocument,
    ImportSummary,
    SkippedDuplicate,
)
from qda_app.domain.parsed import ParsedDocument
from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.pseudonymise import propose_pseudonyms
from qda_app.formats.readers import SUPPORTED_EXTENSIONS, read_document
from qda_app.services.history import HistoryEntry
from qda_app.services.project import Project, UnitOfWork, change, reading
from qda_app.services.pseudonymisation import (
    SOURCE_NAME_LIMIT,
    pseudonymise_parsed,
    pseudonymised_string,
    unique_document_name,
)
from qda_app.services.transcripts import count_words
from qda_app.store import models as m
from qda_app.store.bulk import insert_rows, reserve_ids
from qda_app.store.database import database_error_line

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]
KeyGrown = Callable[[Mapping[str, str]], None]

# Column widths of the store; PostgreSQL enforces them, so longer values are cut here.
LABEL_LIMIT = 200
_TURN_COLUMNS = ("id", "document_id", "speaker_id", "start", "text_start", "end", "timestamp_ms")
_SPEAKER_COLUMNS = ("id", "document_id", "label", "name", "is_interviewer")
_DOCUMENT_COLUMNS = (
    "id", "guid", "name", "text_length", "sha256", "source_name", "imported_at", "text",
)  # fmt: skip
Row = tuple[Any, ...]


class _Duplicate(Exception):
    """Raised inside a file's transaction so it rolls back when the bytes are already stored."""

    def __init__(self, existing: str) -> None:
        super().__init__(existing)
        self.existing = existing


class ImportStoppedError(QdaError):
    """The project refused a write (read-only, locked, disk full): no later file could be
    stored either, so the batch stops; `summary` holds the files finished before it."""

    def __init__(self, message: str, summary: ImportSummary) -> None:
        super().__init__(message)
        self.summary = summary


def one_line(message: str) -> str:
    """Reasons are printed one per file: never let a library's multi-line message through."""
    first = message.strip().splitlines()[0] if message.strip() else "unknown error"
    return " ".join(first.split())


def _is_candidate(path: Path, folder: Path) -> bool:
    """Supported, not hidden (anywhere below the folder), not an Office lock file (~$x.docx)."""
    relative = path.relative_to(folder)
    if any(part.startswith(".") for part in relative.parts) or path.name.startswith("~$"):
        return False
    return path.suffix.lower() in SUPPORTED_EXTENSIONS and path.is_file()


def _is_folder(path: Path) -> bool:
    """A path that cannot even be looked at (its folder is not readable) counts as a file, so
    it fails as that file with the reason, like any other file that cannot be read."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _folder_files(folder: Path) -> list[Path]:
    """The supported files below `folder`; an unreadable or useless folder is an error, not
    "Imported 0": rglob would pass over an unreadable folder in silence."""
    try:
        with os.scandir(folder):
            pass
    except OSError as error:
        raise UnreadableFileError(str(folder), f"cannot be read ({error.strerror})") from error
    files = sorted(p for p in folder.rglob("*") if _is_candidate(p, folder))
    if not files:
        supported = ", ".join(SUPPORTED_EXTENSIONS)
        raise InvalidInputError(f"no supported files found in {folder} (supported: {supported})")
    return files


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Folders become their supported files (recursive, sorted); files named explicitly stay,
    even unsupported ones, so the user learns why they were not imported. A folder that is
    unreadable or holds no supported file raises before anything is imported: it is almost
    always the wrong folder."""
    files: list[Path] = []
    for path in paths:
        if _is_folder(path):
            files.extend(_folder_files(path))
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def _existing_duplicate(connection: Connection, sha256: str) -> str | None:
    query = select(m.Document.name).where(m.Document.sha256 == sha256).order_by(m.Document.id)
    return connection.execute(query.limit(1)).scalar()


def _insert(work: UnitOfWork, table_name: str, columns: Sequence[str], rows: list[Row]) -> None:
    """Bulk insert recorded for undo: the ORM would cost more than the whole file's parsing."""
    table = m.Base.metadata.tables[table_name]
    connection = work.session.connection()
    insert_rows(connection, table, columns, rows)
    work.recorder.record_batch(table, columns, rows)


def _ids(work: UnitOfWork, table_name: str, count: int) -> list[int]:
    return reserve_ids(work.session.connection(), m.Base.metadata.tables[table_name], count)


def _speaker_rows(
    parsed: ParsedDocument, document_id: int, ids: Iterable[int]
) -> tuple[list[Row], dict[str, int]]:
    """One row per distinct label (two keys share one after pseudonymisation: one person)."""
    rows: list[Row] = []
    by_label: dict[str, int] = {}
    by_key: dict[str, int] = {}
    available = iter(ids)
    for speaker in parsed.speakers:
        label = " ".join(speaker.label.split())[:LABEL_LIMIT] or speaker.key[:LABEL_LIMIT]
        if label not in by_label:
            by_label[label] = next(available)
            name = " ".join((speaker.name or label).split())[:LABEL_LIMIT]
            rows.append((by_label[label], document_id, label, name, False))
        by_key[speaker.key] = by_label[label]
    return rows, by_key


def _store_parsed(work: UnitOfWork, parsed: ParsedDocument, name: str) -> ImportedDocument:
    """Document, speakers and turns in the caller's transaction; refuses known bytes."""
    connection = work.session.connection()
    existing = _existing_duplicate(connection, parsed.sha256)
    if existing is not None:
        raise _Duplicate(existing)
    [document_id] = _ids(work, "document", 1)
    unique = unique_document_name(connection, name)
    document = (
        document_id,
        new_guid(),
        unique,
        len(parsed.text),
        parsed.sha256,
        parsed.source_name[:SOURCE_NAME_LIMIT] or None,
        utc_now(),
        parsed.text,
    )
    _insert(work, "document", _DOCUMENT_COLUMNS, [document])
    speakers, speaker_of_key = _speaker_rows(
        parsed, document_id, _ids(work, "speaker", len(parsed.speakers))
    )
    _insert(work, "speaker", _SPEAKER_COLUMNS, speakers)
    turns = [
        (
            turn_id,
            document_id,
            None if turn.speaker is None else speaker_of_key[turn.speaker],
            turn.start,
            turn.text_start,
            turn.end,
            turn.timestamp_ms,
        )
        for turn_id, turn in zip(_ids(work, "turn", len(parsed.turns)), parsed.turns, strict=True)
    ]
    _insert(work, "turn", _TURN_COLUMNS, turns)
    return ImportedDocument(
        file=parsed.source_name,
        document_id=document_id,
        name=unique,
        words=count_words(parsed.text),
        turns=len(turns),
        speakers=len(speakers),
        notes=parsed.notes,
    )


def add_parsed_document(
    project: Project, parsed: ParsedDocument, name: str
) -> Changed[ImportedDocument]:
    """Store one parsed file as one undoable transaction (the building block of imports).

    Raises InvalidInputError when the same bytes are already in the project.
    """
    try:
        with change(project, f"Import {name}") as work:
            imported = _store_parsed(work, parsed, name)
    except _Duplicate as duplicate:
        raise UnreadableFileError(
            parsed.source_name, f"already imported as {duplicate.existing!r}"
        ) from None
    return Changed(imported, work.summary)


@dataclass
class _Batch:
    """The running state of one `import_files` call."""

    mapping: dict[str, str]
    propose: bool
    known: dict[str, str]
    imported: list[ImportedDocument]
    skipped: list[SkippedDuplicate]
    failed: list[FailedFile]
    key_grown: KeyGrown | None = None
    undo_entries: list[HistoryEntry] = field(default_factory=list)
    # The folder of the file that got each plain (pseudonymised) stem as its name.
    folder_of_stem: dict[str, Path] = field(default_factory=dict)

    def pseudonyms_for(self, parsed: ParsedDocument) -> dict[str, str]:
        """With `propose`, named speakers get "Person A", "Person B", ... across the batch,
        never a pseudonym that someone else already has. The key grows before the file is
        stored, so an interruption cannot leave a stored pseudonym without its key."""
        if self.propose:
            new = [s.label for s in parsed.speakers if s.label not in self.mapping]
            proposals = propose_pseudonyms(new, taken=set(self.mapping.values()))
            if proposals:
                self.mapping.update(proposals)
                if self.key_grown is not None:
                    self.key_grown(proposals)
        return self.mapping

    def document_name(self, path: Path, mapping: Mapping[str, str]) -> str:
        """The file's stem; a stem that another folder's file of this batch already got
        (every family folder holding "transkript.txt") is prefixed by its folder, so the
        family stays visible. Pseudonymised, because folders are named after families too."""
        stem = pseudonymised_string(path.stem, mapping)
        first = self.folder_of_stem.get(stem)
        if first is None or first == path.parent or not path.parent.name:
            return stem
        return pseudonymised_string(f"{path.parent.name} – {path.stem}", mapping)

    def summary(self, cancelled: bool) -> ImportSummary:
        """What the batch did so far: also the answer when a database failure stops it."""
        return ImportSummary(
            tuple(self.imported),
            tuple(self.skipped),
            tuple(self.failed),
            cancelled,
            dict(self.mapping),
        )

    def stored(self, path: Path, mapping: Mapping[str, str]) -> None:
        """Only an imported file claims its stem: a failed one must not push others aside."""
        self.folder_of_stem.setdefault(pseudonymised_string(path.stem, mapping), path.parent)


def _read(path: Path) -> tuple[bytes, str]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFileError(path.name, f"cannot be read ({error.strerror})") from error
    return data, hashlib.sha256(data).hexdigest()


def _import_one(project: Project, path: Path, batch: _Batch, speaker_pattern: str | None) -> str:
    """Import one file, recording the outcome in `batch`; returns a one-line status."""
    label = str(path)
    try:
        data, digest = _read(path)
        if digest in batch.known:
            batch.skipped.append(SkippedDuplicate(label, batch.known[digest]))
            return f"{label}: skipped, same file as {batch.known[digest]!r}"
        parsed = read_document(data, path.name, speaker_pattern)
        mapping = batch.pseudonyms_for(parsed)
        parsed = pseudonymise_parsed(parsed, mapping)
        with change(project, f"Import {path.name}", collect=batch.undo_entries) as work:
            imported = _store_parsed(work, parsed, batch.document_name(path, mapping))
    except _Duplicate as duplicate:
        batch.known[digest] = duplicate.existing
        batch.skipped.append(SkippedDuplicate(label, duplicate.existing))
        return f"{label}: skipped, same file as {duplicate.existing!r}"
    except UnreadableFileError as error:
        reason = one_line(error.reason)
    except QdaError as error:
        reason = one_line(str(error))
    except SQLAlchemyError:
        raise  # the project, not this file: every later file would fail the same way
    except Exception as error:  # a reader library's own bug must not stop the batch
        reason = one_line(f"cannot be read ({type(error).__name__}: {error})")
    else:
        imported = replace(imported, file=label)
        batch.stored(path, mapping)
        batch.imported.append(imported)
        batch.known[digest] = imported.name
        notes = "".join(f"; {note}" for note in imported.notes)
        return (
            f"{label}: imported as {imported.name!r} "
            f"({imported.words} words, {imported.turns} turns{notes})"
        )
    batch.failed.append(FailedFile(label, reason))
    return f"{label}: failed, {reason}"


def import_files(
    project: Project,
    paths: Sequence[Path],
    *,
    speaker_pattern: str | None = None,
    pseudonyms: Mapping[str, str] | None = None,
    propose_pseudonyms: bool = False,
    progress: Progress | None = None,
    is_cancelled: Cancelled | None = None,
    key_grown: KeyGrown | None = None,
) -> ImportSummary:
    """Import files and folders; each file whole or not at all, the batch one undo step.

    `progress(done, total, status)` is called after every file with a one-line status;
    `is_cancelled()` is asked before every file, so a cancel keeps the finished files.
    `key_grown(new_pairs)` receives proposed name -> pseudonym pairs before the first file
    using them is stored: a caller writing the key keeps it even if the batch is interrupted.
    """
    files = expand_paths(paths)
    with reading(project) as session:
        known = dict(session.execute(select(m.Document.sha256, m.Document.name)).all())
    batch = _Batch(dict(pseudonyms or {}), propose_pseudonyms, known, [], [], [], key_grown)
    cancelled = False
    try:
        for done, path in enumerate(files, start=1):
            if is_cancelled is not None and is_cancelled():
                cancelled = True
                break
            try:
                status = _import_one(project, path, batch, speaker_pattern)
            except SQLAlchemyError as error:
                raise _stopped(project, path, batch, error) from error
            if progress is not None:
                progress(done, len(files), status)
    finally:
        count = len(batch.imported)
        if count:
            project.history.push_group(
                f"Import {batch.imported[0].name}" if count == 1 else f"Import {count} documents",
                batch.undo_entries,
            )
    return batch.summary(cancelled)


def _stopped(
    project: Project, path: Path, batch: _Batch, error: SQLAlchemyError
) -> ImportStoppedError:
    """One message for the whole batch, saying what is kept."""
    kept = len(batch.imported)
    return ImportStoppedError(
        f"{database_error_line(error, project.location)} (import stopped at {path}; "
        + (f"the {kept} documents imported before it are kept)" if kept else "nothing imported)"),
        batch.summary(cancelled=False),
    )
