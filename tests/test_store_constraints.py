"""Integrity rules the DATABASE enforces by itself: raw writes that bypass the services."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import DBAPIError

from qda_app.services.project import Project
from qda_app.store import models as m

NOW = datetime(2024, 3, 1, 9, 30)
TEXT = "Hallo 👋🏽 Welt"  # 13 code points, more UTF-16 units and UTF-8 bytes


@dataclass
class Base:
    project: Project
    document_id: int
    code_id: int
    coder_id: int


@pytest.fixture
def base(project: Project) -> Iterator[Base]:
    """A document, a code and the coder, inserted raw (no services)."""
    with project.engine.begin() as connection:
        document_id = connection.execute(
            insert(m.Document).returning(m.Document.id),
            _document(name="Interview", text=TEXT),
        ).scalar_one()
        code_id = connection.execute(
            insert(m.Code).returning(m.Code.id), _code(name="Wohnen")
        ).scalar_one()
    assert project.coder_id is not None
    yield Base(project, document_id, code_id, project.coder_id)


def _document(**values: Any) -> dict[str, Any]:
    row = {"guid": f"doc-{values['name']}", "sha256": "0" * 64, "imported_at": NOW}
    row["text_length"] = len(values["text"])
    return row | values


def _code(**values: Any) -> dict[str, Any]:
    row = {
        "guid": f"code-{values['name']}", "color": "#4e79a7", "description": "", "inclusion": "",
        "exclusion": "", "anchors": "[]", "keywords": "[]", "position": 0, "codable": True,
        "created_at": NOW,
    }  # fmt: skip
    return row | values


def _coding(base: Base, **values: Any) -> dict[str, Any]:
    row = {
        "guid": f"coding-{values.get('start')}-{values.get('end')}",
        "document_id": base.document_id, "code_id": base.code_id, "coder_id": base.coder_id,
        "origin": "manual", "created_at": NOW,
    }  # fmt: skip
    return row | values


def _goal(level: int) -> dict[str, Any]:
    return {
        "guid": f"goal-{level}", "title": "Ziel", "description": "", "level": level,
        "indicators": "", "responsible": "", "position": 0, "created_at": NOW,
    }  # fmt: skip


def _memo(**targets: int) -> dict[str, Any]:
    return {
        "guid": f"memo-{sorted(targets)}", "title": "", "text": "Notiz",
        "created_at": NOW, "updated_at": NOW,
    } | targets  # fmt: skip


def _refused(project: Project, statement: Any, rows: Any = None) -> str:
    """Run one raw statement; the database must refuse it. Returns the driver's message."""
    with pytest.raises(DBAPIError) as info, project.engine.begin() as connection:
        connection.execute(statement, rows) if rows is not None else connection.execute(statement)
    return str(info.value.orig)


def _accepted(project: Project, statement: Any, rows: Any = None) -> None:
    with project.engine.begin() as connection:
        connection.execute(statement, rows) if rows is not None else connection.execute(statement)


def _count(project: Project, model: type[m.Base]) -> int:
    with project.engine.connect() as connection:
        return len(connection.execute(select(model.__table__)).all())


def test_coding_past_document_end_refused_by_trigger(base):
    message = _refused(base.project, insert(m.Coding), _coding(base, start=5, end=len(TEXT) + 1))
    assert "coding outside its document" in message
    assert _count(base.project, m.Coding) == 0


def test_coding_up_to_document_end_accepted(base):
    """The trigger counts code points like Python: the last emoji-bearing span fits exactly."""
    _accepted(base.project, insert(m.Coding), _coding(base, start=6, end=len(TEXT)))
    assert _count(base.project, m.Coding) == 1


def test_coding_moved_past_document_end_refused_by_trigger(base):
    _accepted(base.project, insert(m.Coding), _coding(base, start=0, end=5))
    message = _refused(base.project, update(m.Coding).values(end=len(TEXT) + 1))
    assert "coding outside its document" in message
    with base.project.engine.connect() as connection:
        assert connection.execute(select(m.Coding.end)).scalar_one() == 5


