"""GUIDs as REFI-QDA and the store use them."""

import os
import re

_GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def new_guids(count: int) -> list[str]:
    """Fresh random (version 4) GUIDs in the lowercase form we always write.

    Formatted by hand from one read of the system's random source, because bulk imports make
    100,000 at a time and `uuid.uuid4()` costs several times as much per GUID."""
    digits = os.urandom(16 * count).hex()
    guids = []
    for at in range(0, 32 * count, 32):
        d = digits[at : at + 32]
        guids.append(f"{d[:8]}-{d[8:12]}-4{d[13:16]}-{_VARIANT[d[16]]}{d[17:20]}-{d[20:]}")
    return guids


def new_guid() -> str:
    return new_guids(1)[0]


def normalise_guid(value: str) -> str:
    """Other programs write GUIDs in upper case or in braces; compare them in one form."""
    match = _GUID.match(value.strip())
    if match is None:
        raise ValueError(f"not a GUID: {value!r}")
    return match.group(1).lower()
