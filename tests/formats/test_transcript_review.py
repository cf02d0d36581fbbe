"""Speaker conventions a review found missing: notes in brackets, one-off speakers, "B:text"
without a blank, and role words alone on their line."""

import pytest
from formats_checks import turn_view

from qda_app.formats.readers import read_document


def view(text: str, name: str = "t.txt"):
    return turn_view(read_document(text.encode("utf-8"), name))


def vtt(*cues: str) -> str:
    blocks = [
        f"{n}\n00:00:{2 * n:02d}.000 --> 00:00:{2 * n + 1:02d}.000\n{cue}"
        for n, cue in enumerate(cues, start=1)
    ]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


# 1. A label with a note in brackets ------------------------------------------------------------


def test_role_with_a_note_is_a_speaker_of_its_own():
    text = (
        "I: Wer wohnt bei Ihnen?\nB (Mutter): Ich, mein Mann und die Kinder.\n"
        "I: Und Sie?\nB (Vater): Ich arbeite im Schichtdienst.\nI: Danke."
    )
    document = read_document(text.encode(), "t.txt")
    assert [t[:2] for t in turn_view(document)] == [
        ("i", "Wer wohnt bei Ihnen?"),
        ("bmutter", "Ich, mein Mann und die Kinder."),
        ("i", "Und Sie?"),
        ("bvater", "Ich arbeite im Schichtdienst."),
        ("i", "Danke."),
    ]
    assert [s.label for s in document.speakers] == ["I", "B (Mutter)", "B (Vater)"]


def test_note_spelling_variants_are_one_speaker_and_annotations_are_no_new_speaker():
    text = "I: Hallo.\nB (Mutter): Ja.\nI: Und?\nb(mutter): Gut.\nI: Aha.\nB (lacht): Na ja."
    assert [t[0] for t in view(text)] == ["i", "bmutter", "i", "bmutter", "i", "b"]


def test_name_with_a_time_in_brackets_keeps_the_time():
    text = "Anna (00:01:23): Hallo\nBen (00:01:30): Tag\nAnna (Mutter) (00:02:00): Und?"
    assert view(text) == [
        ("anna", "Hallo", 83_000),
        ("ben", "Tag", 90_000),
        ("annamutter", "Und?", 120_000),
    ]


def test_zoom_cue_label_with_a_note():
    text = vtt(
        "Anna Müller (Jugendamt): Guten Morgen.",
        "Familie Kaya: Ja, gerne.",
        "Anna Müller (Jugendamt): Wie geht es den Kindern?",
        "Familie Kaya: Gut.",
    )
    assert [t[0] for t in view(text, "zoom.vtt")] == [
        "annamüllerjugendamt",
        "familiekaya",
        "annamüllerjugendamt",
        "familiekaya",
    ]


# 2. A named speaker who speaks only once -------------------------------------------------------


def test_person_with_a_title_speaking_once_is_a_speaker():
    text = (
        "Interviewer: Wie geht es Ihnen?\nFrau Yilmaz: Gut, danke.\nInterviewer: Seit wann?\n"
        "Frau Yilmaz: Seit Januar.\nHerr Yilmaz: Und ich arbeite wieder.\nInterviewer: Schön."
    )
    assert [t[:2] for t in view(text)][3:5] == [
        ("frauyilmaz", "Seit Januar."),
        ("herryilmaz", "Und ich arbeite wieder."),
    ]


def test_first_last_once_counts_only_among_named_speakers():
    named = "Anna Müller: Hallo.\nBen Schulz: Tag.\nAnna Müller: Und?\nBen Schulz: Gut.\n"
    assert [t[0] for t in view(named + "Ömer Kaya: Ich auch.")][-1] == "ömerkaya"
    roles = "I: Und dann?\nB: Es ging.\nGroße Sorge: die Miete.\nI: Verstehe.\nB: Ja."
    assert [t[0] for t in view(roles)] == ["i", "b", "i", "b"]
    # A phrase opening with a determiner is no person, even among named speakers.
    assert [t[0] for t in view(named + "Letzte Woche: waren wir da.")][-1] == "benschulz"


