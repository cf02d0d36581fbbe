"""The codebook value types refuse what would break writers and merges later."""

import pytest

from qda_app.domain.codebook import Codebook, CodebookCode, CodeSet, name_key, palette_color
from qda_app.domain.errors import InvalidInputError

G1 = "11111111-1111-4111-8111-111111111111"
G2 = "22222222-2222-4222-8222-222222222222"


def test_walk_gives_paths_parents_and_depths_in_tree_order():
    tree = CodebookCode(G1, "Bedarfe", children=(CodebookCode(G2, "Wohnen"),))
    codebook = Codebook("b", codes=(tree,))
    entries = list(codebook.walk())
    assert [(e.path, e.parent_guid, e.depth) for e in entries] == [
        ("Bedarfe", None, 0),
        ("Bedarfe/Wohnen", G1, 1),
    ]
    assert codebook.find("{" + G2.upper() + "}").name == "Wohnen"
    assert codebook.find_path(" bedarfe / WOHNEN ").guid == G2
    assert codebook.find_path("Bedarfe/Geld") is None
    assert codebook.code_count == 2
    assert name_key("  Zeit   und Entlastung ") == name_key("zeit und entlastung")
    assert palette_color(0) == palette_color(16) != palette_color(1)


@pytest.mark.parametrize(
    "make",
    [
        lambda: CodebookCode("aaaaaaaa-1111-4111-8111-11111111111A", "A"),
        lambda: CodebookCode("{" + G1 + "}", "A"),
        lambda: CodebookCode("x", "A"),
        lambda: CodebookCode(G1, "  "),
        lambda: CodebookCode(G1, "A", color="#ABCDEF"),
        lambda: CodebookCode(G1, "A", color="#abc"),
        lambda: CodeSet(G1, "S", member_guids=("nope",)),
        lambda: Codebook("b", codes=(CodebookCode(G1, "A"), CodebookCode(G1, "B"))),
        lambda: Codebook("b", codes=(CodebookCode(G1, "A"),), sets=(CodeSet(G2, "S", "", (G2,)),)),
    ],
)
def test_unsound_values_are_refused(make):
    with pytest.raises(InvalidInputError):
        make()
