"""Codings: a code applied to a span of a document by a coder."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qda_app.domain.changes import Changed
from qda_app.domain.clock import utc_now
from qda_app.domain.errors import InvalidInputError
from qda_app.domain.ids import new_guids
from qda_app.domain.sequences import batched
from qda_app.domain.values import CodingInfo, CodingOrigin, CodingRow
from qda_app.services.coders import current_coder_id
from qda_app.services.codes import code_paths, list_codes
from qda_app.services.lookup import get_row
from qda_app.services.project import Project, change, reading
from qda_app.services.snapshots import coding_info
from qda_app.store import models as m
from qda_app.store.bulk import insert_rows, reserve_ids


def _check_span(session: Session, document_id: int, start: int, end: int) -> None:
    """The database refuses bad spans too; this check gives the user a readable reason."""
    length = session.scalar(select(m.Document.text_length).where(m.Document.id == document_id))
    if length is None:
        raise InvalidInputError(f"no document with id {document_id}")
    if not 0 <= start < end <= length:
        raise InvalidInputError(
            f"span {start}-{end} is not inside the document (0-{length}) or is empty"
        )


def _check_codable(session: Session, code_id: int) -> m.Code:
    code = get_row(session, m.Code, code_id)
    if not code.codable:
        raise InvalidInputError(f"code {code.name!r} is a folder and cannot be applied")
    return code


def add_coding(
    project: Project,
    document_id: int,
    code_id: int,
    start: int,
    end: int,
    *,
    coder_id: int | None = None,
    origin: CodingOrigin = CodingOrigin.MANUAL,
    memo: str | None = None,
) -> Changed[CodingInfo]:
    coder = coder_id if coder_id is not None else current_coder_id(project)
    with change(project, "Add coding") as work:
        session = work.session
        code = _check_codable(session, code_id)
        work.description = f"Code with {code.name}"
        _check_span(session, document_id, start, end)
        row = m.Coding(
            document_id=document_id,
            code_id=code_id,
            coder_id=coder,
            start=start,
            end=end,
            origin=origin.value,
            memo=memo,
        )
        session.add(row)
        session.flush()
    return Changed(coding_info(row), work.summary)


def remove_coding(project: Project, coding_id: int) -> Changed[CodingInfo]:
    with change(project, "Remove coding") as work:
        row = get_row(work.session, m.Coding, coding_id)
        info = coding_info(row)
        work.session.delete(row)
    return Changed(info, work.summary)


def change_coding(
    project: Project,
    coding_id: int,
    *,
    start: int | None = None,
    end: int | None = None,
    code_id: int | None = None,
    memo: str | None = None,
) -> Changed[CodingInfo]:
    """Resize a coding, give it another code, or change its memo ('' clears the memo)."""
    with change(project, "Change coding") as work:
        session = work.session
        row = get_row(session, m.Coding, coding_id)
        new_start = row.start if start is None else start
        new_end = row.end if end is None else end
        _check_span(session, row.document_id, new_start, new_end)
        row.start, row.end = new_start, new_end
        if code_id is not None:
            _check_codable(session, code_id)
            row.code_id = code_id
        if memo is not None:
            row.memo = memo or None
    return Changed(coding_info(row), work.summary)


def list_codings(project: Project, document_id: int | None = None) -> list[CodingInfo]:
    """Codings sorted by document and start: the order the transcript view paints them in."""
    query = select(m.Coding).order_by(m.Coding.document_id, m.Coding.start, m.Coding.end)
    if document_id is not None:
        query = query.where(m.Coding.document_id == document_id)
    with reading(project) as session:
        return [coding_info(row) for row in session.scalars(query)]


def coding_rows(project: Project, document_id: int | None = None) -> list[CodingRow]:
    """One row per coding with names and the coded text, for `qda codings` and exports."""
    paths = code_paths(list_codes(project))
    query = (
        select(m.Coding.document_id, m.Coding.code_id, m.Coder.name, m.Coding.start, m.Coding.end)
        .join(m.Coder, m.Coder.id == m.Coding.coder_id)
        .order_by(m.Coding.document_id, m.Coding.start, m.Coding.end, m.Coding.id)
    )
    if document_id is not None:
        query = query.where(m.Coding.document_id == document_id)
    rows: list[CodingRow] = []
    with reading(project) as session:
        texts: dict[int, tuple[str, str]] = {}
        for doc_id, code_id, coder, start, end in session.execute(query):
            if doc_id not in texts:
                document = get_row(session, m.Document, doc_id)
                texts[doc_id] = (document.name, document.text)
                session.expunge(document)
            name, text = texts[doc_id]
            rows.append(CodingRow(name, paths[code_id], coder, start, end, text[start:end]))
    return rows


@dataclass(frozen=True)
class NewCoding:
    """One coding for `add_codings_bulk` (imports, autocoding, the benchmark generator)."""

    document_id: int
    code_id: int
    coder_id: int
    start: int
    end: int
    origin: CodingOrigin = CodingOrigin.IMPORT
    memo: str | None = None


BULK_BATCH = 20_000


# Looking the stored string up by member is several times cheaper than `.value` on 100,000 rows.
_ORIGIN_VALUES = {origin: origin.value for origin in CodingOrigin}
_BULK_COLUMNS = (
    "id", "guid", "document_id", "code_id", "coder_id", "start", "end", "origin", "memo",
    "created_at",
)  # fmt: skip


def add_codings_bulk(
    project: Project, codings: Iterable[NewCoding], description: str = "Add codings"
) -> Changed[int]:
    """Insert many codings in one transaction without ORM objects, still as one undo step.

    Spans are checked by the database trigger; a bad one rolls back the whole batch.
    """
    table = m.Base.metadata.tables["coding"]
    inserted = 0
    with change(project, description) as work:
        connection = work.session.connection()
        created = utc_now()
        for batch in batched(codings, BULK_BATCH):
            ids = reserve_ids(connection, table, len(batch))
            rows = [
                (
                    row_id,
                    guid,
                    c.document_id,
                    c.code_id,
                    c.coder_id,
                    c.start,
                    c.end,
                    _ORIGIN_VALUES[c.origin],
                    c.memo,
                    created,
                )
                for row_id, guid, c in zip(ids, new_guids(len(batch)), batch, strict=True)
            ]
            insert_rows(connection, table, _BULK_COLUMNS, rows)
            work.recorder.record_batch(table, _BULK_COLUMNS, rows)
            inserted += len(rows)
    return Changed(inserted, work.summary)
