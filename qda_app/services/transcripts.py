"""Looking into imported transcripts: overviews for `qda docs`, turns for `qda show`."""

from sqlalchemy import func, select

from qda_app.domain.transcripts import DocumentOverview, TurnView
from qda_app.formats.transcript import paragraph_turns
from qda_app.services.lookup import get_row
from qda_app.services.project import Project, reading
from qda_app.store import models as m


def count_words(text: str) -> int:
    """Whitespace-separated tokens: what word processors count, and what users compare with."""
    return len(text.split())


def document_overviews(project: Project) -> list[DocumentOverview]:
    """Every document with word, turn and speaker counts, in name order, in one read."""
    with reading(project) as session:
        turn_counts = dict(
            session.execute(
                select(m.Turn.document_id, func.count()).group_by(m.Turn.document_id)
            ).all()
        )
        speakers: dict[int, list[str]] = {}
        query = select(m.Speaker.document_id, m.Speaker.name).order_by(m.Speaker.id)
        for document_id, name in session.execute(query):
            speakers.setdefault(document_id, []).append(name)
        documents = session.execute(
            select(
                m.Document.id,
                m.Document.name,
                m.Document.source_name,
                m.Document.text_length,
                m.Document.text,
            ).order_by(m.Document.name)
        )
        return [
            DocumentOverview(
                id=row.id,
                name=row.name,
                source_name=row.source_name,
                length=row.text_length,
                words=count_words(row.text),
                turns=int(turn_counts.get(row.id, 0)),
                speakers=tuple(speakers.get(row.id, ())),
            )
            for row in documents
        ]


def document_turns(project: Project, document_id: int) -> list[TurnView]:
    """The turns of a document in text order; a document without stored turns (added as
    plain text) is shown by paragraphs so `qda show` always has something to print."""
    with reading(project) as session:
        document = get_row(session, m.Document, document_id)
        text = document.text
        query = (
            select(m.Turn, m.Speaker.name)
            .outerjoin(m.Speaker, m.Speaker.id == m.Turn.speaker_id)
            .where(m.Turn.document_id == document_id)
            .order_by(m.Turn.start, m.Turn.id)
        )
        views = [
            TurnView(
                turn.start,
                turn.end,
                turn.text_start,
                name,
                turn.timestamp_ms,
                text[turn.text_start : turn.end],
            )
            for turn, name in session.execute(query)
        ]
    if views:
        return views
    return [
        TurnView(t.start, t.end, t.text_start, None, t.timestamp_ms, text[t.text_start : t.end])
        for t in paragraph_turns(text)
    ]
