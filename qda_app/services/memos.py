"""Memos: free text on the project, a document, a case, a code or a coding."""

from sqlalchemy import select

from qda_app.domain.changes import Changed
from qda_app.domain.clock import utc_now
from qda_app.domain.errors import InvalidInputError
from qda_app.domain.values import MemoInfo
from qda_app.services.lookup import get_row
from qda_app.services.project import Project, change, reading
from qda_app.services.snapshots import memo_info
from qda_app.store import models as m

_TARGETS = {
    "document_id": m.Document,
    "case_id": m.Case,
    "code_id": m.Code,
    "coding_id": m.Coding,
}


def add_memo(
    project: Project,
    text: str,
    title: str = "",
    *,
    document_id: int | None = None,
    case_id: int | None = None,
    code_id: int | None = None,
    coding_id: int | None = None,
) -> Changed[MemoInfo]:
    """A memo without a target belongs to the project; at most one target may be given."""
    targets = {
        "document_id": document_id,
        "case_id": case_id,
        "code_id": code_id,
        "coding_id": coding_id,
    }
    chosen = {key: value for key, value in targets.items() if value is not None}
    if len(chosen) > 1:
        raise InvalidInputError("a memo belongs to one thing: give at most one target")
    with change(project, "Add memo") as work:
        for key, value in chosen.items():
            get_row(work.session, _TARGETS[key], value)
        row = m.Memo(title=title.strip(), text=text, coder_id=project.coder_id, **chosen)
        work.session.add(row)
        work.session.flush()
    return Changed(memo_info(row), work.summary)


def edit_memo(
    project: Project, memo_id: int, *, text: str | None = None, title: str | None = None
) -> Changed[MemoInfo]:
    with change(project, "Edit memo") as work:
        row = get_row(work.session, m.Memo, memo_id)
        if text is not None:
            row.text = text
        if title is not None:
            row.title = title.strip()
        row.updated_at = utc_now()
    return Changed(memo_info(row), work.summary)


def delete_memo(project: Project, memo_id: int) -> Changed[MemoInfo]:
    with change(project, "Delete memo") as work:
        row = get_row(work.session, m.Memo, memo_id)
        info = memo_info(row)
        work.session.delete(row)
    return Changed(info, work.summary)


def list_memos(project: Project) -> list[MemoInfo]:
    with reading(project) as session:
        return [memo_info(row) for row in session.scalars(select(m.Memo).order_by(m.Memo.id))]
