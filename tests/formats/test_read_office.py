"""docx, odt, rtf and pdf transcripts, each built in code the way the writing tool would."""

import io
import zipfile

import pytest
from formats_checks import turn_view

from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.readers import read_document


def docx_bytes(build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_speaker_tables_in_document_order():
    def build(document):
        document.add_paragraph("Interview Familie K.")
        document.add_paragraph("I: Wie kommen Sie zur Kita?")
        table = document.add_table(rows=0, cols=2)
        for speaker, said in [("B", "Mit dem Bus."), ("I", "Wie lange?"), ("B:", "Eine Stunde.")]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = speaker, said
        document.add_paragraph("I: Danke für das Gespräch.")
        document.core_properties.title = "Familie K"

    document = read_document(docx_bytes(build), "k.docx")
    assert document.format == "docx"
    assert document.metadata["title"] == "Familie K"
    assert turn_view(document) == [
        (None, "Interview Familie K.", None),
        ("i", "Wie kommen Sie zur Kita?", None),
        ("b", "Mit dem Bus.", None),
        ("i", "Wie lange?", None),
        ("b", "Eine Stunde.", None),
        ("i", "Danke für das Gespräch.", None),
    ]


def test_docx_table_with_header_time_speaker_and_text_columns_and_line_breaks():
    def build(document):
        table = document.add_table(rows=0, cols=3)
        rows = [
            ("Zeit", "Sprecher", "Text"),
            ("00:00:05", "Interviewerin", "Erzählen Sie."),
            ("00:00:09", "Mutter", "Wir sind 2019 gekommen."),
            ("00:01:10", "Interviewerin", "Und dann?"),
        ]
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = value
        paragraph = document.add_paragraph("Mutter: Erste Zeile")
        paragraph.add_run().add_break()
        paragraph.add_run("zweite Zeile")

    document = read_document(docx_bytes(build), "t.docx")
    assert turn_view(document) == [
        (None, "Zeit\tSprecher\tText", None),
        ("interviewerin", "Erzählen Sie.", 5_000),
        ("mutter", "Wir sind 2019 gekommen.", 9_000),
        ("interviewerin", "Und dann?", 70_000),
        ("mutter", "Erste Zeile\nzweite Zeile", None),
    ]


def test_docx_table_that_is_no_transcript_is_kept_as_tab_separated_rows():
    def build(document):
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = (
            "Haushalt mit drei Kindern",
            "Miete 900 Euro im Monat warm",
        )
        table.cell(1, 0).text, table.cell(1, 1).text = (
            "Alleinerziehend seit zwei Jahren",
            "kein Auto",
        )

    document = read_document(docx_bytes(build), "t.docx")
    assert (
        document.text == "Haushalt mit drei Kindern\tMiete 900 Euro im Monat warm\n"
        "Alleinerziehend seit zwei Jahren\tkein Auto"
    )


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_zip({"word/document.xml": b"\x00" * (50 * 1024 * 1024)}), "zip bomb"),
        (_zip({"hello.txt": b"hi"}), r"zip archive but not a Word \(\.docx\) file"),
        (b"PK\x03\x04garbage that is no zip", "damaged"),
        (_zip({"word/document.xml": b"<w:document"}), "damaged"),
        (
            _zip(
                {
                    "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
                    b"<d>&a;</d>"
                }
            ),
            "unsafe XML",
        ),
    ],
    ids=["bomb", "other-zip", "broken-zip", "broken-xml", "entities"],
)
def test_damaged_or_hostile_docx_is_refused(data, message):
    with pytest.raises(UnreadableFileError, match=message):
        read_document(data, "evil.docx")


def test_docx_without_text_is_refused():
    with pytest.raises(UnreadableFileError, match="contains no text"):
        read_document(docx_bytes(lambda document: None), "leer.docx")


