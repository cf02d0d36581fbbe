"""The code tree: add, rename, recolour, describe, move and delete codes, all undoable."""

import json
import re
from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from qda_app.domain.changes import Changed
from qda_app.domain.errors import InvalidInputError
from qda_app.domain.values import CodeInfo
from qda_app.services.lookup import clean_name, get_row
from qda_app.services.project import Project, change, reading
from qda_app.services.snapshots import code_info
from qda_app.store import models as m

PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip
_COLOUR = re.compile(r"^#[0-9a-f]{6}$")


def check_colour(colour: str) -> str:
    colour = colour.strip().lower()
    if not _COLOUR.match(colour):
        raise InvalidInputError(f"colour must look like #1a2b3c, not {colour!r}")
    return colour


def _under(parent_id: int | None) -> ColumnElement[bool]:
    return m.Code.parent_id.is_(None) if parent_id is None else m.Code.parent_id == parent_id


def sibling_ids(session: Session, parent_id: int | None) -> list[int]:
    query = select(m.Code.id).where(_under(parent_id)).order_by(m.Code.position, m.Code.id)
    return list(session.scalars(query))


def check_unique_name(
    session: Session, name: str, parent_id: int | None, except_id: int | None = None
) -> None:
    """Sibling names must differ: paths identify codes in merges and exports.

    Compared with Python's casefold, since SQL lower() folds only ASCII ("Ärger" vs "ärger").
    No constraint can express that, so on PostgreSQL the project row is locked first: two team
    members adding the same name at once then take turns (SQLite writers take turns anyway).
    """
    session.execute(select(m.ProjectRow.id).where(m.ProjectRow.id == 1).with_for_update())
    query = select(m.Code.id, m.Code.name).where(_under(parent_id))
    wanted = name.casefold()
    for code_id, sibling in session.execute(query):
        if code_id != except_id and sibling.casefold() == wanted:
            raise InvalidInputError(
                f"a code named {name!r} already exists at that place in the tree"
            )


def ancestors(session: Session, code_id: int | None) -> list[int]:
    """Walk up the tree; the walk itself stops at a cycle so damaged data cannot hang us."""
    seen: list[int] = []
    while code_id is not None and code_id not in seen:
        seen.append(code_id)
        code_id = session.scalar(select(m.Code.parent_id).where(m.Code.id == code_id))
    return seen


def add_code(
    project: Project,
    name: str,
    parent_id: int | None = None,
    color: str | None = None,
    description: str = "",
    codable: bool = True,
) -> Changed[CodeInfo]:
    name = clean_name(name, "code")
    with change(project, f"Add code {name}") as work:
        session = work.session
        if parent_id is not None:
            get_row(session, m.Code, parent_id)
        check_unique_name(session, name, parent_id)
        siblings = sibling_ids(session, parent_id)
        count = session.scalar(select(func.count()).select_from(m.Code)) or 0
        row = m.Code(
            name=name,
            parent_id=parent_id,
            color=check_colour(color) if color else PALETTE[count % len(PALETTE)],
            description=description,
            codable=codable,
            position=len(siblings),
        )
        session.add(row)
        session.flush()
    return Changed(code_info(row), work.summary)


def rename_code(project: Project, code_id: int, name: str) -> Changed[CodeInfo]:
    name = clean_name(name, "code")
    with change(project, f"Rename code to {name}") as work:
        row = get_row(work.session, m.Code, code_id)
        check_unique_name(work.session, name, row.parent_id, except_id=code_id)
        row.name = name
    return Changed(code_info(row), work.summary)


def recolour_code(project: Project, code_id: int, color: str) -> Changed[CodeInfo]:
    color = check_colour(color)
    with change(project, "Recolour code") as work:
        row = get_row(work.session, m.Code, code_id)
        row.color = color
    return Changed(code_info(row), work.summary)


def describe_code(
    project: Project,
    code_id: int,
    *,
    description: str | None = None,
    inclusion: str | None = None,
    exclusion: str | None = None,
    anchors: Sequence[str] | None = None,
    keywords: Sequence[str] | None = None,
    codable: bool | None = None,
) -> Changed[CodeInfo]:
    """Change the definition fields given; the others stay as they are."""
    with change(project, "Describe code") as work:
        row = get_row(work.session, m.Code, code_id)
        work.description = f"Describe code {row.name}"
        if description is not None:
            row.description = description
        if inclusion is not None:
            row.inclusion = inclusion
        if exclusion is not None:
            row.exclusion = exclusion
        if anchors is not None:
            row.anchors = json.dumps([a for a in anchors if a.strip()], ensure_ascii=False)
        if keywords is not None:
            row.keywords = json.dumps([k for k in keywords if k.strip()], ensure_ascii=False)
        if codable is not None:
            row.codable = codable
    return Changed(code_info(row), work.summary)


