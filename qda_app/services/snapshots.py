"""Turn ORM rows into the detached value types of `qda_app.domain.values`."""

import json

from qda_app.domain.values import (
    AttributeInfo,
    AttributeScope,
    AttributeType,
    CaseInfo,
    CodeInfo,
    CoderInfo,
    CodingInfo,
    CodingOrigin,
    DocumentInfo,
    MemoInfo,
)
from qda_app.store import models as m


def coder_info(row: m.Coder) -> CoderInfo:
    return CoderInfo(row.id, row.guid, row.name)


def document_info(row: m.Document) -> DocumentInfo:
    return DocumentInfo(
        row.id, row.guid, row.name, row.text_length, row.sha256, row.source_name, row.imported_at
    )


def case_info(row: m.Case) -> CaseInfo:
    return CaseInfo(row.id, row.guid, row.name, row.description)


def attribute_info(row: m.Attribute) -> AttributeInfo:
    return AttributeInfo(
        row.id,
        row.guid,
        row.name,
        AttributeScope(row.scope),
        AttributeType(row.type),
        tuple(json.loads(row.choices)),
    )


def code_info(row: m.Code) -> CodeInfo:
    return CodeInfo(
        id=row.id,
        guid=row.guid,
        name=row.name,
        parent_id=row.parent_id,
        color=row.color,
        description=row.description,
        inclusion=row.inclusion,
        exclusion=row.exclusion,
        anchors=tuple(json.loads(row.anchors)),
        keywords=tuple(json.loads(row.keywords)),
        position=row.position,
        codable=row.codable,
    )


def coding_info(row: m.Coding) -> CodingInfo:
    return CodingInfo(
        row.id,
        row.guid,
        row.document_id,
        row.code_id,
        row.coder_id,
        row.start,
        row.end,
        CodingOrigin(row.origin),
        row.memo,
        row.created_at,
    )


def memo_info(row: m.Memo) -> MemoInfo:
    return MemoInfo(
        row.id,
        row.guid,
        row.title,
        row.text,
        row.coder_id,
        row.document_id,
        row.code_id,
        row.coding_id,
        row.case_id,
        row.updated_at,
    )
