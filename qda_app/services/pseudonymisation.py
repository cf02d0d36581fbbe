"""Pseudonymising transcripts, at import or after coding, without losing a single coded word.

The name -> pseudonym key is never stored in the project (a project file is shared with a
team or a planner); `write_key_file` writes it only where the user chooses.
"""

import csv
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qda_app.domain.changes import Changed
from qda_app.domain.errors import InvalidInputError
from qda_app.domain.parsed import ParsedDocument
from qda_app.formats.pseudonymise import OffsetMap, pseudonymise
from qda_app.services.lookup import get_row
from qda_app.services.project import Project, change
from qda_app.services.speakers import merge_speakers_in_session
from qda_app.store import models as m


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


def write_key_file(path: Path, mapping: Mapping[str, str], *, overwrite: bool = False) -> Path:
    """Write `name,pseudonym` rows (UTF-8 with BOM so a German Excel opens it correctly).

    An existing file is kept unless `overwrite`: it may be the only key to earlier imports.
    """
    if path.exists() and not overwrite:
        raise InvalidInputError(f"{path} exists; choose another file for the pseudonym key")
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(["name", "pseudonym"])
            writer.writerows(sorted(mapping.items(), key=lambda item: item[0].casefold()))
    except OSError as error:
        raise InvalidInputError(f"cannot write the key file {path}: {error.strerror}") from error
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


def pseudonymise_in_session(
    session: Session, document: m.Document, mapping: Mapping[str, str]
) -> PseudonymisationResult:
    """Replace names in one document and move every span, in the caller's transaction.

    The coding trigger checks `end <= text_length` on every coding update: when the text
    grows the document is updated first, when it shrinks the spans are; undo reverses the
    order, so the check holds in every intermediate state both ways.
    """
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
    if document.source_name:
        document.source_name = pseudonymised_string(document.source_name, mapping)
    new_name = pseudonymised_string(document.name, mapping)
    if new_name != document.name:
        taken = session.scalar(select(m.Document.id).where(m.Document.name == new_name))
        if taken is None:
            document.name = new_name
    session.flush()
    return PseudonymisationResult(
        document.id, document.name, len(offsets.replacements), moved, merged
    )


def pseudonymise_documents(
    project: Project, document_ids: list[int], mapping: Mapping[str, str]
) -> Changed[list[PseudonymisationResult]]:
    """Pseudonymise documents (codings, turns, suggestions follow) as one undoable step."""
    if not mapping:
        raise InvalidInputError("the pseudonym list is empty")
    outcomes = []
    with change(project, f"Pseudonymise {len(document_ids)} documents") as work:
        for document_id in document_ids:
            document = get_row(work.session, m.Document, document_id)
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
