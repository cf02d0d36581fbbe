"""Reserving ids for bulk inserts on both back ends."""

from qda_app.store.bulk import reserve_ids
from qda_app.store.models import Base


def test_reserved_ids_are_fresh_also_for_a_table_with_a_reserved_name(project):
    from qda_app.services.cases import add_case

    existing = add_case(project, "Familie A").value.id
    with project.engine.begin() as connection:
        reserved = reserve_ids(connection, Base.metadata.tables["case"], 3)
    assert len(set(reserved)) == 3
    assert min(reserved) > existing