def test_one_off_title_needs_a_conversation():
    assert view("Frau Yilmaz: Ich komme morgen.\nBis dann.")[0][0] is None


def test_one_off_cue_label_in_a_zoom_file():
    text = vtt(
        "Anna Müller: Guten Morgen.",
        "Familie Kaya: Ja, gerne.",
        "Anna Müller: Wie geht es den Kindern?",
        "Familie Kaya: Gut, aber die Schule ist schwer.",
        "Ömer Kaya: Ich möchte noch etwas sagen.",
        "Familie Kaya: Mein Mann meint die Hausaufgaben.",
    )
    assert [t[:2] for t in view(text, "zoom.vtt")][4] == (
        "ömerkaya",
        "Ich möchte noch etwas sagen.",
    )


def test_single_cue_label_in_a_mostly_unlabelled_file_stays_text():
    text = vtt("Guten Morgen.", "Wie geht es?", "Frau K: Gut.", "Schön.")
    assert all(turn[0] is None for turn in view(text, "x.vtt"))


# 3. No blank after the colon -------------------------------------------------------------------


def test_label_without_a_blank_after_the_colon_joins_an_accepted_label():
    text = "I: Und das Jugendamt?\nB: Kommt alle zwei Wochen.\nI: Mhm.\nB:Das hilft schon.\nI: Ok."
    assert [t[:2] for t in view(text)][3] == ("b", "Das hilft schon.")
    assert [t[:2] for t in view(text.replace("B:Das", "B:in der Schule"))][3][0] == "b"


@pytest.mark.parametrize(
    "line",
    [
        "Lehrer:innen helfen kaum.",  # gender-neutral spelling, not a label
        "https://example.org/antrag",
        "Um 12:30 Uhr: Essen.",
        "Frau:Text",  # tight, and "Frau" is no accepted label
    ],
)
def test_text_with_a_tight_colon_stays_in_the_turn(line):
    text = f"I: Wer hilft?\nB: Niemand.\n{line}\nI: Verstehe.\nB: Ja."
    assert [t[0] for t in view(text)] == ["i", "b", "i", "b"]


def test_tight_labels_alone_never_make_a_conversation():
    text = "Lehrer:innen helfen.\nLehrer:innen fehlen.\nKita:Plätze fehlen.\nKita:Plätze gibt es."
    assert all(turn[0] is None for turn in view(text))


# 4. A role word alone on its line --------------------------------------------------------------


def test_role_words_alone_on_their_line_are_labels():
    text = (
        "Interviewer\nWie geht es Ihnen heute?\n\nMutter\nEs geht so. Die Kinder sind krank.\n\n"
        "Interviewer\nDas tut mir leid.\n\nMutter\nDanke."
    )
    document = read_document(text.encode(), "t.txt")
    assert turn_view(document) == [
        ("interviewer", "Wie geht es Ihnen heute?", None),
        ("mutter", "Es geht so. Die Kinder sind krank.", None),
        ("interviewer", "Das tut mir leid.", None),
        ("mutter", "Danke.", None),
    ]
    assert document.notes == ()


@pytest.mark.parametrize(
    "text",
    [
        "Mutter\nSie kam spät.\n\nDas war schwer.",  # only once
        "Kind\nEs schläft.\n\nKind\nEs spielt.",  # one role word twice: a heading
        "Familie:\nMutter\nVater\nKind\n\nAlle wohnen zusammen.",  # a list, no text below
        "Interviewer\n\nWie geht es?\n\nMutter\n\nGut.",  # nothing directly below
    ],
)
def test_role_words_on_their_own_line_that_are_no_convention_stay_text(text):
    assert all(turn[0] is None for turn in view(text))


def test_running_text_still_has_no_speakers_with_one_off_forms():
    text = "Das Problem: wir haben kein Geld.\nAlso: so.\nDatum: 12.05.2023\nUm 12:30 Uhr: Essen."
    assert all(turn[0] is None for turn in view(text))
