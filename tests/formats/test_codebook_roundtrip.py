"""Random codebook trees survive .qdc and JSON round trips; odd text settles after one pass."""

import xmlschema
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qda_app.domain.codebook import Codebook, CodebookCode, CodeSet
from qda_app.formats.codebook_json import read_codebook_json, write_codebook_json
from qda_app.formats.codebook_text import DefinitionParts, survives_description
from qda_app.formats.refi_codebook import read_qdc, schema_path, write_qdc

SCHEMA = xmlschema.XMLSchema10(schema_path("Codebook.xsd"))
WORD = st.text(
    alphabet=st.characters(
        categories=("L", "N", "P", "S"), exclude_characters=",;", max_codepoint=0x1F600
    ),
    min_size=1,
    max_size=8,
)
PHRASE = st.lists(WORD, min_size=1, max_size=5).map(" ".join)
PARAGRAPHS = st.lists(PHRASE, max_size=3).map(lambda lines: "\n".join(lines))
GUIDS = st.uuids().map(str)
COLORS = st.from_regex(r"#[0-9a-f]{6}", fullmatch=True)


@st.composite
def codes(draw, depth: int = 0) -> CodebookCode:
    children = draw(st.lists(codes(depth + 1), max_size=3)) if depth < 2 else []
    return CodebookCode(
        guid=draw(GUIDS),
        name=draw(PHRASE),
        color=draw(COLORS),
        description=draw(PARAGRAPHS),
        inclusion=draw(PARAGRAPHS),
        exclusion=draw(PARAGRAPHS),
        anchors=tuple(
            draw(
                st.lists(
                    PHRASE.filter(lambda p: not p.startswith(("-", "•", "*", "–"))), max_size=3
                )
            )
        ),
        keywords=tuple(draw(st.lists(PHRASE, max_size=4))),
        codable=draw(st.booleans()),
        children=tuple(children),
    )


@st.composite
def codebooks(draw) -> Codebook:
    top = draw(st.lists(codes(), min_size=1, max_size=3))
    guids = [code.guid for root in top for code in _flatten(root)]
    assume(len(set(guids)) == len(guids))
    for code in (c for root in top for c in _flatten(root)):
        parts = DefinitionParts(
            code.description, code.inclusion, code.exclusion, code.anchors, code.keywords
        )
        assume(survives_description(parts, "de"))
    members = draw(st.lists(st.sampled_from(guids), unique=True, max_size=4))
    sets = (CodeSet(draw(GUIDS), draw(PHRASE), draw(PHRASE), tuple(members)),) if members else ()
    assume(all(s.guid not in guids for s in sets))
    return Codebook(name="Zufall", origin="QDA App", language="de", codes=tuple(top), sets=sets)


def _flatten(code: CodebookCode):
    yield code
    for child in code.children:
        yield from _flatten(child)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(codebooks())
def test_qdc_round_trip_keeps_everything(codebook):
    data = write_qdc(codebook)
    SCHEMA.validate(data)
    result = read_qdc(data, name="Zufall", language="de")  # no slot for it without criteria
    assert result.warnings == ()
    assert result.codebook == codebook
    assert write_qdc(result.codebook) == data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(codebooks())
def test_json_round_trip_keeps_everything(codebook):
    data = write_codebook_json(codebook)
    assert read_codebook_json(data) == codebook
    assert write_codebook_json(read_codebook_json(data)) == data


ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=100, deadline=None)
@given(
    description=ANY_TEXT,
    inclusion=ANY_TEXT,
    anchors=st.lists(ANY_TEXT, max_size=3),
    keywords=st.lists(ANY_TEXT, max_size=3),
)
def test_any_text_settles_after_one_pass(description, inclusion, anchors, keywords):
    """Text we cannot keep exactly (keywords with commas, headings inside a definition, ...)
    is normalised once by the first import; from then on the file no longer changes."""
    code = CodebookCode(
        "11111111-1111-4111-8111-111111111111",
        "Code",
        description=description,
        inclusion=inclusion,
        anchors=tuple(anchors),
        keywords=tuple(keywords),
    )
    once = read_qdc(write_qdc(Codebook("x", "QDA App", "en", (code,)))).codebook
    twice = read_qdc(write_qdc(once)).codebook
    assert write_qdc(twice) == write_qdc(once)
