"""GUIDs: valid RFC 9562 version 7, increasing within a call, unique across calls."""

import uuid

import pytest

from qda_app.domain.ids import new_guid, new_guids, normalise_guid


def test_guids_are_version_7_in_canonical_lowercase_form():
    for guid in [*new_guids(500), new_guid()]:
        parsed = uuid.UUID(guid)
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122
        assert str(parsed) == guid


def test_guids_of_one_call_increase_so_indexes_grow_at_the_end():
    guids = new_guids(10_000)
    assert guids == sorted(guids)
    assert len(set(guids)) == len(guids)


def test_guids_of_many_calls_in_the_same_millisecond_do_not_collide():
    seen = [guid for _ in range(2_000) for guid in new_guids(5)]
    assert len(set(seen)) == len(seen)


@pytest.mark.parametrize(
    "written",
    [
        "{6F9619FF-8B86-D011-B42D-00C04FC964FF}",
        "6F9619FF-8B86-D011-B42D-00C04FC964FF",
        " 6f9619ff-8b86-d011-b42d-00c04fc964ff ",
    ],
)
def test_guids_of_other_programs_compare_in_one_form(written):
    assert normalise_guid(written) == "6f9619ff-8b86-d011-b42d-00c04fc964ff"


def test_a_non_guid_is_refused():
    with pytest.raises(ValueError, match="not a GUID"):
        normalise_guid("6f9619ff-8b86-d011-b42d")
