"""What a service call changed, so views refresh only the affected rows."""

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class ChangeSummary:
    """Primary keys touched per table (an int, or a tuple for link tables); empty tables omitted."""

    description: str
    inserted: dict[str, tuple[object, ...]] = field(default_factory=dict)
    updated: dict[str, tuple[object, ...]] = field(default_factory=dict)
    deleted: dict[str, tuple[object, ...]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.inserted or self.updated or self.deleted)

    def touched(self, table: str) -> bool:
        return table in self.inserted or table in self.updated or table in self.deleted


@dataclass(frozen=True)
class Changed(Generic[T]):
    """A service's answer: the resulting value and the rows it changed."""

    value: T
    changes: ChangeSummary
