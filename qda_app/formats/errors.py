"""The one exception the format readers raise for input they cannot use."""

from qda_app.domain.errors import InvalidInputError


class UnreadableFileError(InvalidInputError):
    """A file is damaged, empty, binary, mislabelled or unsafe; the message says which, in one line.

    Readers translate every library exception into this type, so the import service can
    skip or report a file without knowing which library read it.
    """

    def __init__(self, source_name: str, reason: str) -> None:
        self.source_name = source_name
        self.reason = reason
        super().__init__(f"{source_name}: {reason}" if source_name else reason)
