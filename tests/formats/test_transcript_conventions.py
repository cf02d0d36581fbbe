"""Speaker and timestamp conventions, each written the way the tool writes it."""

import pytest
from formats_checks import turn_view

from qda_app.domain.errors import InvalidInputError
from qda_app.formats.readers import read_document


def parse(text: str, pattern: str | None = None):
    return read_document(text.encode("utf-8"), "t.txt", speaker_pattern=pattern)


def view(text: str, pattern: str | None = None):
    return turn_view(parse(text, pattern))


def test_german_roles_multiline_turns_and_f4_marks_at_the_end():
    text = (
        "I: Wie geht es Ihnen? #00:00:05-2#\n"
        "B1: Gut. Das Problem: wir haben kein Geld.\n"
        "Und die Kita ist weit weg. #00:00:12-5#\n"
        "IP: Darf ich? #00:01:00-0#\n"
        "I: Bitte.\n"
        "B1: Danke.\n"
    )
    assert view(text) == [
        ("i", "Wie geht es Ihnen? #00:00:05-2#", 5_200),
        (
            "b1",
            "Gut. Das Problem: wir haben kein Geld.\nUnd die Kita ist weit weg. #00:00:12-5#",
            12_500,
        ),
        ("ip", "Darf ich? #00:01:00-0#", 60_000),
        ("i", "Bitte.", None),
        ("b1", "Danke.", None),
    ]


def test_turn_span_covers_the_label_and_text_start_follows_it():
    document = parse("Interviewerin: Hallo!\nMutter: Guten Tag.\nInterviewerin: Gut.\nMutter: Ja.")
    first = document.turns[0]
    assert (first.start, first.text_start, first.end) == (0, 15, 21)
    assert [s.label for s in document.speakers] == ["Interviewerin", "Mutter"]


def test_label_alone_on_its_line_with_the_text_below():
    text = "I:\nWie war das?\n\nB:\nSchwierig.\nSehr.\n\nI:\nDanke.\n\nB:\nGern."
    assert view(text)[:2] == [("i", "Wie war das?", None), ("b", "Schwierig.\nSehr.", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Anna (00:01:23): Hallo\nBen (00:01:30): Tag\nAnna (00:02:00): Und?",
            [("anna", "Hallo", 83_000), ("ben", "Tag", 90_000), ("anna", "Und?", 120_000)],
        ),
        (
            "00:01:23 Anna: Hallo\n00:01:30 Ben: Tag\n00:02:00 Anna: Und?",
            [("anna", "Hallo", 83_000), ("ben", "Tag", 90_000), ("anna", "Und?", 120_000)],
        ),
        (
            "[00:00:01] I: Hallo\n[00:00:04] B: Tag\n(00:00:09) I: Und?",
            [("i", "Hallo", 1_000), ("b", "Tag", 4_000), ("i", "Und?", 9_000)],
        ),
        (  # Otter: name and time on their own line, MM:SS, then H:MM:SS after an hour
            "Anna Schmidt  0:03\nHallo zusammen.\n\nBen  59:58\nTag.\n\n"
            "Anna Schmidt  1:00:07\nUnd?",
            [
                ("annaschmidt", "Hallo zusammen.", 3_000),
                ("ben", "Tag.", 3_598_000),
                ("annaschmidt", "Und?", 3_607_000),
            ],
        ),
        (  # Sonix / Trint
            "[00:00:00] Speaker 1\nGuten Morgen.\n\n[00:00:05] Speaker 2\nMorgen.\n\n"
            "[00:00:09] Speaker 1\nLos geht's.",
            [
                ("speaker1", "Guten Morgen.", 0),
                ("speaker2", "Morgen.", 5_000),
                ("speaker1", "Los geht's.", 9_000),
            ],
        ),
        (  # noScribe, with overlapping speech inline
            "S01: [00:00:12] Wir wohnen hier //S02: seit wann? // seit drei Jahren.\n\n"
            "S02: [00:00:20] Aha.\n\nS01: [00:00:25] Ja.",
            [
                ("s01", "Wir wohnen hier //S02: seit wann? // seit drei Jahren.", 12_000),
                ("s02", "Aha.", 20_000),
                ("s01", "Ja.", 25_000),
            ],
        ),
        (  # WhisperX
            "SPEAKER_00: Hallo.\nSPEAKER_01: Hi.\nSPEAKER_00: Los.",
            [
                ("speaker00", "Hallo.", None),
                ("speaker01", "Hi.", None),
                ("speaker00", "Los.", None),
            ],
        ),
        (  # bracketed names, with and without text on the line
            "[Mutter] Wir brauchen Hilfe.\n[Vater]\nJa.\n[Mutter] Wirklich.",
            [
                ("mutter", "Wir brauchen Hilfe.", None),
                ("vater", "Ja.", None),
                ("mutter", "Wirklich.", None),
            ],
        ),
    ],
    ids=[
        "name-paren-time",
        "time-name",
        "bracket-time",
        "otter",
        "sonix",
        "noscribe",
        "whisperx",
        "bracket-name",
    ],
)
def test_tool_conventions(text, expected):
    assert view(text) == expected


