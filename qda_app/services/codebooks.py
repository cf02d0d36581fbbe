"""A project's code tree as a codebook: export, import and team merges of codebook files.

The pure layer plans (`codebook_merge_plan`); this module only translates between stored codes
and `Codebook` trees and applies a plan's operations in their order, in one undoable transaction.
Importing into a project without codes is the same merge against an empty codebook: every code
and set is added with its GUID, so an export, an import into an empty project and a second export
give the same bytes. Sets ride along in the same transaction (see `code_sets`).
"""

import json
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qda_app import __version__
from qda_app.domain.codebook import Codebook, CodebookCode, CodeSet
from qda_app.domain.errors import InvalidInputError
from qda_app.formats.codebook_json import read_codebook_json, write_codebook_json
from qda_app.formats.refi_codebook import read_qdc, write_qdc
from qda_app.services.code_sets import (
    SetChange,
    apply_set_changes,
    plan_sets,
    resolved_code_guids,
    stored_sets,
)
from qda_app.services.code_tree_edits import place_codes
from qda_app.services.codebook_merge_plan import (
    AddCode,
    MergeOperation,
    MergePlan,
    MoveCode,
    Prefer,
    RenameCode,
    UpdateCode,
    describe_plan,
    plan_merge,
)
from qda_app.services.codes import check_unique_name, tree_order
from qda_app.services.lookup import clean_name, get_row
from qda_app.services.project import Project, change, reading
from qda_app.services.snapshots import code_info
from qda_app.store import models as m

ORIGIN = f"QDA App {__version__}"
JSON_SUFFIXES = (".json",)
REFI_SUFFIXES = (".qdc", ".qde", ".qdpx")
PREFER_CHOICES: tuple[Prefer, ...] = ("ask", "incoming", "current")
_MAX_FILE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class MergeReport:
    """What a merge did (or, for a dry run, would do): the plan and its printable lines.

    `sets` are the code sets created or given new members; the code plan knows nothing of sets.
    """

    plan: MergePlan
    lines: tuple[str, ...]
    applied: bool
    warnings: tuple[str, ...] = ()
    sets: tuple[SetChange, ...] = ()

    @property
    def conflicts(self) -> int:
        return len(self.plan.conflicts)


@dataclass(frozen=True)
class ImportReport:
    """The outcome of importing a codebook file; `merge` holds the plan that was applied."""

    path: str
    codes_in_file: int
    created: int
    merge: MergeReport
    warnings: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------- DB -> codebook


def _project_row(session: Session) -> m.ProjectRow:
    return get_row(session, m.ProjectRow, 1)


def _codebook_from_session(session: Session, name: str | None = None) -> Codebook:
    """The stored tree as a Codebook: tree order, GUIDs as stored, the project's language."""
    project_row = _project_row(session)
    infos = tree_order([code_info(row) for row in session.scalars(select(m.Code))])
    children: dict[int | None, list[int]] = {}
    by_id = {info.id: info for info in infos}
    for info in infos:
        children.setdefault(info.parent_id, []).append(info.id)

    def build(code_id: int) -> CodebookCode:
        info = by_id[code_id]
        return CodebookCode(
            guid=info.guid,
            name=info.name,
            color=info.color,
            description=info.description,
            inclusion=info.inclusion,
            exclusion=info.exclusion,
            anchors=info.anchors,
            keywords=info.keywords,
            codable=info.codable,
            children=tuple(build(child) for child in children.get(code_id, [])),
        )

    return Codebook(
        name=name or project_row.name,
        origin=ORIGIN,
        language=project_row.language,
        codes=tuple(build(code_id) for code_id in children.get(None, [])),
        sets=stored_sets(session),
    )


