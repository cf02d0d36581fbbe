"""Cases (families, groups), their documents, and typed attributes on cases and documents."""

import json
import math
import re
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from qda_app.domain.changes import Changed
from qda_app.domain.errors import InvalidInputError
from qda_app.domain.values import (
    AttributeInfo,
    AttributeScope,
    AttributeType,
    AttributeValue,
    CaseInfo,
)
from qda_app.services.lookup import clean_name, get_row
from qda_app.services.project import Project, change, reading
from qda_app.services.snapshots import attribute_info, case_info
from qda_app.store import models as m


def add_case(project: Project, name: str, description: str = "") -> Changed[CaseInfo]:
    name = clean_name(name, "case")
    with change(project, f"Add case {name}") as work:
        if work.session.scalar(select(m.Case.id).where(m.Case.name == name)) is not None:
            raise InvalidInputError(f"a case named {name!r} already exists")
        row = m.Case(name=name, description=description)
        work.session.add(row)
        work.session.flush()
    return Changed(case_info(row), work.summary)


def rename_case(project: Project, case_id: int, name: str) -> Changed[CaseInfo]:
    name = clean_name(name, "case")
    with change(project, f"Rename case to {name}") as work:
        row = get_row(work.session, m.Case, case_id)
        row.name = name
    return Changed(case_info(row), work.summary)


def delete_case(project: Project, case_id: int) -> Changed[CaseInfo]:
    """Delete a case with its attribute values; its documents stay in the project."""
    with change(project, "Delete case") as work:
        row = get_row(work.session, m.Case, case_id)
        info = case_info(row)
        work.session.delete(row)
    return Changed(info, work.summary)


def assign_document(project: Project, case_id: int, document_id: int) -> Changed[None]:
    with change(project, "Assign document to case") as work:
        get_row(work.session, m.Case, case_id)
        get_row(work.session, m.Document, document_id)
        if work.session.get(m.CaseDocument, (case_id, document_id)) is None:
            work.session.add(m.CaseDocument(case_id=case_id, document_id=document_id))
    return Changed(None, work.summary)


def unassign_document(project: Project, case_id: int, document_id: int) -> Changed[None]:
    with change(project, "Remove document from case") as work:
        link = work.session.get(m.CaseDocument, (case_id, document_id))
        if link is not None:
            work.session.delete(link)
    return Changed(None, work.summary)


def list_cases(project: Project) -> list[CaseInfo]:
    with reading(project) as session:
        return [case_info(row) for row in session.scalars(select(m.Case).order_by(m.Case.name))]


def case_documents(project: Project, case_id: int) -> list[int]:
    with reading(project) as session:
        query = select(m.CaseDocument.document_id).where(m.CaseDocument.case_id == case_id)
        return sorted(session.scalars(query))


def add_attribute(
    project: Project,
    name: str,
    scope: AttributeScope,
    type_: AttributeType,
    choices: Sequence[str] = (),
) -> Changed[AttributeInfo]:
    name = clean_name(name, "attribute")
    if type_ is not AttributeType.CATEGORY and choices:
        raise InvalidInputError("only a category attribute has a list of choices")
    with change(project, f"Add attribute {name}") as work:
        query = select(m.Attribute.id).where(
            m.Attribute.scope == scope.value, m.Attribute.name == name
        )
        if work.session.scalar(query) is not None:
            raise InvalidInputError(f"a {scope.value} attribute named {name!r} already exists")
        row = m.Attribute(
            name=name,
            scope=scope.value,
            type=type_.value,
            choices=json.dumps(list(choices), ensure_ascii=False),
        )
        work.session.add(row)
        work.session.flush()
    return Changed(attribute_info(row), work.summary)


def list_attributes(project: Project, scope: AttributeScope | None = None) -> list[AttributeInfo]:
    query = select(m.Attribute).order_by(m.Attribute.scope, m.Attribute.position, m.Attribute.id)
    if scope is not None:
        query = query.where(m.Attribute.scope == scope.value)
    with reading(project) as session:
        return [attribute_info(row) for row in session.scalars(query)]


