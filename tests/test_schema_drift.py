"""The Alembic migrations build exactly the schema the models describe, on both back ends."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from qda_app.store.models import Base


def test_migrated_schema_matches_the_models(project):
    with project.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
