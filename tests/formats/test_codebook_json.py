"""Codebook JSON: a stable, reviewable text form, and clear refusals of broken files."""

import json

import pytest

from qda_app.domain.codebook import Codebook, CodebookCode, CodeSet
from qda_app.domain.errors import InvalidInputError
from qda_app.formats.codebook_json import (
    FORMAT,
    CodebookJsonError,
    read_codebook_json,
    write_codebook_json,
)

G1 = "11111111-1111-4111-8111-111111111111"
G2 = "22222222-2222-4222-8222-222222222222"
S1 = "99999999-9999-4999-8999-999999999999"


def sample() -> Codebook:
    child = CodebookCode(
        G2,
        "Wohnen",
        "#3cb44b",
        "Wohnung „eng“",
        "Enge",
        "Nachbarn",
        ("a", "b"),
        ("Miete",),
        True,
    )
    top = CodebookCode(G1, "Bedarfe", "#e6194b", codable=False, children=(child,))
    return Codebook("Familien", "QDA App", "de", (top,), (CodeSet(S1, "S", "", (G2,)),))


def document(**changes) -> dict:
    data = json.loads(write_codebook_json(sample()))
    data.update(changes)
    return data


def encode(data: dict) -> bytes:
    return json.dumps(data).encode()


def test_layout_is_sorted_indented_flat_and_readable():
    data = write_codebook_json(sample())
    text = data.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "„eng“" in text  # no \\u escapes
    assert text.startswith('{\n  "codes": [\n    {\n      "anchors": [')
    parsed = json.loads(text)
    assert list(parsed) == sorted(parsed)
    assert parsed["format"] == FORMAT and parsed["version"] == 1
    assert [(c["path"], c["parent"]) for c in parsed["codes"]] == [
        ("Bedarfe", None),
        ("Bedarfe/Wohnen", G1),
    ]


def test_round_trip_is_identical():
    data = write_codebook_json(sample())
    assert read_codebook_json(data) == sample()
    assert write_codebook_json(read_codebook_json(data)) == data


def test_optional_keys_may_be_left_out_and_paths_are_not_trusted():
    minimal = {
        "format": FORMAT,
        "version": 1,
        "name": "Hand",
        "codes": [
            {"guid": "{" + G1.upper() + "}", "name": "A"},
            {"guid": G2, "name": "B", "parent": G1, "path": "stale/old path"},
        ],
    }
    codebook = read_codebook_json(encode(minimal))
    assert [e.path for e in codebook.walk()] == ["A", "A/B"]
    assert codebook.codes[0].guid == G1 and codebook.codes[0].codable is True
    assert codebook.sets == () and codebook.language == ""


def broken_codes(*codes) -> dict:
    return document(codes=list(codes), sets=[])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe", "not UTF-8"),
        (b"{", "not JSON"),
        (b"[]", "not a codebook JSON"),
        (encode({"format": "other"}), "not a codebook JSON"),
        (encode(document(version=2)), "newer"),
        (encode(document(version="1")), "wrong type"),
        (encode(document(extra=1)), "unknown key 'extra'"),
        (encode(document(codes=[])), "no codes"),
        (encode(broken_codes({"guid": G1})), "'name' is missing"),
        (encode(broken_codes({"guid": "x", "name": "A"})), "not a GUID"),
        (encode(broken_codes({"guid": G1, "name": "A", "colour": "#fff"})), "unknown key"),
        (encode(broken_codes({"guid": G1, "name": "A", "color": "red"})), "colour"),
        (encode(broken_codes({"guid": G1, "name": "A", "anchors": [1]})), "must be text"),
        (encode(broken_codes({"guid": G1, "name": "A"}, {"guid": G1, "name": "B"})), "twice"),
        (encode(broken_codes({"guid": G2, "name": "B", "parent": G1})), "not listed before"),
        (encode(document(sets=[{"guid": S1, "name": "S", "members": [G1[:-1] + "0"]}])), "unknown"),
    ],
)
def test_broken_files_raise_one_line_errors(data, message):
    with pytest.raises(CodebookJsonError, match=message) as caught:
        read_codebook_json(data)
    assert isinstance(caught.value, InvalidInputError)
    assert "\n" not in str(caught.value)
