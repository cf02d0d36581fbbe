"""A teammate coding on the shared PostgreSQL database while a document is pseudonymised.

The spans are read and rewritten in one transaction; a coding inserted in between would keep
offsets of the old text and cover the wrong words. The document row lock makes it wait.
"""

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import OperationalError

from qda_app.domain.clock import utc_now
from qda_app.domain.ids import new_guid
from qda_app.services import codes, pseudonymisation
from qda_app.services.codings import list_codings
from qda_app.services.documents import add_document, document_text
from qda_app.services.pseudonymisation import pseudonymise_document
from qda_app.store import models as m


def test_a_concurrent_coding_waits_for_the_pseudonymisation(project, backend, monkeypatch):
    if backend != "postgresql":
        pytest.skip("SQLite lets one writer at a time in; only PostgreSQL needs the row lock")
    document_id = add_document(project, "Gespräch", "B: Frau Müller hilft.").value.id
    code_id = codes.add_code(project, "Hilfe").value.id
    old_text = document_text(project, document_id)
    start = old_text.index("hilft")
    outcomes: list[str] = []
    move_spans = pseudonymisation._move_turns_and_suggestions

    def teammate_codes_meanwhile(session, document, offsets):
        with project.engine.connect() as other:
            other.execute(text("SET lock_timeout = '300ms'"))
            row = {
                "guid": new_guid(), "document_id": document_id, "code_id": code_id,
                "coder_id": project.coder_id, "start": start, "end": start + len("hilft"),
                "origin": "manual", "created_at": utc_now(),
            }  # fmt: skip
            try:
                other.execute(insert(m.Coding), row)
                other.commit()
                outcomes.append("inserted with old offsets")
            except OperationalError:
                other.rollback()
                outcomes.append("waited")
        move_spans(session, document, offsets)

    monkeypatch.setattr(pseudonymisation, "_move_turns_and_suggestions", teammate_codes_meanwhile)
    pseudonymise_document(project, document_id, {"Müller": "Schmidt-Hoffmann"})

    assert outcomes == ["waited"]
    new_text = document_text(project, document_id)
    assert all(new_text[c.start : c.end] == "hilft" for c in list_codings(project, document_id))
