"""REFI-QDA .qdc: our output is schema-valid and round-trips; foreign input is read leniently."""

import io
import zipfile

import pytest
import xmlschema

from qda_app.domain.codebook import PALETTE, Codebook, CodebookCode, CodeSet
from qda_app.domain.errors import InvalidInputError
from qda_app.formats.refi_codebook import (
    CODEBOOK_NS,
    PROJECT_NS,
    CodebookFormatError,
    read_qdc,
    schema_path,
    write_qdc,
)

G1 = "11111111-1111-4111-8111-111111111111"
G2 = "22222222-2222-4222-8222-222222222222"
G3 = "33333333-3333-4333-8333-333333333333"
S1 = "99999999-9999-4999-8999-999999999999"


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema10(schema_path("Codebook.xsd"))


def sample() -> Codebook:
    wohnen = CodebookCode(
        guid=G2,
        name="Wohnen",
        color="#3cb44b",
        description="Alles zur Wohnung.\n\nZweiter Absatz: mit Doppelpunkt.",
        inclusion="Enge, Schimmel, Miete.",
        exclusion="Nachbarschaft (→ Ressourcen).",
        anchors=("„Wir sind zu fünft auf zwei Zimmern.“ (Mutter, F07)", "Zweites Zitat 🏠"),
        keywords=("Wohnung", "Miete", "Schimmel"),
    )
    leer = CodebookCode(guid=G3, name="Nur Name & <Zeichen>", color="#000000")
    bedarfe = CodebookCode(
        guid=G1, name="Bedarfe", color="#e6194b", codable=False, children=(wohnen, leer)
    )
    return Codebook(
        name="Test",
        origin="QDA App",
        language="de",
        codes=(bedarfe,),
        sets=(CodeSet(S1, "Verwaltung", "Handlungsfelder", (G2, G3)),),
    )


def codebook_xml(codes: str, *, ns: str | None = CODEBOOK_NS, extra: str = "") -> bytes:
    xmlns = f' xmlns="{ns}"' if ns else ""
    body = f"<CodeBook{xmlns}><Codes>{codes}</Codes>{extra}</CodeBook>"
    return f'<?xml version="1.0" encoding="utf-8"?>{body}'.encode()


def code(name="A", guid=G1, color="#aabbcc", codable="true", body=""):
    attributes = "".join(
        f' {key}="{value}"'
        for key, value in (("guid", guid), ("name", name), ("isCodable", codable), ("color", color))
        if value is not None
    )
    return f"<Code{attributes}>{body}</Code>"


# ----------------------------------------------------------------------- writing


def test_written_qdc_is_valid_and_keeps_every_field_in_the_description(schema):
    data = write_qdc(sample())
    schema.validate(data)
    text = data.decode("utf-8")
    assert f'xmlns="{CODEBOOK_NS}"' in text
    assert 'isCodable="false" color="#e6194b"' in text
    assert "Einschlusskriterien:\nEnge, Schimmel, Miete." in text
    assert "Ankerbeispiele:\n- „Wir sind zu fünft" in text
    assert "Schlüsselwörter: Wohnung, Miete, Schimmel</Description>" in text
    assert '<MemberCode guid="22222222-2222-4222-8222-222222222222"/>' in text
    assert "Nur Name &amp; &lt;Zeichen&gt;" in text


def test_english_codebooks_get_english_headings_and_no_empty_sets(schema):
    english = Codebook(name="E", language="en", codes=(sample().codes[0],))
    data = write_qdc(english)
    schema.validate(data)
    assert b"Inclusion criteria:\n" in data and b"Keywords: Wohnung" in data
    assert b"<Sets" not in data
    assert b'origin="QDA App"' in data  # an empty origin names us


def test_round_trip_is_identical_in_bytes_and_in_value():
    first = write_qdc(sample())
    result = read_qdc(first, name="Test")
    assert result.warnings == ()
    assert result.codebook == sample()
    assert write_qdc(result.codebook) == first


def test_writer_refuses_an_empty_codebook_and_drops_control_characters(schema):
    with pytest.raises(CodebookFormatError):
        write_qdc(Codebook(name="leer"))
    odd = Codebook(name="x", codes=(CodebookCode(G1, "Bell\x07", description="a\x00b\r\nc"),))
    data = write_qdc(odd)
    schema.validate(data)
    back = read_qdc(data).codebook.codes[0]
    assert (back.name, back.description) == ("Bell", "ab\nc")


# ----------------------------------------------------------------------- lenient reading