_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def _parse_number(name: str, value: AttributeValue) -> float:
    """Numbers as people type them (German decimal comma too), but not Python's own spellings
    such as 'nan', 'inf' or '1_000', which no spreadsheet would read back."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value):
            return float(value)
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        return float(value.strip().replace(",", "."))
    raise InvalidInputError(f"{name}: {value!r} is not a number")


def _coerce(attribute: m.Attribute, value: AttributeValue) -> dict[str, object]:
    """Put the value into the slot of the attribute's type, refusing what does not fit."""
    slots: dict[str, object] = {"text_value": None, "number_value": None, "date_value": None}
    if value is None or value == "":
        return slots
    kind = AttributeType(attribute.type)
    if kind is AttributeType.NUMBER:
        slots["number_value"] = _parse_number(attribute.name, value)
    elif kind is AttributeType.DATE:
        if isinstance(value, date):
            slots["date_value"] = value
        else:
            try:
                slots["date_value"] = date.fromisoformat(str(value))
            except ValueError as error:
                raise InvalidInputError(
                    f"{attribute.name}: {value!r} is not a date (YYYY-MM-DD)"
                ) from error
    else:
        text = str(value).strip()
        choices = json.loads(attribute.choices)
        if kind is AttributeType.CATEGORY and choices and text not in choices:
            raise InvalidInputError(f"{attribute.name}: {text!r} is not one of {choices}")
        slots["text_value"] = text
    return slots


def write_attribute_value(
    session: Session, model: type[m.CaseValue] | type[m.DocumentValue], owner: dict[str, int],
    attribute: m.Attribute, value: AttributeValue,
) -> None:  # fmt: skip
    slots = _coerce(attribute, value)
    key = {**owner, "attribute_id": attribute.id}
    row = session.get(model, key)
    if all(slot is None for slot in slots.values()):
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(model(**key, **slots))
        return
    for slot, slot_value in slots.items():
        setattr(row, slot, slot_value)


def set_case_value(
    project: Project, case_id: int, attribute_id: int, value: AttributeValue
) -> Changed[None]:
    """Set (or with None, clear) a case attribute's value."""
    with change(project, "Set case attribute") as work:
        get_row(work.session, m.Case, case_id)
        attribute = get_row(work.session, m.Attribute, attribute_id)
        if attribute.scope != AttributeScope.CASE.value:
            raise InvalidInputError(f"{attribute.name} is not a case attribute")
        write_attribute_value(work.session, m.CaseValue, {"case_id": case_id}, attribute, value)
    return Changed(None, work.summary)


def set_document_value(
    project: Project, document_id: int, attribute_id: int, value: AttributeValue
) -> Changed[None]:
    with change(project, "Set document attribute") as work:
        get_row(work.session, m.Document, document_id)
        attribute = get_row(work.session, m.Attribute, attribute_id)
        if attribute.scope != AttributeScope.DOCUMENT.value:
            raise InvalidInputError(f"{attribute.name} is not a document attribute")
        write_attribute_value(
            work.session, m.DocumentValue, {"document_id": document_id}, attribute, value
        )
    return Changed(None, work.summary)


def _read_value(row: m.CaseValue | m.DocumentValue) -> AttributeValue:
    if row.number_value is not None:
        return row.number_value
    if row.date_value is not None:
        return row.date_value
    return row.text_value


def case_values(project: Project, case_id: int) -> dict[str, AttributeValue]:
    """A case's attribute values by attribute name."""
    with reading(project) as session:
        query = (
            select(m.Attribute.name, m.CaseValue)
            .join(m.CaseValue, m.CaseValue.attribute_id == m.Attribute.id)
            .where(m.CaseValue.case_id == case_id)
        )
        return {name: _read_value(row) for name, row in session.execute(query)}


def document_values(project: Project, document_id: int) -> dict[str, AttributeValue]:
    with reading(project) as session:
        query = (
            select(m.Attribute.name, m.DocumentValue)
            .join(m.DocumentValue, m.DocumentValue.attribute_id == m.Attribute.id)
            .where(m.DocumentValue.document_id == document_id)
        )
        return {name: _read_value(row) for name, row in session.execute(query)}
