"""Hostile or broken codebook files: deep nesting, many codes, damaged archives.

Every one must end in the reader's one-line format error (never RecursionError or a zipfile
exception), or be read in time linear in its size.
"""

import io
import json
import zipfile

import pytest

from qda_app.domain.errors import InvalidInputError
from qda_app.formats.codebook_json import (
    CodebookJsonError,
    read_codebook_json,
    write_codebook_json,
)
from qda_app.formats.refi_codebook import (
    CODEBOOK_NS,
    MAX_CODE_DEPTH,
    PROJECT_NS,
    CodebookFormatError,
    read_qdc,
    write_qdc,
)

DEPTH_MESSAGE = f"codes nested deeper than {MAX_CODE_DEPTH} levels"


def guid(number: int) -> str:
    return f"11111111-1111-4111-8111-{number:012d}"


def nested_qdc(depth: int, root: str = "CodeBook", ns: str = CODEBOOK_NS) -> bytes:
    """`depth` codes, each the only child of the one before."""
    opening = "".join(f'<Code guid="{guid(n)}" name="c{n}" isCodable="true">' for n in range(depth))
    codes = f"<Codes>{opening}{'</Code>' * depth}</Codes>"
    body = codes if root == "CodeBook" else f"<CodeBook>{codes}</CodeBook>"
    return f'<?xml version="1.0" encoding="utf-8"?><{root} xmlns="{ns}">{body}</{root}>'.encode()


def flat_qdc(names: list[str], extra: str = "") -> bytes:
    codes = "".join(
        f'<Code guid="{guid(n)}" name="{name}" isCodable="true" color="#112233"/>'
        for n, name in enumerate(names)
    )
    return f'<CodeBook xmlns="{CODEBOOK_NS}"><Codes>{codes}</Codes>{extra}</CodeBook>'.encode()


def nested_json(depth: int) -> str:
    codes = [
        {"guid": guid(n), "parent": guid(n - 1) if n else None, "name": f"c{n}"}
        for n in range(depth)
    ]
    return json.dumps({"format": "qda-app-codebook", "version": 1, "name": "x", "codes": codes})


def depth_of(codes) -> int:
    depth = 0
    while codes:
        depth += 1
        codes = codes[0].children
    return depth


def assert_one_line(error: Exception) -> None:
    assert isinstance(error, InvalidInputError)
    assert "\n" not in str(error)


# --------------------------------------------------------------------------- depth


@pytest.mark.parametrize(
    "data",
    [
        nested_qdc(3000),
        nested_qdc(MAX_CODE_DEPTH + 1),
        nested_qdc(3000, root="Project", ns=PROJECT_NS),
        # a flat ATLAS.ti-style file whose `Parent::Child` names would make 150 levels
        flat_qdc(["::".join(f"l{level}" for level in range(150))]),
    ],
    ids=["3000-levels", "one-too-deep", "project", "split-names"],
)
def test_too_deeply_nested_qdc_is_refused_with_one_line(data):
    with pytest.raises(CodebookFormatError, match=DEPTH_MESSAGE) as caught:
        read_qdc(data)
    assert_one_line(caught.value)


def test_the_deepest_allowed_codebook_reads_and_round_trips_in_both_formats():
    codebook = read_qdc(nested_qdc(MAX_CODE_DEPTH)).codebook
    assert depth_of(codebook.codes) == MAX_CODE_DEPTH
    assert read_qdc(write_qdc(codebook)).codebook.codes == codebook.codes
    assert read_codebook_json(write_codebook_json(codebook)) == codebook


@pytest.mark.parametrize("depth", [MAX_CODE_DEPTH + 1, 3000])
def test_too_deeply_nested_codebook_json_is_refused_with_one_line(depth):
    with pytest.raises(CodebookJsonError, match=DEPTH_MESSAGE) as caught:
        read_codebook_json(nested_json(depth))
    assert f"code {MAX_CODE_DEPTH + 1} " in str(caught.value)
    assert_one_line(caught.value)


