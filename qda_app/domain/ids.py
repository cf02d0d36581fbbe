"""GUIDs as REFI-QDA and the store use them."""

import re
import uuid

_GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)


def new_guid() -> str:
    """A fresh random GUID in the lowercase form we always write."""
    return str(uuid.uuid4())


def normalise_guid(value: str) -> str:
    """Other programs write GUIDs in upper case or in braces; compare them in one form."""
    match = _GUID.match(value.strip())
    if match is None:
        raise ValueError(f"not a GUID: {value!r}")
    return match.group(1).lower()
