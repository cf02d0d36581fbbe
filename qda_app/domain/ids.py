"""GUIDs as REFI-QDA and the store use them."""

import os
import re
import time

_GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)


def new_guids(count: int) -> list[str]:
    """Fresh time-ordered GUIDs (UUID version 7, RFC 9562) in the lowercase form we always write.

    Time-ordered because the GUID columns are indexed: random GUIDs land all over the index, and
    on the benchmark project that alone cost a quarter of the bulk-import speed. Within one call a
    42-bit counter (starting at a random point) keeps them strictly increasing; 32 random bits
    per GUID keep calls in the same millisecond apart. Formatted by hand because bulk imports make
    100,000 at a time and `uuid` objects cost several times as much.
    """
    millis = f"{time.time_ns() // 1_000_000:012x}"
    prefix = f"{millis[:8]}-{millis[8:]}-7"
    noise = os.urandom(5 + 4 * count)
    counter = int.from_bytes(noise[:5]) >> 1
    tails = memoryview(noise)[5:].cast("I")
    guids = []
    for index in range(count):
        step = counter + index
        variant = 0x8000 | ((step >> 16) & 0x3FFF)
        low = ((step & 0xFFFF) << 32) | tails[index]
        guids.append(f"{prefix}{(step >> 30) & 0xFFF:03x}-{variant:04x}-{low:012x}")
    return guids


def new_guid() -> str:
    return new_guids(1)[0]


def normalise_guid(value: str) -> str:
    """Other programs write GUIDs in upper case or in braces; compare them in one form."""
    match = _GUID.match(value.strip())
    if match is None:
        raise ValueError(f"not a GUID: {value!r}")
    return match.group(1).lower()