def test_odt_paragraphs_lists_and_tables():
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import LineBreak, List, ListItem, P, Span

    document = OpenDocumentText()
    document.text.addElement(P(text="I: Wer wohnt bei Ihnen?"))
    listing = List()
    item = ListItem()
    item.addElement(P(text="B: Meine Tochter."))
    listing.addElement(item)
    document.text.addElement(listing)
    table = Table()
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for speaker, said in [("I", "Und sonst?"), ("B", "Mein Sohn, für Straße und Übergang.")]:
        row = TableRow()
        for value in (speaker, said):
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    paragraph = P(text="I: Zeile eins")
    paragraph.addElement(LineBreak())
    paragraph.addElement(Span(text="Zeile zwei"))
    document.text.addElement(paragraph)
    buffer = io.BytesIO()
    document.write(buffer)

    parsed = read_document(buffer.getvalue(), "f.odt")
    assert turn_view(parsed) == [
        ("i", "Wer wohnt bei Ihnen?", None),
        ("b", "Meine Tochter.", None),
        ("i", "Und sonst?", None),
        ("b", "Mein Sohn, für Straße und Übergang.", None),
        ("i", "Zeile eins\nZeile zwei", None),
    ]


def test_rtf_hex_escapes_and_unicode_escapes_give_umlauts():
    rtf = (
        rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}}"
        rb"\pard I: Wie geht es Ihnen?\par"
        rb"\pard B: Gut, aber die Stra\'dfe ist laut. Gr\u246\'f6\'dfer wird es nicht.\par"
        rb"\pard I: \u8222?Zitat\u8220? \'80 5\par"
        rb"\pard B: \u-4064?Ende\par}"
    )
    document = read_document(rtf, "f4.rtf")
    assert turn_view(document) == [
        ("i", "Wie geht es Ihnen?", None),
        ("b", "Gut, aber die Straße ist laut. Größer wird es nicht.", None),
        ("i", "„Zitat“ € 5", None),
        ("b", "\uf020Ende", None),
    ]


def test_rtf_emoji_as_utf16_surrogate_pairs_become_one_character():
    # Word writes U+1F600 as its two UTF-16 halves; a half without its partner becomes U+FFFD.
    rtf = (
        rb"{\rtf1\ansi\ansicpg1252\uc1 I: Wie war es?\par "
        rb"B: Toll \u-10179?\u-8704? wirklich.\par "
        rb"I: Kaputt \u-10179? hier.\par}"
    )
    document = read_document(rtf, "x.rtf")
    assert turn_view(document) == [
        ("i", "Wie war es?", None),
        ("b", "Toll \U0001f600 wirklich.", None),
        ("i", "Kaputt \ufffd hier.", None),
    ]
    document.text.encode("utf-8")  # storable: no surrogate is left
    emoji = document.text.index("\U0001f600")
    assert document.text[emoji + 1 :].startswith(" wirklich.")  # one code point, not two
    second = document.turns[1]
    assert document.text[second.text_start : second.end] == "Toll \U0001f600 wirklich."


def test_rtf_with_another_code_page():
    rtf = rb"{\rtf1\ansi\ansicpg1250 I: \'9akola\par B: \'e4\par I: x\par B: y\par}"
    assert read_document(rtf, "x.rtf").text.split("\n")[:2] == ["I: škola", "B: ä"]


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A minimal PDF with one text line per list entry (Helvetica, WinAnsi), or no text."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    font_number = 3
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for lines in pages:
        commands = ["BT /F1 11 Tf 14 TL 50 780 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            commands.append(f"({escaped}) Tj T*")
        commands.append("ET")
        stream = "\n".join(commands).encode("cp1252") if lines else b""
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_number = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content_number, font_number)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_text_layer_with_two_pages():
    data = pdf_bytes([["I: Wie geht es?", "B: Gut, danke für die Frage."], ["I: Schön.", "B: Ja."]])
    document = read_document(data, "t.pdf")
    assert document.metadata["pages"] == "2"
    assert [(t[0], t[1]) for t in turn_view(document)] == [
        ("i", "Wie geht es?"),
        ("b", "Gut, danke für die Frage."),
        ("i", "Schön."),
        ("b", "Ja."),
    ]


def test_scanned_pdf_without_text_gives_a_one_line_hint():
    with pytest.raises(UnreadableFileError, match=r"no text layer \(a scan\?\): run OCR"):
        read_document(pdf_bytes([[], []]), "scan.pdf")


def test_truncated_pdf_is_damaged():
    with pytest.raises(UnreadableFileError, match="PDF"):
        read_document(b"%PDF-1.4\n1 0 obj << /Type /Catalog", "cut.pdf")
