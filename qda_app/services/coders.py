"""Coders: every coding and memo records who made it, which agreement checks rely on."""

from sqlalchemy import select

from qda_app.domain.changes import Changed
from qda_app.domain.errors import InvalidInputError
from qda_app.domain.values import CoderInfo
from qda_app.services.lookup import clean_name, get_row
from qda_app.services.project import Project, change, reading
from qda_app.services.snapshots import coder_info
from qda_app.store import models as m


def add_coder(project: Project, name: str, *, undoable: bool = True) -> Changed[CoderInfo]:
    """Add a coder; `undoable=False` keeps it out of the history (see `use_coder`)."""
    name = clean_name(name, "coder")
    with change(project, f"Add coder {name}", collect=None if undoable else []) as work:
        if work.session.scalar(select(m.Coder).where(m.Coder.name == name)) is not None:
            raise InvalidInputError(f"a coder named {name!r} already exists")
        row = m.Coder(name=name)
        work.session.add(row)
        work.session.flush()
    return Changed(coder_info(row), work.summary)


def rename_coder(project: Project, coder_id: int, name: str) -> Changed[CoderInfo]:
    name = clean_name(name, "coder")
    with change(project, f"Rename coder to {name}") as work:
        row = get_row(work.session, m.Coder, coder_id)
        row.name = name
    return Changed(coder_info(row), work.summary)


def list_coders(project: Project) -> list[CoderInfo]:
    with reading(project) as session:
        return [coder_info(row) for row in session.scalars(select(m.Coder).order_by(m.Coder.name))]


def find_coder(project: Project, name: str) -> CoderInfo | None:
    with reading(project) as session:
        row = session.scalar(select(m.Coder).where(m.Coder.name == clean_name(name, "coder")))
        return None if row is None else coder_info(row)


def use_coder(project: Project, name: str) -> CoderInfo:
    """Make `name` the coder of this session's codings, creating the coder on first use.

    Choosing who codes is no edit of the project: Undo stepping back past it would delete
    the coder this session still codes as, and the next coding would fail.
    """
    coder = find_coder(project, name) or add_coder(project, name, undoable=False).value
    project.coder_id = coder.id
    return coder


def current_coder_id(project: Project) -> int:
    if project.coder_id is None:
        raise InvalidInputError("no coder chosen; set one first (e.g. `--coder NAME`)")
    return project.coder_id
