"""Opening zip containers (docx, odt, xlsx) only after checking them against zip bombs."""

import io
import zipfile

from qda_app.formats.errors import UnreadableFileError

MAX_MEMBERS = 5_000
MAX_TOTAL_UNCOMPRESSED = 300 * 1024 * 1024
MAX_RATIO = 200
# Small members may compress extremely well (a run of spaces), so the ratio only counts above this.
_RATIO_FLOOR = 1024 * 1024


def open_checked_zip(
    data: bytes, source_name: str, kind: str, required_member: str
) -> zipfile.ZipFile:
    """Return the open archive, or raise one clear error if it is no `kind` file or unsafe.

    Sizes come from the central directory, which an attacker controls; the readers only
    read the members the limits allow, and zipfile itself stops at the declared size.
    """
    if not data.startswith(b"PK"):
        hint = "a text file" if b"\x00" not in data[:4096] else "some other binary file"
        raise UnreadableFileError(source_name, f"this is not a {kind} file (it looks like {hint})")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFileError(source_name, f"the {kind} file is damaged ({exc})") from exc
    if len(infos) > MAX_MEMBERS:
        raise UnreadableFileError(source_name, f"the {kind} file has too many parts to be safe")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > MAX_RATIO:
            raise UnreadableFileError(
                source_name, f"the {kind} file expands suspiciously (a zip bomb?)"
            )
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise UnreadableFileError(source_name, f"the {kind} file is too large when unpacked")
    if required_member not in archive.namelist():
        raise UnreadableFileError(
            source_name, f"this is a zip archive but not a {kind} file ({required_member} missing)"
        )
    return archive
