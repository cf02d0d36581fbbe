"""Errors every layer may raise; each message is one line a user can act on."""


class QdaError(Exception):
    """Base of all expected failures: the CLI prints the message and exits with 1."""


class NotAProjectError(QdaError):
    """The path or URL does not hold a QDA project (text file, empty file, foreign database)."""


class DamagedProjectError(QdaError):
    """The file looks like a project but fails the integrity check (truncated, corrupted)."""


class NewerSchemaError(QdaError):
    """The project was written by a newer version of QDA App than this one."""


class ProjectExistsError(QdaError):
    """Creating a project where one (or any file) already exists would overwrite data."""


class NotFoundError(QdaError):
    """An id, GUID or name that the caller named does not exist in the project."""


class InvalidInputError(QdaError):
    """A value that would make the project unsound (bad span, cycle, empty name, ...)."""


class UndoConflictError(QdaError):
    """Undo or redo found the data changed by someone else since; nothing was applied."""
