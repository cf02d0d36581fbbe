"""Fetching rows by id with one clear message when they are missing."""

from typing import TypeVar

from sqlalchemy.orm import Session

from qda_app.domain.errors import InvalidInputError, NotFoundError
from qda_app.store import models as m

M = TypeVar("M", bound=m.Base)


def get_row(session: Session, model: type[M], row_id: int) -> M:
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(f"no {model.__tablename__} with id {row_id}")
    return row


# The widths of the name columns (store/models.py). SQLite would store longer names silently and
# PostgreSQL refuse them, so the services check here and both back ends behave alike.
NAME_LIMITS = {"document": 300}
DEFAULT_NAME_LIMIT = 200


def name_limit(what: str) -> int:
    return NAME_LIMITS.get(what, DEFAULT_NAME_LIMIT)


def clean_name(name: str, what: str, *, cut: bool = False) -> str:
    """Names are shown in trees and exports: no surrounding blanks, no line breaks, not empty,
    not longer than their column. With `cut`, a long name (a file name) is shortened instead."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInputError(f"a {what} needs a name")
    limit = name_limit(what)
    if len(cleaned) > limit:
        if cut:
            return cleaned[: limit - 1].rstrip() + "…"
        raise InvalidInputError(
            f"a {what} name may have at most {limit} characters, not {len(cleaned)}"
        )
    return cleaned