def project_codebook(project: Project, name: str | None = None) -> Codebook:
    """The project's codes and code sets as a codebook named after the project (or `name`)."""
    with reading(project) as session:
        return _codebook_from_session(session, name)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write next to the target and rename, so a crash never leaves half a codebook."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export_codebook(project: Project, path: str | Path, *, name: str | None = None) -> Codebook:
    """Write the code tree as REFI-QDA `.qdc` or codebook `.json` (chosen by the suffix).

    A .qdc has no slot for the codebook's name; criteria, anchors and keywords go into each
    code's Description under headings in the project's language, and come back on import.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".qdc", ".json"):
        raise InvalidInputError(f"{target.name}: export a codebook as .qdc or .json")
    codebook = project_codebook(project, name)
    if not codebook.codes:
        raise InvalidInputError("the project has no codes to export")
    data = write_qdc(codebook) if suffix == ".qdc" else write_codebook_json(codebook)
    _write_atomically(target, data)
    return codebook


# --------------------------------------------------------------------------- file -> codebook


def read_codebook_file(
    path: str | Path, *, split_names: bool | None = None
) -> tuple[Codebook, list[str]]:
    """Read a .qdc/.qde/.qdpx or codebook .json; names cleaned the way the project keeps them."""
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix not in JSON_SUFFIXES + REFI_SUFFIXES:
        raise InvalidInputError(f"{source.name}: a codebook is a .qdc, .qde, .qdpx or .json file")
    try:
        if source.stat().st_size > _MAX_FILE_BYTES:
            raise InvalidInputError(f"{source.name} is too large for a codebook")
        data = source.read_bytes()
    except OSError as error:
        raise InvalidInputError(f"cannot read {source}: {error.strerror}") from None
    warnings: list[str] = []
    if suffix in JSON_SUFFIXES:
        codebook = read_codebook_json(data)
    else:
        result = read_qdc(data, name=source.stem, split_names=split_names)
        codebook, warnings = result.codebook, list(result.warnings)
    return _clean_names(codebook, warnings), warnings


def _clean_names(codebook: Codebook, warnings: list[str]) -> Codebook:
    """Stored names have no line breaks or runs of blanks (see `clean_name`); say so if the
    file's names had them, because a later merge will match the cleaned spelling."""

    def clean(code: CodebookCode) -> CodebookCode:
        name = clean_name(code.name, "code")
        if name != code.name:
            warnings.append(f"code name {code.name!r} stored as {name!r}")
        return replace(code, name=name, children=tuple(clean(c) for c in code.children))

    def clean_set(code_set: CodeSet) -> CodeSet:
        name = clean_name(code_set.name, "code set")
        if name != code_set.name:
            warnings.append(f"set name {code_set.name!r} stored as {name!r}")
        return replace(code_set, name=name)

    return replace(
        codebook,
        codes=tuple(clean(code) for code in codebook.codes),
        sets=tuple(clean_set(code_set) for code_set in codebook.sets),
    )


# --------------------------------------------------------------------------- applying a plan


