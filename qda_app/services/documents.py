"""Documents: the transcripts that codings point into."""

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qda_app.domain.changes import Changed
from qda_app.domain.errors import InvalidInputError, NotFoundError
from qda_app.domain.values import DocumentInfo
from qda_app.formats.text_normalise import normalise_text
from qda_app.services.lookup import clean_name, get_row
from qda_app.services.project import Project, change, reading
from qda_app.services.snapshots import document_info
from qda_app.store import models as m


def _check_free_name(session: Session, name: str, except_id: int | None = None) -> None:
    query = select(m.Document.id).where(m.Document.name == name)
    if except_id is not None:
        query = query.where(m.Document.id != except_id)
    if session.scalar(query) is not None:
        raise InvalidInputError(f"a document named {name!r} already exists")


def add_document(
    project: Project,
    name: str,
    text: str,
    source_name: str | None = None,
    sha256: str | None = None,
) -> Changed[DocumentInfo]:
    """Add a document from text; `sha256` is that of the original file when there was one."""
    name = clean_name(name, "document")
    text = normalise_text(text)
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    with change(project, f"Add document {name}") as work:
        _check_free_name(work.session, name)
        row = m.Document(
            name=name, text=text, text_length=len(text), sha256=digest, source_name=source_name
        )
        work.session.add(row)
        work.session.flush()
    return Changed(document_info(row), work.summary)


def rename_document(project: Project, document_id: int, name: str) -> Changed[DocumentInfo]:
    name = clean_name(name, "document")
    with change(project, f"Rename document to {name}") as work:
        row = get_row(work.session, m.Document, document_id)
        _check_free_name(work.session, name, except_id=document_id)
        row.name = name
    return Changed(document_info(row), work.summary)


def delete_document(project: Project, document_id: int) -> Changed[DocumentInfo]:
    """Delete a document with its turns, codings and memos (undo brings all of them back)."""
    with change(project, "Delete document") as work:
        # Load what the cascade removes in a few queries, not one per coding (its memos).
        row = work.session.scalar(
            select(m.Document)
            .where(m.Document.id == document_id)
            .options(
                selectinload(m.Document.codings).selectinload(m.Coding.memos),
                selectinload(m.Document.turns),
                selectinload(m.Document.speakers).selectinload(m.Speaker.turns),
                selectinload(m.Document.suggestions),
                selectinload(m.Document.memos),
                selectinload(m.Document.values),
                selectinload(m.Document.case_links),
            )
        )
        if row is None:
            raise NotFoundError(f"no document with id {document_id}")
        info = document_info(row)
        work.description = f"Delete document {row.name}"
        work.session.delete(row)
    return Changed(info, work.summary)


def list_documents(project: Project) -> list[DocumentInfo]:
    with reading(project) as session:
        rows = session.execute(
            select(
                m.Document.id,
                m.Document.guid,
                m.Document.name,
                m.Document.text_length,
                m.Document.sha256,
                m.Document.source_name,
                m.Document.imported_at,
            ).order_by(m.Document.name)
        )
        return [DocumentInfo(*row) for row in rows]


def document_text(project: Project, document_id: int) -> str:
    with reading(project) as session:
        return get_row(session, m.Document, document_id).text


def find_document(project: Project, name: str) -> DocumentInfo | None:
    with reading(project) as session:
        row = session.scalar(select(m.Document).where(m.Document.name == name))
        return None if row is None else document_info(row)
