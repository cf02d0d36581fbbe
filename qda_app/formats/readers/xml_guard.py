"""A defusedxml pass over XML parts before a library without entity protection parses them."""

import zipfile

from qda_app.formats.errors import UnreadableFileError


def check_xml_member(archive: zipfile.ZipFile, member: str, source_name: str, kind: str) -> None:
    """Reject DTDs, entity definitions and external references (billion laughs, XXE)."""
    import defusedxml.ElementTree as SafeTree
    from defusedxml import DefusedXmlException

    try:
        SafeTree.fromstring(archive.read(member))
    except DefusedXmlException as exc:
        raise UnreadableFileError(
            source_name, f"the {kind} file contains unsafe XML ({exc})"
        ) from exc
    except (SafeTree.ParseError, zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFileError(source_name, f"the {kind} file is damaged ({exc})") from exc
