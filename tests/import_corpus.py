"""Transcript files built in code for the import tests: several encodings, docx, vtt, and the
broken files users' folders contain (damaged, empty, binary, duplicate, hidden, lock files)."""

import io
from pathlib import Path

GOOD_TEXT = (
    "I: Wie geht es Ihnen in der neuen Wohnung, Frau Müller?\n"
    "B: Besser. Müllers Nachbarin hilft mit der Kita, aber der Bus fährt selten.\n"
    "I: Und die Schule?\n"
    "B: Die Kinder gehen gern hin.\n"
)
LATIN1_TEXT = "I: Was brauchen Sie?\nB: Eine größere Wohnung und Ärztinnen in der Nähe.\n"
UTF16_TEXT = "Interviewer: Wie ist der Alltag?\nMutter: Anstrengend, aber schön.\n"
VTT_TEXT = (
    "WEBVTT\n\n"
    "00:00:01.000 --> 00:00:04.000\n<v Interviewerin>Was wünschen Sie sich?\n\n"
    "00:00:05.500 --> 00:00:09.000\n<v Vater>Mehr Plätze im Familienzentrum.\n"
)
DOCX_LINES = ["I: Wie kommen Sie zum Jobcenter?", "B: Mit dem Bus, das dauert eine Stunde."]


def docx_bytes(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def good_files(folder: Path) -> dict[str, Path]:
    """The files that must import, by expected document name."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "utf8": folder / "utf8.txt",
        "latin1": folder / "latin1.txt",
        "utf16": folder / "nested" / "utf16.txt",
        "word": folder / "word.docx",
        "subtitles": folder / "subtitles.vtt",
    }
    files["utf16"].parent.mkdir(exist_ok=True)
    files["utf8"].write_bytes(GOOD_TEXT.encode("utf-8"))
    files["latin1"].write_bytes(LATIN1_TEXT.encode("cp1252"))
    files["utf16"].write_bytes(UTF16_TEXT.encode("utf-16"))
    files["word"].write_bytes(docx_bytes(DOCX_LINES))
    files["subtitles"].write_bytes(VTT_TEXT.encode("utf-8"))
    return files


def bad_files(folder: Path) -> dict[str, Path]:
    """Files that must fail, each for its own reason."""
    folder.mkdir(parents=True, exist_ok=True)
    word = docx_bytes(DOCX_LINES)
    files = {
        "damaged": folder / "damaged.docx",
        "empty": folder / "empty.txt",
        "binary": folder / "binary.txt",
        "mislabelled": folder / "notes.rtf",
    }
    files["damaged"].write_bytes(word[: len(word) // 2])
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 40)
    files["mislabelled"].write_bytes(b"\x00\x01\x02PK\x03\x04 not rtf at all \xff\xfe" * 50)
    return files


def ignored_files(folder: Path) -> list[Path]:
    """Files a folder import must not even mention: hidden files and Office lock files."""
    folder.mkdir(parents=True, exist_ok=True)
    hidden_dir = folder / ".git"
    hidden_dir.mkdir(exist_ok=True)
    files = [folder / ".hidden.txt", folder / "~$word.docx", hidden_dir / "config.txt"]
    for path in files:
        path.write_text("I: versteckt\nB: ja\n", encoding="utf-8")
    return files
