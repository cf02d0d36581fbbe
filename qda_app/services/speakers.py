"""Speakers of a document: the names shown before each turn, renamed or merged by the user.

Transcribers write the same person in different ways ("B:", "B1:", "Mutter:"); merging moves
the turns so suggestions and agreement see one speaker. Every change is undoable.
"""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qda_app.domain.changes import Changed
from qda_app.domain.errors import InvalidInputError, NotFoundError
from qda_app.domain.transcripts import SpeakerInfo
from qda_app.services.lookup import clean_name, get_row
from qda_app.services.project import Project, change, reading
from qda_app.store import models as m


def _speaker_infos(session: Session, document_id: int) -> list[SpeakerInfo]:
    turns = (
        select(m.Turn.speaker_id, func.count().label("n"))
        .where(m.Turn.document_id == document_id)
        .group_by(m.Turn.speaker_id)
        .subquery()
    )
    query = (
        select(m.Speaker, func.coalesce(turns.c.n, 0))
        .outerjoin(turns, turns.c.speaker_id == m.Speaker.id)
        .where(m.Speaker.document_id == document_id)
        .order_by(m.Speaker.id)
    )
    return [
        SpeakerInfo(row.id, row.document_id, row.label, row.name, row.is_interviewer, int(count))
        for row, count in session.execute(query)
    ]


def list_speakers(project: Project, document_id: int) -> list[SpeakerInfo]:
    """Speakers in order of first appearance (insertion order), with their turn counts."""
    with reading(project) as session:
        get_row(session, m.Document, document_id)
        return _speaker_infos(session, document_id)


def find_speaker(project: Project, document_id: int, label_or_name: str) -> SpeakerInfo:
    """The speaker a user typed: the label as transcribed, else the display name."""
    speakers = list_speakers(project, document_id)
    for attribute in ("label", "name"):
        found = [s for s in speakers if getattr(s, attribute) == label_or_name]
        if len(found) == 1:
            return found[0]
    raise NotFoundError(f"no single speaker {label_or_name!r} in this document")


def _info(session: Session, speaker: m.Speaker) -> SpeakerInfo:
    return next(s for s in _speaker_infos(session, speaker.document_id) if s.id == speaker.id)


def rename_speaker(project: Project, speaker_id: int, name: str) -> Changed[SpeakerInfo]:
    """Change the display name; the label stays as transcribed so the text still matches it."""
    name = clean_name(name, "speaker")
    with change(project, f"Rename speaker to {name}") as work:
        row = get_row(work.session, m.Speaker, speaker_id)
        row.name = name
        work.session.flush()
        info = _info(work.session, row)
    return Changed(info, work.summary)


def set_interviewer(
    project: Project, speaker_id: int, is_interviewer: bool = True
) -> Changed[SpeakerInfo]:
    """Interviewer turns are left out of suggestions and family quotes, so users mark them."""
    with change(project, "Mark interviewer" if is_interviewer else "Unmark interviewer") as work:
        row = get_row(work.session, m.Speaker, speaker_id)
        row.is_interviewer = is_interviewer
        work.session.flush()
        info = _info(work.session, row)
    return Changed(info, work.summary)


def merge_speakers_in_session(session: Session, source: m.Speaker, target: m.Speaker) -> None:
    """Move every turn of `source` to `target` and delete `source` (through the ORM, so the
    undo recorder sees each row); shared by the merge command and by pseudonymisation, where
    two names may become one pseudonym."""
    if source.id == target.id:
        raise InvalidInputError("a speaker cannot be merged into itself")
    if source.document_id != target.document_id:
        raise InvalidInputError("only speakers of the same document can be merged")
    turns = session.scalars(select(m.Turn).where(m.Turn.speaker_id == source.id)).all()
    for turn in turns:
        turn.speaker_id = target.id
    target.is_interviewer = target.is_interviewer or source.is_interviewer
    session.flush()
    session.expire(source, ["turns"])
    session.delete(source)
    session.flush()


def merge_speakers(project: Project, source_id: int, target_id: int) -> Changed[SpeakerInfo]:
    """Merge `source` into `target`: its turns move, it disappears, the target keeps its name."""
    with change(project, "Merge speakers") as work:
        source = get_row(work.session, m.Speaker, source_id)
        target = get_row(work.session, m.Speaker, target_id)
        work.description = f"Merge speaker {source.name} into {target.name}"
        merge_speakers_in_session(work.session, source, target)
        info = _info(work.session, target)
    return Changed(info, work.summary)