@pytest.mark.parametrize(
    ("raw", "expected", "warned"),
    [
        ("#ABC", "#aabbcc", False),
        ("#A1B2C3", "#a1b2c3", False),
        ("#a1b2c380", "#a1b2c3", True),
        ("rgb(255, 0, 10)", "#ff000a", False),
        ("RGBA(1,2,3,0.5)", "#010203", False),
        ("a1b2c3", "#a1b2c3", False),
        (None, PALETTE[0], True),
        ("", PALETTE[0], True),
        ("blue", PALETTE[0], True),
        ("rgb(300,0,0)", PALETTE[0], True),
    ],
)
def test_colour_forms(raw, expected, warned):
    result = read_qdc(codebook_xml(code(color=raw)))
    assert result.codebook.codes[0].color == expected
    assert bool(result.warnings) == warned


def test_missing_colours_take_palette_colours_in_tree_order():
    xml = codebook_xml(code(color=None, body=code("B", G2, color=None)) + code("C", G3, None))
    result = read_qdc(xml)
    assert [e.code.color for e in result.codebook.walk()] == list(PALETTE[:3])
    assert result.warnings == ("codes without a colour, given one from the palette: 3",)


def test_utf8_bom_and_missing_namespace_are_accepted():
    data = b"\xef\xbb\xbf" + codebook_xml(code("Geld"), ns=None)
    result = read_qdc(data)
    assert result.codebook.codes[0].name == "Geld"
    assert result.warnings == ()


def test_unknown_namespace_is_read_with_a_warning():
    result = read_qdc(codebook_xml(code(), ns="urn:example:other"))
    assert result.codebook.codes[0].guid == G1
    assert "namespace" in result.warnings[0]


def project_qde(ns: str | None = PROJECT_NS) -> bytes:
    xmlns = f' xmlns="{ns}"' if ns else ""
    note = '<NoteRef targetGUID="44444444-4444-4444-8444-444444444444"/>'
    return (
        f'<Project{xmlns} name="P" origin="MAXQDA 2022"><Users><User guid="{G3}" name="u"/></Users>'
        f"<CodeBook><Codes>{code('Eltern', G1, body=note + code('Mutter', G2))}</Codes></CodeBook>"
        f'<Sets><Set guid="{S1}" name="Gruppe"><MemberCode targetGUID="{G2.upper()}"/>'
        f'<MemberSource targetGUID="{G3}"/></Set>'
        f'<Set guid="{G3}" name="Nur Dokumente"><MemberSource targetGUID="{G3}"/></Set></Sets>'
        "</Project>"
    ).encode()


@pytest.mark.parametrize("ns", [PROJECT_NS, None])
def test_a_project_file_yields_its_codebook_and_code_sets(ns):
    result = read_qdc(project_qde(ns))
    codebook = result.codebook
    assert codebook.origin == "MAXQDA 2022"
    assert [e.path for e in codebook.walk()] == ["Eltern", "Eltern/Mutter"]
    assert codebook.sets == (CodeSet(S1, "Gruppe", "", (G2,)),)
    assert any("NoteRef" in w for w in result.warnings)
    assert any("'Nur Dokumente': dropped 1 document" in w for w in result.warnings)


def test_a_qdpx_archive_is_opened_for_its_project():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("sources/x.txt", "text")
        archive.writestr("Mein Projekt.QDE", project_qde())
    assert read_qdc(buffer.getvalue()).codebook.codes[0].name == "Eltern"
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("sources/x.txt", "text")
    with pytest.raises(CodebookFormatError, match=r"no single \.qde"):
        read_qdc(empty.getvalue())


def test_flat_atlas_names_are_split_into_a_tree():
    xml = codebook_xml(
        code("Bedarfe::Wohnen", G1)
        + code("Bedarfe :: Geld", G2)
        + code("Bedarfe", G3, color="#123456")
        + code("A::B::C", "44444444-4444-4444-8444-444444444444")
    )
    result = read_qdc(xml)
    paths = {e.path: e.code for e in result.codebook.walk()}
    assert list(paths) == ["Bedarfe", "Bedarfe/Wohnen", "Bedarfe/Geld", "A", "A/B", "A/B/C"]
    # The real code "Bedarfe" takes the place of the folder the split made for it.
    assert paths["Bedarfe"].guid == G3 and paths["Bedarfe"].color == "#123456"
    assert paths["A"].codable is False and paths["A/B/C"].codable is True
    assert "folders made from 'Parent::Child' names: 2" in result.warnings


def test_splitting_can_be_switched_off_and_is_off_for_nested_trees_and_our_files():
    flat = codebook_xml(code("X::Y"))
    assert read_qdc(flat, split_names=False).codebook.codes[0].name == "X::Y"
    nested = codebook_xml(code("X::Y", body=code("Z", G2)))
    assert read_qdc(nested).codebook.codes[0].name == "X::Y"
    ours = Codebook(name="n", origin="QDA App 0.1.0", codes=(CodebookCode(G1, "X::Y"),))
    assert read_qdc(write_qdc(ours)).codebook.codes[0].name == "X::Y"
    assert read_qdc(nested, split_names=True).codebook.codes[0].name == "X"


