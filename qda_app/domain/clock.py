"""One notion of 'now' for stored timestamps: naive UTC, identical on SQLite and PostgreSQL."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
