"""Case tables: one spreadsheet row per family gives cases, typed attributes and document links.

Planners keep family data (district, household type, children) in Excel; importing it makes
breakdowns by attribute possible. The whole table is one transaction and one undo step, so a
wrong value in row 40 does not leave 39 cases behind.
"""

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path, PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from qda_app.domain.changes import Changed
from qda_app.domain.errors import InvalidInputError
from qda_app.domain.import_summary import CaseImportSummary
from qda_app.domain.parsed import CaseColumn, CaseRow, CaseTable
from qda_app.domain.values import AttributeScope, AttributeType, AttributeValue
from qda_app.formats.case_table import read_case_table
from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.readers import SUPPORTED_EXTENSIONS
from qda_app.services.cases import write_attribute_value
from qda_app.services.lookup import clean_name
from qda_app.services.project import Project, change
from qda_app.services.pseudonymisation import pseudonymised_string
from qda_app.store import models as m

# Text and category columns hold the same kind of value; which one the reader infers depends
# on how many distinct values a table happens to have, so they are compatible with each other.
_STRING_TYPES = frozenset({AttributeType.TEXT, AttributeType.CATEGORY})


def _key_text(value: AttributeValue) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def rekeyed(table: CaseTable, key_column: str) -> CaseTable:
    """The same table keyed by another column; the old key column becomes a text attribute."""
    if key_column == table.key_column:
        return table
    if key_column not in {column.name for column in table.columns}:
        names = ", ".join([table.key_column, *(c.name for c in table.columns)])
        raise InvalidInputError(f"the case table has no column {key_column!r} (columns: {names})")
    rows: list[CaseRow] = []
    seen: set[str] = set()
    for row in table.rows:
        key = _key_text(row.values.get(key_column))
        if not key:
            raise InvalidInputError(f"the case {row.key!r} has no value in {key_column!r}")
        if key in seen:
            raise InvalidInputError(f"the key {key!r} appears twice in {key_column!r}")
        seen.add(key)
        values = {name: v for name, v in row.values.items() if name != key_column}
        rows.append(CaseRow(key, {table.key_column: row.key, **values}))
    columns = (
        CaseColumn(table.key_column, AttributeType.TEXT),
        *(c for c in table.columns if c.name != key_column),
    )
    return replace(table, key_column=key_column, columns=columns, rows=tuple(rows))


def _attribute_for(session: Session, column: CaseColumn, created: list[str]) -> m.Attribute:
    """Reuse the case attribute of that name (string types widen categories), else create it."""
    row = session.scalar(
        select(m.Attribute).where(
            m.Attribute.scope == AttributeScope.CASE.value, m.Attribute.name == column.name
        )
    )
    if row is None:
        row = m.Attribute(
            name=clean_name(column.name, "attribute"),
            scope=AttributeScope.CASE.value,
            type=column.type.value,
            choices=json.dumps(list(column.choices), ensure_ascii=False),
        )
        session.add(row)
        session.flush()
        created.append(row.name)
        return row
    existing = AttributeType(row.type)
    if existing is not column.type and not {existing, column.type} <= _STRING_TYPES:
        raise InvalidInputError(
            f"the column {column.name!r} holds {column.type.value} values, but the project's "
            f"case attribute {column.name!r} is of type {existing.value}; rename the column"
        )
    return row


def _widen_choices(attribute: m.Attribute, values: list[AttributeValue]) -> None:
    """A category attribute learns the new values of the table instead of refusing them."""
    if attribute.type != AttributeType.CATEGORY.value:
        return
    choices = json.loads(attribute.choices)
    if not choices:
        return
    new = [str(v).strip() for v in values if v not in (None, "") and str(v).strip() not in choices]
    if new:
        attribute.choices = json.dumps(choices + list(dict.fromkeys(new)), ensure_ascii=False)


def _normal(value: str) -> str:
    return " ".join(value.split()).casefold()


def _key_forms(key: str) -> set[str]:
    forms = {_normal(key)}
    if PurePath(key).suffix.lower() in SUPPORTED_EXTENSIONS:
        forms.add(_normal(PurePath(key).stem))
    return forms