def move_code(
    project: Project, code_id: int, parent_id: int | None, position: int | None = None
) -> Changed[CodeInfo]:
    """Move a code (with its subtree) under a new parent at a position; refuses cycles."""
    with change(project, "Move code") as work:
        session = work.session
        row = get_row(session, m.Code, code_id)
        work.description = f"Move code {row.name}"
        if parent_id is not None:
            get_row(session, m.Code, parent_id)
            if code_id in ancestors(session, parent_id):
                raise InvalidInputError("a code cannot move under itself or its own subcodes")
        check_unique_name(session, row.name, parent_id, except_id=code_id)
        old_parent = row.parent_id
        old_siblings = [i for i in sibling_ids(session, old_parent) if i != code_id]
        new_siblings = (
            list(old_siblings) if parent_id == old_parent else sibling_ids(session, parent_id)
        )
        index = len(new_siblings) if position is None else max(0, min(position, len(new_siblings)))
        new_siblings.insert(index, code_id)
        row.parent_id = parent_id
        renumber(session, new_siblings)
        if parent_id != old_parent:
            renumber(session, old_siblings)
    return Changed(code_info(row), work.summary)


def renumber(session: Session, ordered_ids: list[int]) -> None:
    for position, sibling_id in enumerate(ordered_ids):
        sibling = session.get(m.Code, sibling_id)
        if sibling is not None and sibling.position != position:
            sibling.position = position


def subtree_ids(session: Session, code_id: int) -> list[int]:
    """The code and all codes below it, breadth first."""
    found = [code_id]
    frontier = [code_id]
    while frontier:
        frontier = list(session.scalars(select(m.Code.id).where(m.Code.parent_id.in_(frontier))))
        found.extend(frontier)
    return found


def delete_code_in(session: Session, code_id: int) -> CodeInfo:
    """Delete a code with its subtree inside the caller's transaction.

    Everything the cascade will remove is loaded first with a few IN queries; left to lazy
    loading, deleting a code with 5,000 codings took one query per coding (for its memos).
    """
    ids = subtree_ids(session, code_id)
    # Kept in a variable: the session holds objects weakly, and the loaded collections must
    # still be there when the cascade runs.
    loaded = session.scalars(
        select(m.Code)
        .where(m.Code.id.in_(ids))
        .options(
            selectinload(m.Code.children),
            selectinload(m.Code.codings).selectinload(m.Coding.memos),
            selectinload(m.Code.suggestions),
            selectinload(m.Code.memos),
            selectinload(m.Code.goal_links),
            selectinload(m.Code.set_links),
        )
    ).all()
    row = get_row(session, m.Code, code_id)
    info = code_info(row)
    siblings = [i for i in sibling_ids(session, row.parent_id) if i != code_id]
    session.delete(row)
    session.flush()
    del loaded
    renumber(session, siblings)
    return info


def delete_code(project: Project, code_id: int) -> Changed[CodeInfo]:
    """Delete a code, its subcodes and their codings; the caller asks the user first."""
    with change(project, "Delete code") as work:
        info = delete_code_in(work.session, code_id)
        work.description = f"Delete code {info.name}"
    return Changed(info, work.summary)


def list_codes(project: Project) -> list[CodeInfo]:
    """All codes in tree order (parents before children, siblings by position)."""
    with reading(project) as session:
        rows = [code_info(row) for row in session.scalars(select(m.Code))]
    return tree_order(rows)


def tree_order(codes: Sequence[CodeInfo]) -> list[CodeInfo]:
    children: dict[int | None, list[CodeInfo]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    ordered: list[CodeInfo] = []
    stack = sorted(children.get(None, []), key=lambda c: (c.position, c.name), reverse=True)
    while stack:
        code = stack.pop()
        ordered.append(code)
        stack.extend(
            sorted(children.get(code.id, []), key=lambda c: (c.position, c.name), reverse=True)
        )
    return ordered


def code_paths(codes: Sequence[CodeInfo], separator: str = "/") -> dict[int, str]:
    """Each code's path of names from the root, for listings and exports."""
    by_id = {code.id: code for code in codes}
    paths: dict[int, str] = {}

    def path(code_id: int) -> str:
        if code_id not in paths:
            code = by_id[code_id]
            paths[code_id] = (
                code.name
                if code.parent_id is None
                else path(code.parent_id) + separator + code.name
            )
        return paths[code_id]

    for code_id in by_id:
        path(code_id)
    return paths