def test_missing_optional_and_required_attributes_get_defaults():
    xml = codebook_xml(code(name=None, guid=None, color=None, codable=None))
    result = read_qdc(xml)
    only = result.codebook.codes[0]
    assert only.name == "Unnamed code" and only.codable is True and only.description == ""
    assert len(only.guid) == 36
    assert len(result.warnings) == 4


def test_brace_and_uppercase_guids_are_normalised_and_bad_ones_replaced():
    xml = codebook_xml(
        code("A", "{" + G1.upper() + "}") + code("B", G2.upper()) + code("C", "not-a-guid")
    )
    result = read_qdc(xml)
    guids = [c.guid for c in result.codebook.codes]
    assert guids[:2] == [G1, G2]
    assert guids[2] not in (G1, G2) and len(guids[2]) == 36
    assert result.warnings == ("code 'C': 'not-a-guid' is not a GUID; gave it a new one",)


def test_duplicate_guids_are_reported_and_sets_keep_the_first_code():
    sets = f'<Sets><Set guid="{S1}" name="S"><MemberCode guid="{G1}"/>'
    sets += f'<MemberCode guid="{G3}"/></Set></Sets>'
    xml = codebook_xml(code("A", G1) + code("B", G1.upper()), extra=sets)
    result = read_qdc(xml)
    first, second = result.codebook.codes
    assert first.guid == G1 and second.guid != G1
    assert any("GUID 11111111" in w and "'B'" in w for w in result.warnings)
    assert result.codebook.sets[0].member_guids == (G1,)
    assert any("unknown member" in w for w in result.warnings)


def test_descriptions_of_other_programs_are_plain_definitions():
    text = "Everything about rent: costs.\nKeywords: only a heading after a blank line"
    only = read_qdc(codebook_xml(code(body=f"<Description>{text}</Description>"))).codebook.codes[0]
    assert only.description == text
    assert only.keywords == () and only.inclusion == ""


def test_hand_written_sections_in_german_and_english_are_recognised():
    german = (
        "Definition: Geldsorgen.\n\nEinschlusskriterium: Schulden\n\nAbgrenzung:\nMiete\n\n"
        "Ankerbeispiel:\n„Erstes“\n\n„Zweites“\n\nSchlagwörter: Geld; Schulden\nMonatsende"
    )
    result = read_qdc(codebook_xml(code(body=f"<Description>{german}</Description>")))
    only = result.codebook.codes[0]
    assert (only.description, only.inclusion, only.exclusion) == (
        "Geldsorgen.",
        "Schulden",
        "Miete",
    )
    assert only.anchors == ("„Erstes“", "„Zweites“")
    assert only.keywords == ("Geld", "Schulden", "Monatsende")
    assert result.codebook.language == "de"
    english = "Def.\n\nAnchors:\n* one\n  continued\n* two\n\nKEYWORDS: a, b"
    back = read_qdc(codebook_xml(code(body=f"<Description>{english}</Description>")))
    assert back.codebook.codes[0].anchors == ("one\n  continued", "two")
    assert back.codebook.language == "en"
    assert read_qdc(codebook_xml(code()), language="de").codebook.language == "de"


# ----------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"this is not xml", "not well-formed XML"),
        (b"<html><body/></html>", "root element is <html>"),
        (f'<CodeBook xmlns="{CODEBOOK_NS}"/>'.encode(), "no codes"),
        (f'<CodeBook xmlns="{CODEBOOK_NS}"><Codes/></CodeBook>'.encode(), "no codes"),
        (f'<Project xmlns="{PROJECT_NS}" name="p"/>'.encode(), "no codes"),
        (b"PK\x03\x04broken", "damaged zip"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            b"<CodeBook><Codes><Code guid='" + G1.encode() + b"' name='&lol2;' isCodable='true'/>"
            b"</Codes></CodeBook>",
            "DTD or entities",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<CodeBook>&x;</CodeBook>",
            "DTD or entities",
        ),
        (b'<!DOCTYPE CodeBook SYSTEM "http://example.org/c.dtd"><CodeBook/>', "DTD"),
    ],
)
def test_unusable_files_raise_one_line_errors(data, message):
    with pytest.raises(CodebookFormatError, match=message) as caught:
        read_qdc(data)
    assert isinstance(caught.value, InvalidInputError)
    assert "\n" not in str(caught.value)