def test_label_variants_are_one_speaker_and_the_first_spelling_is_kept():
    document = parse("Interviewer1: a\nB: b\nInterviewer 1: c\nB: d\nINTERVIEWER 1: e")
    assert [(s.key, s.label) for s in document.speakers] == [
        ("interviewer1", "Interviewer1"),
        ("b", "B"),
    ]
    assert [t.speaker for t in document.turns] == [
        "interviewer1",
        "b",
        "interviewer1",
        "b",
        "interviewer1",
    ]


def test_legend_line_is_no_turn_but_names_the_speakers():
    text = "(S = Student; I = Interviewer)\n\nI: Hallo.\nS: Hi.\nI: Gut.\nS: Ja."
    document = parse(text)
    assert [(s.key, s.name) for s in document.speakers] == [("i", "Interviewer"), ("s", "Student")]
    assert document.turns[0].speaker is None  # the legend stays a speaker-less preamble
    assert [t.speaker for t in document.turns[1:]] == ["i", "s", "i", "s"]


@pytest.mark.parametrize(
    "text",
    [
        "Das Problem: wir haben kein Geld.\nDas ist so.\nDas Problem: die Miete steigt.",
        "Also: wir waren da.\nAlso: es ging.\nAber: nicht lange.",
        "Sehr geehrte Damen und Herren,\nhier der Bericht.\nDatum: 12.05.2023\nOrt: Kassel",
        "Siehe https://example.org und\nhttps://example.com für Details.",
        "Um 12:30 Uhr: Essen.\nUm 13:30 Uhr: Schlaf.",
    ],
)
def test_running_text_is_not_read_as_speakers(text):
    document = parse(text)
    assert document.speakers == ()
    assert all(turn.speaker is None for turn in document.turns)


def test_a_one_off_colon_phrase_inside_a_conversation_stays_text():
    text = "I: Und dann?\nB: Es ging.\nDas Problem: kein Geld.\nI: Verstehe.\nB: Ja."
    assert [t[0] for t in view(text)] == ["i", "b", "i", "b"]
    assert "Das Problem: kein Geld." in view(text)[1][1]


def test_header_before_the_first_turn_is_a_speakerless_turn():
    text = "Interview 3, Familie K.\nDatum: 12.05.2023\n\nI: Hallo\nB: Tag\nI: Tschüss\nB: Ade"
    turns = view(text)
    assert turns[0] == (None, "Interview 3, Familie K.\nDatum: 12.05.2023", None)
    assert [t[0] for t in turns[1:]] == ["i", "b", "i", "b"]


def test_user_pattern_overrides_detection():
    text = "<<Anna|00:00:05>> Hallo\n<<Ben|00:00:07>> Tag\nZweite Zeile\n<<Anna|00:00:09>> Ok"
    assert view(text, r"<<(?P<speaker>\w+)\|(?P<time>[\d:]+)>>\s*") == [
        ("anna", "Hallo", 5_000),
        ("ben", "Tag\nZweite Zeile", 7_000),
        ("anna", "Ok", 9_000),
    ]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [("(?P<speaker>", "not a valid regular expression"), (r"(\w+):", "named group")],
)
def test_bad_user_pattern_is_a_clear_error(pattern, message):
    with pytest.raises(InvalidInputError, match=message):
        parse("A: x\nB: y", pattern)


def test_pdf_style_margin_numbers_and_one_word_per_line_are_repaired():
    from qda_app.formats.readers.pdf_reader import join_single_words, strip_margin_numbers

    numbered = "\n".join(
        f"{n} {line}"
        for n, line in enumerate(
            ["I: Wie", "geht es?", "B: Gut", "danke.", "I: Und", "sonst?", "B: Alles", "gut."],
            start=1,
        )
    )
    assert strip_margin_numbers(numbered).split("\n")[:2] == ["I: Wie", "geht es?"]
    words = "I:\nWie\ngeht\nes\nIhnen?\nB:\nGut,\ndanke.\nI:\nSchön."
    assert join_single_words(words) == "I: Wie geht es Ihnen?\nB: Gut, danke.\nI: Schön."
    assert strip_margin_numbers("3 Kinder\n2 Erwachsene") == "3 Kinder\n2 Erwachsene"
