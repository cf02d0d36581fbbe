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


def clean_name(name: str, what: str) -> str:
    """Names are shown in trees and exports: no surrounding blanks, no line breaks, not empty."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInputError(f"a {what} needs a name")
    return cleaned