def _documents_by_form(session: Session) -> tuple[dict[str, set[int]], dict[int, str]]:
    """Each document under its name, its source file name and that name without extension."""
    forms: dict[str, set[int]] = {}
    names: dict[int, str] = {}
    query = select(m.Document.id, m.Document.name, m.Document.source_name)
    for document_id, name, source in session.execute(query):
        names[document_id] = name
        for form in (name, source, source and PurePath(source).stem):
            if form:
                forms.setdefault(_normal(form), set()).add(document_id)
    return forms, names


def apply_case_table(session: Session, table: CaseTable) -> CaseImportSummary:
    """Write a case table in the caller's transaction (used by the import command too)."""
    created_attributes: list[str] = []
    attributes = {c.name: _attribute_for(session, c, created_attributes) for c in table.columns}
    for name, attribute in attributes.items():
        _widen_choices(attribute, [row.values.get(name) for row in table.rows])
    forms, document_names = _documents_by_form(session)
    created: list[str] = []
    updated: list[str] = []
    links: list[tuple[str, str]] = []
    unmatched: list[str] = []
    linked_documents: set[int] = set()
    for row in table.rows:
        name = clean_name(row.key, "case")
        case = session.scalar(select(m.Case).where(m.Case.name == name))
        if case is None:
            case = m.Case(name=name, description="")
            session.add(case)
            session.flush()
            created.append(name)
        else:
            updated.append(name)
        for column, attribute in attributes.items():
            write_attribute_value(
                session, m.CaseValue, {"case_id": case.id}, attribute, row.values[column]
            )
        matches = sorted(set().union(*(forms.get(form, set()) for form in _key_forms(row.key))))
        if not matches:
            unmatched.append(row.key)
        for document_id in matches:
            if session.get(m.CaseDocument, (case.id, document_id)) is None:
                session.add(m.CaseDocument(case_id=case.id, document_id=document_id))
            links.append((name, document_names[document_id]))
            linked_documents.add(document_id)
        session.flush()
    return CaseImportSummary(
        cases_created=tuple(created),
        cases_updated=tuple(updated),
        attributes_created=tuple(created_attributes),
        links=tuple(links),
        unmatched_keys=tuple(unmatched),
        unmatched_documents=tuple(
            sorted(n for i, n in document_names.items() if i not in linked_documents)
        ),
    )


def pseudonymised_table(table: CaseTable, mapping: Mapping[str, str]) -> CaseTable:
    """The table as it would read with pseudonyms: keys, text values and category choices.

    Planners key case tables by family name or by transcript file name; with the documents
    pseudonymised at import, only pseudonymised keys find them again, and the real names
    must not reach the project through the case table either.
    """
    if not mapping:
        return table

    def hidden(value: AttributeValue) -> AttributeValue:
        return pseudonymised_string(value, mapping) if isinstance(value, str) else value

    rows = tuple(
        CaseRow(
            pseudonymised_string(row.key, mapping), {n: hidden(v) for n, v in row.values.items()}
        )
        for row in table.rows
    )
    seen: dict[str, str] = {}
    for old, new in zip(table.rows, rows, strict=True):
        if seen.setdefault(new.key, old.key) != old.key:
            raise InvalidInputError(
                f"two cases become {new.key!r} after pseudonymisation; "
                "give them distinct pseudonyms"
            )
    columns = tuple(
        replace(
            c, choices=tuple(dict.fromkeys(pseudonymised_string(x, mapping) for x in c.choices))
        )
        for c in table.columns
    )
    return replace(
        table,
        columns=columns,
        rows=rows,
        source_name=pseudonymised_string(table.source_name, mapping),
    )


def read_case_file(path: Path, key_column: str | None = None) -> CaseTable:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFileError(path.name, f"cannot be read ({error.strerror})") from error
    table = read_case_table(data, path.name)
    return table if key_column is None else rekeyed(table, key_column)


def import_case_table(
    project: Project,
    path: Path,
    *,
    key_column: str | None = None,
    pseudonyms: Mapping[str, str] | None = None,
) -> Changed[CaseImportSummary]:
    """Create or update the cases of a table, set their typed attributes, link documents by
    name or file name; all or nothing, one undo step.

    `pseudonyms` (the key the documents were imported with) is applied to case keys and text
    values before anything is stored or matched.
    """
    table = pseudonymised_table(read_case_file(path, key_column), pseudonyms or {})
    with change(project, f"Import cases from {table.source_name}") as work:
        summary = apply_case_table(work.session, table)
    return Changed(summary, work.summary)
