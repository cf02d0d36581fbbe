import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qda_app.domain.errors import InvalidInputError
from qda_app.domain.parsed import ParsedSpeaker
from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.pseudonymise import propose_pseudonyms, pseudonymise, read_pseudonym_csv

MAPPING = {"Müller": "Schmidt", "Anna Müller": "Eva Roth", "Klein": "Groß", "Hans": "Jan"}


def test_whole_words_case_and_genitive():
    text = "Frau Müller sagt: MÜLLERS Kinder, Müllers Hund, Müller's Auto. Müllerin bleibt."
    assert pseudonymise(text, MAPPING).text == (
        "Frau Schmidt sagt: SCHMIDTS Kinder, Schmidts Hund, Schmidt's Auto. Müllerin bleibt."
    )


def test_longest_name_wins_and_spaces_may_vary():
    assert pseudonymise("Anna  Müller und Müller", MAPPING).text == "Eva Roth und Schmidt"


def test_lower_case_occurrence_of_a_capitalised_name_is_an_ordinary_word():
    assert pseudonymise("Klein war das Kind, klein die Wohnung.", MAPPING).text == (
        "Groß war das Kind, klein die Wohnung."
    )


def test_genitive_after_a_sibilant_pseudonym_uses_an_apostrophe():
    assert pseudonymise("Müllers Wohnung", {"Müller": "Hans"}).text == "Hans' Wohnung"


def test_spans_inside_names_snap_outwards_and_others_shift():
    text = "Ich, Müller, und Hans."
    result = pseudonymise(text, MAPPING)
    assert result.text == "Ich, Schmidt, und Jan."
    offsets = result.offsets
    assert result.text[slice(*offsets.map_span(7, 9))] == "Schmidt"  # "ll" inside Müller
    assert result.text[slice(*offsets.map_span(0, 3))] == "Ich"
    assert result.text[slice(*offsets.map_span(13, 22))] == "und Jan."
    assert result.text[slice(*offsets.map_span(5, 11))] == "Schmidt"


def test_empty_pseudonym_is_rejected():
    with pytest.raises(InvalidInputError, match="non-empty pseudonym"):
        pseudonymise("x", {"Müller": " "})


NAMES = {"Müller": "Schmidt", "Ali": "Benjamin", "Jo Li": "X", "Oz": "Ozzy-Ozbourne"}
FILLERS = ["und", "die", "Kita", "ist", "weit", ",", ".", "MÜLLER", "Alibi", "müller"]


@st.composite
def documents(draw):
    tokens = draw(st.lists(st.sampled_from([*NAMES, *FILLERS]), min_size=1, max_size=30))
    separators = draw(
        st.lists(
            st.sampled_from([" ", "  ", "\n", " - "]), min_size=len(tokens), max_size=len(tokens)
        )
    )
    text, spans = "", []
    for token, separator in zip(tokens, separators, strict=True):
        spans.append((len(text), len(text) + len(token), token))
        text += token + separator
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return text, spans, start, end


def expected_token(token: str) -> str:
    if token in NAMES:
        return NAMES[token]
    return "SCHMIDT" if token == "MÜLLER" else token


@settings(max_examples=300, deadline=None)
@given(documents())
def test_mapped_spans_cover_the_same_words(case):
    text, spans, start, end = case
    result = pseudonymise(text, NAMES)
    offsets = result.offsets
    new_start, new_end = offsets.map_span(start, end)
    assert 0 <= new_start <= new_end <= len(result.text)
    for old_start, old_end, token in spans:
        token_start, token_end = offsets.map_span(old_start, old_end)
        assert result.text[token_start:token_end] == expected_token(token)
        inside = start <= old_start and old_end <= end
        touches_name = token in NAMES or token == "MÜLLER"
        overlaps = old_start < end and start < old_end
        if inside or (touches_name and overlaps):
            assert new_start <= token_start and token_end <= new_end, (token, start, end)
        elif not overlaps:
            assert token_end <= new_start or new_end <= token_start or token_start == token_end


def test_propose_pseudonyms_skips_role_labels_and_is_deterministic():
    speakers = [
        ParsedSpeaker("i", "I"),
        ParsedSpeaker("annak", "Anna K"),
        ParsedSpeaker("m", "Mutter"),
        ParsedSpeaker("ben", "Ben"),
        ParsedSpeaker("s00", "SPEAKER_00"),
    ]
    assert propose_pseudonyms(speakers) == {"Anna K": "Person A", "Ben": "Person B"}
    many = propose_pseudonyms([f"Name{index}x" for index in range(28)])
    assert list(many.values())[25:] == ["Person Z", "Person AA", "Person AB"]


@pytest.mark.parametrize(
    "data",
    [
        "name,pseudonym\nMüller,Schmidt\nAnna,Eva\n".encode(),
        b"\xef\xbb\xbf" + "Name;Pseudonym\r\nMüller;Schmidt\r\nAnna;Eva\r\n".encode(),
        "Müller;Schmidt\nAnna;Eva;\n".encode("cp1252"),
        "Müller\tSchmidt\nAnna\tEva\n".encode("utf-16"),
    ],
)
def test_read_pseudonym_csv_in_the_usual_shapes(data):
    assert read_pseudonym_csv(data, "map.csv") == {"Müller": "Schmidt", "Anna": "Eva"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"name,pseudonym\n", "pseudonym list is empty"),
        (b"A,B,C\n", "row 1 needs exactly two cells"),
        (b"A,B\nA,C\n", "two different pseudonyms"),
    ],
)
def test_bad_pseudonym_csv(data, message):
    with pytest.raises(UnreadableFileError, match=message):
        read_pseudonym_csv(data, "map.csv")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Interview_Müller", "Interview_Schmidt"),
        ("Müller_2: Ja.", "Schmidt_2: Ja."),
        ("Akte_Müllers_alt", "Akte_Schmidts_alt"),
        ("Müller2 und Müllerin", "Müller2 und Müllerin"),  # a letter or digit touches: no name
    ],
)
def test_underscore_is_a_boundary_but_letters_and_digits_are_not(text, expected):
    assert pseudonymise(text, {"Müller": "Schmidt"}).text == expected


def test_names_whose_case_folding_differs_from_case_insensitive_matching():
    mapping = {"İlker": "Jan", "Anna": "Eva"}
    text = "İlker, ILKER und İlkers Schwester Anna"
    assert pseudonymise(text, mapping).text == "Jan, JAN und Jans Schwester Eva"


def test_decomposed_names_and_pseudonyms_match_composed_text():
    nfd = unicodedata.normalize("NFD", "Müller")
    assert nfd != "Müller"
    result = pseudonymise("Frau Müller kommt.", {nfd: unicodedata.normalize("NFD", "Jürgens")})
    assert result.text == "Frau " + unicodedata.normalize("NFC", "Jürgens") + " kommt."


def test_one_name_in_two_normal_forms_with_two_pseudonyms_is_refused():
    nfd = unicodedata.normalize("NFD", "Müller")
    with pytest.raises(InvalidInputError, match="two different pseudonyms"):
        pseudonymise("Müller", {"Müller": "Schmidt", nfd: "Roth"})


def test_proposals_skip_pseudonyms_that_are_already_given():
    given_ = {"Anna": "Person B"}
    proposals = propose_pseudonyms(["Ben", "Carla"], taken=given_.values())
    assert set(proposals.values()).isdisjoint(given_.values())
    assert len(set(proposals.values())) == len(proposals) == 2
