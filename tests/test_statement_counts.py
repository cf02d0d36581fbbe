"""Deleting and restoring many rows costs a handful of statements, not one per row.

Counting statements (not timing them) keeps the N+1 patterns out on both back ends, where a
round trip to a team's PostgreSQL server would make each extra statement expensive.
"""

from contextlib import contextmanager

from sqlalchemy import event

from qda_app.services import codes, codings, documents
from qda_app.services.codings import NewCoding
from qda_app.services.project import undo
from tests.state import count, dump

CODINGS = 400


@contextmanager
def counted(project):
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(project.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(project.engine, "before_cursor_execute", note)


def _coded_document(project):
    text = "wort " * 2_000
    document = documents.add_document(project, "Gespräch", text).value
    parent = codes.add_code(project, "Bedarfe").value
    child = codes.add_code(project, "Wohnen", parent_id=parent.id).value
    rows = [
        NewCoding(document.id, child.id, project.coder_id, i * 5, i * 5 + 4) for i in range(CODINGS)
    ]
    codings.add_codings_bulk(project, rows)
    return document, parent


def test_deleting_a_coded_code_and_undoing_it_takes_few_statements(project):
    _document, parent = _coded_document(project)
    before = dump(project)
    with counted(project) as deleting:
        codes.delete_code(project, parent.id)
    assert count(project, "coding") == 0
    with counted(project) as undoing:
        undo(project)
    assert dump(project) == before
    assert len(deleting) < 40, len(deleting)
    assert len(undoing) < 40, len(undoing)


def test_deleting_a_coded_document_takes_few_statements(project):
    document, _parent = _coded_document(project)
    before = dump(project)
    with counted(project) as deleting:
        documents.delete_document(project, document.id)
    assert count(project, "coding") == 0 and count(project, "document") == 0
    undo(project)
    assert dump(project) == before
    assert len(deleting) < 40, len(deleting)
