"""Codebook reading problems a review found: prose after a keyword list, and made-up folders
whose colour depended on their position in the file."""

import pytest

from qda_app.domain.codebook import Codebook, CodebookCode
from qda_app.formats.codebook_text import compose, parse
from qda_app.formats.refi_codebook import read_qdc, write_qdc

RULE = "Hinweis: Nur kodieren, wenn die Familie selbst betroffen ist; nicht bei Nachbarn."


def qdc(*codes: tuple[str, str, str], origin: str = "ATLAS.ti 8.4") -> bytes:
    """A foreign .qdc with (guid suffix, name, description) per code."""
    body = "".join(
        f'<Code guid="C0000000-0000-4000-8000-{suffix:0>12}" name="{name}" isCodable="true"'
        f' color="#A0B0C3"><Description>{description}</Description></Code>'
        for suffix, name, description in codes
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="{origin}"><Codes>{body}</Codes>'
        "</CodeBook>"
    ).encode()


# 5. The keyword list ends at its first blank line ----------------------------------------------


def test_text_after_the_keyword_paragraph_is_definition_again():
    parts = parse(f"Schlüsselwörter: Geld, Schulden\n\n{RULE}")
    assert parts.keywords == ("Geld", "Schulden")
    assert parts.description == RULE
    assert parts.language == "de"


def test_definition_before_and_after_the_keywords_are_joined_and_later_headings_still_count():
    text = f"Armut im Haushalt.\n\nKeywords: money\n\n{RULE}\n\nAnchor examples:\n- „Kein Geld.“"
    parts = parse(text)
    assert parts.description == f"Armut im Haushalt.\n\n{RULE}"
    assert parts.keywords == ("money",)
    assert parts.anchors == ("„Kein Geld.“",)


@pytest.mark.parametrize(
    "text",
    ["Keywords:\nmoney\nrent", "Keywords:\n\nmoney, rent", "Keywords: money,\nrent\n\n"],
)
def test_keyword_lists_over_several_lines_still_read(text):
    parts = parse(text)
    assert (parts.keywords, parts.description) == (("money", "rent"), "")


def test_keywords_with_a_rule_below_survive_write_read_write_byte_for_byte():
    once = read_qdc(qdc(("1", "Armut", f"Schlüsselwörter: Geld, Schulden\n\n{RULE}"))).codebook
    code = once.codes[0]
    assert (code.keywords, code.description) == (("Geld", "Schulden"), RULE)
    data = write_qdc(once)
    again = read_qdc(data).codebook
    assert again == once
    assert write_qdc(again) == data
    assert compose(parse(compose(parse(RULE), "de")), "de") == RULE


# 6. Made-up folders get a colour from their path -----------------------------------------------


def folder_colors(data: bytes) -> dict[str, str]:
    def walk(codes: tuple[CodebookCode, ...], prefix: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for code in codes:
            path = prefix + code.name
            found[path] = code.color
            found.update(walk(code.children, path + "::"))
        return found

    return walk(read_qdc(data).codebook.codes, "")


def test_adding_a_code_elsewhere_keeps_the_colour_of_made_up_folders():
    family = ("1", "Netzwerk::Familie", "")
    deep = ("2", "Netzwerk::Nachbarn::Streit", "")
    before = folder_colors(qdc(family, deep))
    after = folder_colors(qdc(("9", "Armut", ""), ("8", "Bildung::Kita", ""), family, deep))
    for folder in ("Netzwerk", "Netzwerk::Nachbarn"):
        assert after[folder] == before[folder]
    assert before["Netzwerk::Familie"] == "#a0b0c3"  # real codes keep the colour they have


def test_folder_colour_ignores_case_and_spacing_and_survives_our_round_trip():
    upper = folder_colors(qdc(("1", "NETZWERK :: Familie", "")))
    assert upper["NETZWERK"] == folder_colors(qdc(("1", "Netzwerk::Familie", "")))["Netzwerk"]
    codebook = read_qdc(qdc(("1", "Netzwerk::Familie", ""))).codebook
    back = read_qdc(write_qdc(codebook)).codebook
    assert isinstance(back, Codebook)
    assert back.codes[0].color == codebook.codes[0].color