class _Applier:
    """Applies a plan's operations in order, resolving GUIDs to rows as earlier ones create."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows = {row.guid: row for row in session.scalars(select(m.Code))}

    def parent_id(self, guid: str | None) -> int | None:
        return None if guid is None else self.row(guid).id

    def row(self, guid: str) -> m.Code:
        if guid not in self.rows:
            raise InvalidInputError(f"the merge names code {guid}, which the project lacks")
        return self.rows[guid]

    def apply(self, op: MergeOperation) -> None:
        if isinstance(op, AddCode):
            self.add(op)
        elif isinstance(op, RenameCode):
            row = self.row(op.guid)
            check_unique_name(self.session, op.new_name, row.parent_id, except_id=row.id)
            row.name = op.new_name
        elif isinstance(op, MoveCode):
            place_codes(self.session, [self.row(op.guid)], self.parent_id(op.new_parent_guid), None)
        else:
            self.update(op)
        self.session.flush()

    def add(self, op: AddCode) -> None:
        code = op.code
        parent_id = self.parent_id(op.parent_guid)
        check_unique_name(self.session, code.name, parent_id)
        row = m.Code(
            guid=code.guid,
            name=code.name,
            parent_id=parent_id,
            color=code.color,
            description=code.description,
            inclusion=code.inclusion,
            exclusion=code.exclusion,
            anchors=json.dumps(list(code.anchors), ensure_ascii=False),
            keywords=json.dumps(list(code.keywords), ensure_ascii=False),
            codable=code.codable,
            position=0,
        )
        self.session.add(row)
        self.session.flush()
        self.rows[code.guid] = row
        place_codes(self.session, [row], parent_id, None)

    def update(self, op: UpdateCode) -> None:
        row = self.row(op.guid)
        for change_ in op.changes:
            value = change_.incoming
            if isinstance(value, tuple):
                value = json.dumps(list(value), ensure_ascii=False)
            setattr(row, change_.field, value)


def _report(
    plan: MergePlan, sets: tuple[SetChange, ...], applied: bool, warnings: list[str]
) -> MergeReport:
    lines = (*describe_plan(plan), *(set_change.describe() for set_change in sets))
    return MergeReport(plan, lines, applied, tuple(warnings), sets)


def _plan(
    session: Session, incoming: Codebook, prefer: Prefer
) -> tuple[MergePlan, tuple[SetChange, ...]]:
    """The code plan and the set changes, both against the state `session` sees.

    Sets are planned before any code operation runs: their members are translated through
    the code plan, not looked up in a half-applied tree.
    """
    current = _codebook_from_session(session)
    plan = plan_merge(current, incoming, prefer)
    return plan, plan_sets(current.sets, incoming.sets, resolved_code_guids(plan))


def _merge(
    project: Project,
    incoming: Codebook,
    prefer: Prefer,
    dry_run: bool,
    warnings: list[str],
    description: str,
) -> MergeReport:
    if prefer not in PREFER_CHOICES:
        raise InvalidInputError(f"prefer must be one of {', '.join(PREFER_CHOICES)}")
    if dry_run:
        with reading(project) as session:
            plan, sets = _plan(session, incoming, prefer)
        return _report(plan, sets, False, warnings)
    with change(project, description) as work:
        plan, sets = _plan(work.session, incoming, prefer)
        applier = _Applier(work.session)
        for op in plan.operations:
            applier.apply(op)
        apply_set_changes(work.session, sets)
    return _report(plan, sets, True, warnings)


def merge_codebook(
    project: Project,
    source: str | Path | Codebook,
    *,
    prefer: Prefer = "ask",
    dry_run: bool = False,
    split_names: bool | None = None,
) -> MergeReport:
    """Merge a codebook (file or tree) into the project's codes as one undoable step.

    Adds keep the incoming GUIDs; renames, moves and (with prefer="incoming") definition
    updates are applied; conflicts are reported and not applied. Sets are created or gain
    members, never lose any. A dry run plans against the same state and changes nothing.
    """
    warnings: list[str] = []
    if isinstance(source, Codebook):
        incoming = _clean_names(source, warnings)
    else:
        incoming, warnings = read_codebook_file(source, split_names=split_names)
    return _merge(project, incoming, prefer, dry_run, warnings, f"Merge codebook {incoming.name}")


def import_codebook(
    project: Project,
    path: str | Path,
    *,
    split_names: bool | None = None,
    prefer: Prefer = "ask",
) -> ImportReport:
    """Import a codebook file: into a project without codes every code is created with its
    GUID; otherwise the file is merged (see `merge_codebook`)."""
    incoming, warnings = read_codebook_file(path, split_names=split_names)
    with reading(project) as session:
        language = _project_row(session).language
    if incoming.language and incoming.language != language:
        warnings.append(
            f"the codebook is in {incoming.language!r}, the project in {language!r}; "
            f"exports will head the definitions in {language!r}"
        )
    report = _merge(
        project, incoming, prefer, False, warnings, f"Import codebook {Path(path).name}"
    )
    return ImportReport(
        path=str(path),
        codes_in_file=incoming.code_count,
        created=len(report.plan.added),
        merge=report,
        warnings=report.warnings,
    )