def test_codebook_json_at_the_depth_limit_is_read():
    assert depth_of(read_codebook_json(nested_json(MAX_CODE_DEPTH)).codes) == MAX_CODE_DEPTH


def test_deeply_nested_json_brackets_are_refused_with_one_line():
    brackets = "[" * 100_000 + "]" * 100_000
    document = '{"format": "qda-app-codebook", "codes": ' + brackets + "}"
    with pytest.raises(CodebookJsonError, match="nested too deeply") as caught:
        read_codebook_json(document)
    assert_one_line(caught.value)


def test_deeply_nested_markup_inside_a_description_is_only_text():
    description = "<b>" * 50_000 + "Text" + "</b>" * 50_000
    data = flat_qdc(["x"]).replace(
        b"/></Codes>", f"><Description>{description}</Description></Code></Codes>".encode()
    )
    assert read_qdc(data).codebook.codes[0].description == "Text"


# --------------------------------------------------------------------------- many codes


def test_many_flat_codes_with_split_names_and_a_large_set_are_read_whole():
    """Speed is measured in benchmarks, not here; this checks 40,000 codes come out right."""
    count = 40_000
    names = [f"Gruppe {n % 50}::Code {n}" for n in range(count)]
    members = "".join(f'<MemberCode guid="{guid(n)}"/>' for n in [*range(count), 0, 1])
    code_set = f'<Sets><Set guid="{guid(999_999)}" name="alle">{members}</Set></Sets>'
    codebook = read_qdc(flat_qdc(names, code_set)).codebook
    assert [code.name for code in codebook.codes] == [f"Gruppe {n}" for n in range(50)]
    assert codebook.code_count == count + 50
    assert codebook.codes[3].children[0].name == "Code 3"
    assert codebook.sets[0].member_guids == tuple(guid(n) for n in range(count))


def test_split_names_still_merge_folders_with_real_codes_of_the_same_name():
    names = ["A::x", "A", "A::y", "B", "B", "B::z"]
    codes = read_qdc(flat_qdc(names)).codebook.codes
    assert [(code.name, code.guid) for code in codes] == [
        ("A", guid(1)),
        ("B", guid(3)),
        ("B", guid(4)),
    ]
    assert [child.name for child in codes[0].children] == ["x", "y"]
    assert [child.name for child in codes[1].children] == ["z"]
    assert codes[2].children == ()


# --------------------------------------------------------------------------- damaged archives


def qdpx(patch_flags: int = 0, patch_method: int | None = None, bad_crc: bool = False) -> bytes:
    """A .qdpx whose project member is then damaged in its headers, as zipfile sees them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", nested_qdc(2, root="Project", ns=PROJECT_NS))
    data = bytearray(buffer.getvalue())
    for signature, flag_at, method_at, crc_at in (
        (b"PK\x03\x04", 6, 8, 14),
        (b"PK\x01\x02", 8, 10, 16),
    ):
        start = data.index(signature)
        data[start + flag_at] |= patch_flags
        if patch_method is not None:
            data[start + method_at : start + method_at + 2] = patch_method.to_bytes(2, "little")
        if bad_crc:
            data[start + crc_at] ^= 0xFF
    return bytes(data)


def test_an_intact_qdpx_is_read():
    assert read_qdc(qdpx()).codebook.codes[0].name == "c0"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (qdpx(patch_flags=1), "encrypted or uses an unsupported compression"),
        (qdpx(patch_method=99), "encrypted or uses an unsupported compression"),
        (qdpx(bad_crc=True), "is damaged"),
    ],
    ids=["encrypted", "unknown-compression", "bad-crc"],
)
def test_damaged_qdpx_members_give_one_line_errors(data, message):
    with pytest.raises(CodebookFormatError, match=message) as caught:
        read_qdc(data)
    assert_one_line(caught.value)