@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 5), (-1, 3)])
def test_empty_reversed_or_negative_span_refused(base, start, end):
    _refused(base.project, insert(m.Coding), _coding(base, start=start, end=end))
    assert _count(base.project, m.Coding) == 0


def test_coding_with_missing_code_refused(base):
    _refused(base.project, insert(m.Coding), _coding(base, start=0, end=3, code_id=9999))
    assert _count(base.project, m.Coding) == 0


def test_coding_with_missing_document_refused(base):
    _refused(base.project, insert(m.Coding), _coding(base, start=0, end=3, document_id=9999))
    assert _count(base.project, m.Coding) == 0


def test_deleting_a_coded_document_refused_by_foreign_key(base):
    """Deletes never cascade in the database: the ORM deletes dependants so undo sees them."""
    _accepted(base.project, insert(m.Coding), _coding(base, start=0, end=3))
    _refused(base.project, delete(m.Document))
    assert _count(base.project, m.Document) == 1


def test_code_cannot_be_its_own_parent(base):
    statement = update(m.Code).where(m.Code.id == base.code_id).values(parent_id=base.code_id)
    _refused(base.project, statement)
    with base.project.engine.connect() as connection:
        assert connection.execute(select(m.Code.parent_id)).scalar_one() is None


def test_code_with_missing_parent_refused(base):
    _refused(base.project, insert(m.Code), _code(name="Kind", parent_id=9999))
    assert _count(base.project, m.Code) == 1


def test_memo_with_two_targets_refused(base):
    _refused(
        base.project, insert(m.Memo), _memo(document_id=base.document_id, code_id=base.code_id)
    )
    assert _count(base.project, m.Memo) == 0


def test_memo_with_one_or_no_target_accepted(base):
    _accepted(base.project, insert(m.Memo), _memo(code_id=base.code_id))
    _accepted(base.project, insert(m.Memo), _memo())
    assert _count(base.project, m.Memo) == 2


@pytest.mark.parametrize("level", [0, 8])
def test_goal_level_outside_ladder_refused(base, level):
    _refused(base.project, insert(m.Goal), _goal(level))
    assert _count(base.project, m.Goal) == 0


def test_goal_levels_1_to_7_accepted(base):
    for level in range(1, 8):
        _accepted(base.project, insert(m.Goal), _goal(level))
    assert _count(base.project, m.Goal) == 7


def test_document_text_length_mismatch_refused(base):
    row = _document(name="Falsch", text="Miete") | {"text_length": 6}
    _refused(base.project, insert(m.Document), row)
    assert _count(base.project, m.Document) == 1


def test_document_text_length_counts_code_points(base):
    """`length(text)` in both databases must agree with Python's len (emoji, combining marks)."""
    text = "q\u0307 👨‍👩‍👧 🇩🇪 ok"
    _accepted(base.project, insert(m.Document), _document(name="Emoji", text=text))
    utf16_units = len(text.encode("utf-16-le")) // 2
    _refused(
        base.project,
        insert(m.Document),
        _document(name="Emoji2", text=text) | {"text_length": utf16_units},
    )


def test_second_project_row_refused(base):
    row = {"id": 2, "guid": "other", "name": "Zweites", "language": "de", "created_at": NOW}
    _refused(base.project, insert(m.ProjectRow), row)


def test_unknown_language_refused(base):
    _refused(base.project, update(m.ProjectRow).values(language="fr"))


def test_unknown_coding_origin_refused(base):
    _refused(base.project, insert(m.Coding), _coding(base, start=0, end=3, origin="guess"))


def test_duplicate_coding_refused(base):
    _accepted(base.project, insert(m.Coding), _coding(base, start=0, end=3))
    _refused(base.project, insert(m.Coding), _coding(base, start=0, end=3) | {"guid": "other"})
    assert _count(base.project, m.Coding) == 1
