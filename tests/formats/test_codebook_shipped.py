"""The codebooks that ship with the program are complete, valid and built from their JSON."""

import importlib.util
from pathlib import Path

import pytest
import xmlschema

from qda_app.formats.codebook_json import read_codebook_json
from qda_app.formats.refi_codebook import read_qdc, schema_path

CODEBOOKS = Path(__file__).resolve().parents[2] / "codebooks"
BOOKS = {"familien-lebenslagen.de": "de", "family-circumstances.en": "en"}


def load(stem: str):
    return read_codebook_json((CODEBOOKS / f"{stem}.json").read_bytes())


@pytest.mark.parametrize("stem", BOOKS)
def test_qdc_is_schema_valid_and_equals_its_json_source(stem):
    data = (CODEBOOKS / f"{stem}.qdc").read_bytes()
    xmlschema.XMLSchema10(schema_path("Codebook.xsd")).validate(data)
    source = load(stem)
    result = read_qdc(data, name=source.name)
    assert result.warnings == ()
    assert result.codebook == source
    assert source.language == BOOKS[stem]


def test_generated_files_are_up_to_date():
    spec = importlib.util.spec_from_file_location("codebook_build", CODEBOOKS / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.main(["--check"]) == 0


@pytest.mark.parametrize("stem", BOOKS)
def test_every_codable_code_is_fully_defined(stem):
    codebook = load(stem)
    entries = list(codebook.walk())
    assert 30 <= len(entries) <= 45
    assert all(not e.code.codable for e in entries if e.depth == 0)
    for entry in entries:
        code = entry.code
        assert code.description, entry.path
        if not code.codable:
            continue
        assert code.inclusion and code.exclusion, entry.path
        assert len(code.anchors) == 2 and all(len(a) > 30 for a in code.anchors), entry.path
        assert len(code.keywords) >= 4 and len(set(code.keywords)) == len(code.keywords)
    paths = [e.path_key for e in entries]
    assert len(set(paths)) == len(paths)
    members = {guid for code_set in codebook.sets for guid in code_set.member_guids}
    assert members and all(codebook.find(guid).codable for guid in members)


def test_german_keywords_and_language_specific_guids():
    german, english = load("familien-lebenslagen.de"), load("family-circumstances.en")
    assert [e.depth for e in german.walk()] == [e.depth for e in english.walk()]
    assert not set(german.entries_by_guid()) & set(english.entries_by_guid())
    keywords = {k for e in german.walk() for k in e.code.keywords}
    assert {"Miete", "Kitaplatz", "Jugendamt", "Dolmetscher"} <= keywords
    assert german.find_path("zugangsbarrieren/ scham und stigma") is not None
    assert english.find_path("Barriers/Shame and stigma") is not None
