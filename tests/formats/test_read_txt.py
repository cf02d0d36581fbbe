import hashlib
import unicodedata

import pytest
from formats_checks import assert_consistent, turn_view

from qda_app.domain.errors import InvalidInputError
from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.readers import read_document
from qda_app.formats.text_normalise import decode_text, normalise_text

GERMAN = (
    "I: Wie geht es Ihrer Familie?\nB: Gut, aber die Kita ist weit weg. Größere Sorgen: Miete.\n"
)


@pytest.mark.parametrize(
    "data",
    [
        GERMAN.encode("utf-8"),
        b"\xef\xbb\xbf" + GERMAN.encode("utf-8"),
        b"\xff\xfe" + GERMAN.encode("utf-16-le"),
        b"\xfe\xff" + GERMAN.encode("utf-16-be"),
        GERMAN.encode("utf-16-le"),
        GERMAN.encode("cp1252"),
        GERMAN.encode("latin-1"),
        GERMAN.replace("\n", "\r\n").encode("cp1252"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16le-bom",
        "utf16be-bom",
        "utf16le-nobom",
        "cp1252",
        "latin1",
        "crlf",
    ],
)
def test_every_encoding_gives_the_same_text_and_turns(data):
    document = read_document(data, "Familie 1.txt")
    assert document.text == GERMAN.rstrip("\n")
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.source_name == "Familie 1.txt"
    assert [speaker.label for speaker in document.speakers] == ["I", "B"]
    assert turn_view(document)[1][1].startswith("Gut, aber die Kita")


def test_cp1252_specific_characters_survive():
    text = "I: „Zitat“ – 5 € für Hélène\nB: Ja.\nI: Und?\nB: Nein."
    assert read_document(text.encode("cp1252"), "a.txt").text == text


def test_normalisation_nfc_line_ends_controls_bom_and_trailing_blanks():
    raw = "\ufeff\n\nA\u0308rger\r\nZeile\x07 zwei  \rdrei\u2028vier\x00\tTab\n\n\n"
    text = normalise_text(raw)
    assert text == "Ärger\nZeile zwei\ndrei\nvier\tTab"
    assert unicodedata.is_normalized("NFC", text)
    assert normalise_text(text) == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\ud83d\ude00b", "a\U0001f600b"),
        ("\ud83d\ude00\ud83d", "\U0001f600\ufffd"),
        ("\ude00\ud83d x", "\ufffd\ufffd x"),
        ("x \ud83d", "x \ufffd"),
    ],
)
def test_normalisation_joins_surrogate_pairs_and_replaces_lone_halves(raw, expected):
    assert normalise_text(raw) == expected
    assert normalise_text(expected) == expected


def test_file_path_is_reduced_to_its_name_and_extension_is_case_insensitive():
    document = read_document(b"Hallo Welt", "/home/u/Interviews/INTERVIEW.TXT")
    assert document.source_name == "INTERVIEW.TXT"
    assert document.format == "txt"


def test_text_without_convention_becomes_paragraphs_with_a_note():
    text = "Erster Absatz\nnoch erster.\n\nZweiter Absatz.\n\n\nDritter."
    document = read_document(text.encode(), "notes.txt")
    assert turn_view(document) == [
        (None, "Erster Absatz\nnoch erster.", None),
        (None, "Zweiter Absatz.", None),
        (None, "Dritter.", None),
    ]
    assert any("no speakers found" in note for note in document.notes)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.txt", "empty"),
        (b"  \n\t\n", "a.txt", "empty"),
        (b"\x00\x01\x02\x03binary\x00\xff\xfe\x00\x00\x00\x01", "a.txt", "binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.doc", ".doc"),
        (b"hello", "song.mp3", "unsupported file type .mp3"),
        (b"just some text\n", "report.docx", "not a Word (.docx) file (it looks like a text file)"),
        (b"just some text\n", "report.odt", "not a OpenDocument text (.odt) file"),
        (b"plain text", "scan.pdf", "not a PDF file"),
        (b"plain text", "x.rtf", "not an RTF file"),
        (b"Hallo\nWelt", "x.vtt", "no cue timings"),
    ],
)
def test_bad_input_raises_one_error_type_with_a_one_line_reason(data, name, message):
    with pytest.raises(UnreadableFileError) as caught:
        read_document(data, name)
    assert isinstance(caught.value, InvalidInputError)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(name)


def test_content_wins_over_a_wrong_extension_with_a_note():
    rtf = rb"{\rtf1\ansi\ansicpg1252 I: Hallo\par B: Gr\'fc\'df Gott\par I: Gut\par B: Ja\par}"
    document = read_document(rtf, "export.txt")
    assert document.format == "rtf"
    assert "B: Grüß Gott" in document.text
    assert any("read as .rtf" in note for note in document.notes)


def test_decode_text_prefers_strict_utf8_over_guessing():
    assert decode_text("Straße".encode()) == "Straße"
    assert decode_text("Straße".encode("cp1252")) == "Straße"


def test_markdown_front_matter_attribute_lists_and_bold_labels():
    md = (
        '---\ntitle: Interview 7\ndistrict: "Nord"\n---\n# Transkript {#t .x}\n\n'
        "**I:** Wie wohnen Sie?\n{: .turn}\n**B [00:00:24]** In einer kleinen Wohnung.\n"
        "**I:** Mit Garten?\n**B [00:01:02]** Nein.\n"
    )
    document = read_document(md.encode(), "i7.md")
    assert document.metadata == {"title": "Interview 7", "district": "Nord"}
    assert "**" not in document.text and "{" not in document.text
    assert turn_view(document) == [
        (None, "Transkript", None),
        ("i", "Wie wohnen Sie?", None),
        ("b", "In einer kleinen Wohnung.", 24_000),
        ("i", "Mit Garten?", None),
        ("b", "Nein.", 62_000),
    ]


def test_bold_labels_are_found_in_plain_text_files_too():
    text = "**I:** Frage eins\n**B:** Antwort eins\n**I:** Frage zwei\n**B:** Antwort zwei"
    document = read_document(text.encode(), "t.txt")
    assert [speaker.label for speaker in document.speakers] == ["I", "B"]
    assert turn_view(document)[3] == ("b", "Antwort zwei", None)
    assert_consistent(document)
