"""Speakers in every public transcript style, measured against the labels of transcripts generated here
(names, titles, order and lengths vary with the seed): public inquiry days (official, .rst, .md,
.docx), London Assembly, Commons select committees (Q numbers) and Hansard."""

from __future__ import annotations

import json
import random
import re

import pytest
from transcript_styles import (
    FIRST_NAMES,
    SURNAMES,
    accuracy,
    commons,
    hansard,
    inquiry_day,
    london_assembly,
    speech,
)

from pcc_desk.importers.transcript import parse_transcript, parse_transcript_text
from pcc_desk.speakers import split_label

SEEDS = range(6)
PROCEDURAL = re.compile(r"continued|sworn|affirmed|recalled", re.IGNORECASE)


def _write_docx(path, text: str) -> None:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n\n"):
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())
    document.save(path)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("style, suffix", [("official", ".txt"), ("rst", ".rst"), ("md", ".md")])
def test_every_turn_of_a_public_inquiry_day_has_its_speaker(tmp_path, style, suffix, seed):
    day = inquiry_day(seed, style)
    path = tmp_path / f"covid-inquiry-2023-11-28{suffix}"
    path.write_text(day.text, encoding="utf-8")
    parsed = parse_transcript(path)
    assert len(day.labels) >= 13
    share, wrong = accuracy(parsed.segments, day)
    assert wrong == [] and share == 1.0
    assert len(parsed.segments) == len(day.turns)
    assert not [s.role for s in parsed.segments if PROCEDURAL.search(s.role)]


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_an_inquiry_day_in_word_reads_like_its_text(tmp_path, seed):
    day = inquiry_day(seed, "official")
    path = tmp_path / "hearing-2023-11-28.docx"
    _write_docx(path, day.text)
    share, wrong = accuracy(parse_transcript(path).segments, day)
    assert wrong == [] and share == 1.0


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("style", ["official", "rst"])
def test_a_witness_continuing_from_the_day_before_is_the_witness_not_a_role(style, seed):
    day = inquiry_day(seed, style)
    suffix = ".rst" if style == "rst" else ".txt"
    parsed = parse_transcript_text(day.text, f"hearing-2023-11-28{suffix}")
    line = next(t for t in day.text.split("\n") if "(continued)." in t)
    witness = line.strip("*").removesuffix(" (continued).")
    answers = [
        s
        for s, turn in zip(parsed.segments, day.turns, strict=True)
        if turn.expected.lower() == witness.lower()
    ]
    assert len(answers) > 20
    names = {s.speaker_name for s in answers}
    # the labels' own form of the name (mixed case when the labels have it), never the role "continued"
    assert names == {witness if style == "official" else day_name(day, witness)}
    assert {s.role for s in answers} == {"Witness"}


def day_name(day, witness: str) -> str:
    return next(t.expected for t in day.turns if t.expected.lower() == witness.lower())


@pytest.mark.parametrize("seed", range(8))
def test_a_ms_who_speaks_once_is_a_speaker_and_keeps_her_title(seed):
    rng = random.Random(seed)
    surname = rng.choice(SURNAMES)
    first = rng.choice(FIRST_NAMES)
    caps = seed % 2 == 0
    ms = f"MS {surname.upper()}" if caps else f"Ms {surname}"
    chair = "LADY HALLETT" if caps else "Lady Hallett"
    counsel = "MR KEITH" if caps else "Mr Keith"
    said = [speech(rng, 2) for _ in range(5)]
    first_turn = seed % 4 < 2  # she speaks first (her words used to vanish) or in the middle
    turns = (
        [(ms, said[0]), (chair, said[1]), (counsel, said[2])]
        if first_turn
        else [(chair, said[0]), (ms, said[1]), (counsel, said[2])]
    )
    full = f"MS {first.upper()} {surname.upper()}" if caps else f"Ms {first} {surname}"
    turns += [(full, said[3]), (chair, said[4])]
    text = "Thursday, 30 November 2023\n\n(10.00 am)\n\n" + "\n\n".join(
        f"{label}: {words}" for label, words in turns
    )
    parsed = parse_transcript_text(text, "hearing.txt")
    assert [s.text for s in parsed.segments] == [words for _, words in turns]
    # the short form is the one person named in full with that surname
    assert [s.speaker_name for s in parsed.segments] == [
        full if label == ms else label for label, _ in turns
    ]


@pytest.mark.parametrize(
    "written, name, role",
    [
        ("Ms Carey", "Ms Carey", ""),
        ("MS CAREY", "MS CAREY", ""),
        ("Ms Sen Gupta KC", "Ms Sen Gupta", ""),
        ("Mark Drakeford MS", "Mark Drakeford", ""),
        ("Q7 Ms Diane Abbott", "Ms Diane Abbott", ""),
        ("MR MATT HANCOCK (continued)", "MR MATT HANCOCK", ""),
        ("Mr Keith (via video link)", "Mr Keith", ""),
        ("The Prime Minister (Rishi Sunak)", "Rishi Sunak", "Prime Minister"),
        ("Madam Deputy Speaker (Dame Rosie Winterton)", "Dame Rosie Winterton", "Deputy Speaker"),
        (
            "Sir Keir Starmer (Holborn and St Pancras) (Lab)",
            "Sir Keir Starmer",
            "Holborn and St Pancras (Lab)",
        ),
        (
            "The Minister of State, Home Office (Lord Hanson of Flint) (Lab)",
            "Lord Hanson of Flint",
            "Minister of State, Home Office (Lab)",
        ),
        (
            "The Commissioner (Metropolitan Police Service)",
            "The Commissioner",
            "Metropolitan Police Service",
        ),
    ],
)
def test_titles_before_a_name_stay_and_letters_after_it_go(written, name, role):
    label = split_label(written)
    assert (label.name, label.role) == (name, role)


def test_ms_after_a_name_is_a_member_of_the_senedd_and_mlas_and_msps_too():
    text = (
        "Senedd Equality and Social Justice Committee – 12 October 2022\n\n"
        "Jenny Rathbone MS (Chair): Welcome.\n\nMark Drakeford MS: Thank you.\n\n"
        "Ms Rathbone: And to you.\n\nKaren Adams MSP: A word from Holyrood.\n\n"
        "Naomi Long MLA: And from Stormont.\n"
    )
    segments = parse_transcript_text(text, "t.txt").segments
    assert [(s.speaker_name, s.role) for s in segments] == [
        ("Jenny Rathbone", "Chair"),
        ("Mark Drakeford", "Member of the Senedd"),
        ("Jenny Rathbone", "Chair"),
        ("Karen Adams", "Member of the Scottish Parliament"),
        ("Naomi Long", "Member of the Legislative Assembly"),
    ]


@pytest.mark.parametrize(
    "header",
    [
        ["Tuesday, 28 November 2023", "(10.00 am)"],
        ["(10.00 am)", "Tuesday, 28 November 2023"],
        [
            "Tuesday, 28 November 2023",
            "(11.00 am)",
            "MR MATT HANCOCK (continued).",
            "Questions from LEAD COUNSEL TO THE INQUIRY (continued)",
        ],
        ["Tuesday, 28 November 2023", "(2.00 pm)", "(A short break)"],
        ["*(10.30 am)*", "Tuesday 28 November 2023"],
    ],
)
def test_the_title_of_an_inquiry_day_is_never_a_time_marker_or_a_procedural_line(header):
    body = "LADY HALLETT: Mr Keith.\n\nMR KEITH: Thank you, my Lady.\n"
    parsed = parse_transcript_text("\n".join(header) + "\n\n" + body, "covid-inquiry-day-12.md")
    assert parsed.title == "Covid inquiry day 12"
    assert [s.speaker_name for s in parsed.segments] == ["LADY HALLETT", "MR KEITH"]


def test_questions_and_answers_go_to_counsel_and_the_witness_called():
    text = (
        "Thursday, 30 November 2023\n(10.00 am)\n"
        "LADY HALLETT: Mr Keith.\n"
        "MR KEITH: May I call Professor Dame Angela McLean.\n"
        "PROFESSOR DAME ANGELA McLEAN (sworn)\n"
        "Questions from LEAD COUNSEL TO THE INQUIRY\n"
        "MR KEITH: Could you give the Inquiry your full name, please.\n"
        "A. Angela Ruth McLean.\n"
        "Q. Thank you. You were the chief scientific adviser?\n"
        "A. I was.\n"
        "LADY HALLETT: A question from me.\n"
        "THE WITNESS: Of course.\n"
        "LADY HALLETT: Thank you.\n"
        "Q. Turning to March, what did you advise?\n"
        "A. We advised earlier action.\n"
        "(11.15 am)\n(A short break)\n(11.30 am)\n"
        "Questions from MS MORRIS\n"
        "Q. Professor, on care homes.\n"
        "A. Yes.\n"
    )
    segments = parse_transcript_text(text, "inquiry-2023-11-30.txt").segments
    assert [(s.speaker, s.speaker_name) for s in segments] == [
        ("LADY HALLETT", "LADY HALLETT"),
        ("MR KEITH", "MR KEITH"),
        ("MR KEITH", "MR KEITH"),
        ("A", "PROFESSOR DAME ANGELA McLEAN"),
        ("Q", "MR KEITH"),
        ("A", "PROFESSOR DAME ANGELA McLEAN"),
        ("LADY HALLETT", "LADY HALLETT"),
        ("THE WITNESS", "PROFESSOR DAME ANGELA McLEAN"),
        ("LADY HALLETT", "LADY HALLETT"),
        ("Q", "MR KEITH"),
        ("A", "PROFESSOR DAME ANGELA McLEAN"),
        ("Q", "MS MORRIS"),
        ("A", "PROFESSOR DAME ANGELA McLEAN"),
    ]
    # the sworn line and the break are lines of their own, not part of a sentence
    assert segments[1].text.endswith(
        "McLean.\n\nPROFESSOR DAME ANGELA McLEAN (sworn)\n\nQuestions from LEAD COUNSEL TO THE INQUIRY"
    )
    assert "(A short break)" in segments[10].text.split("\n\n")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("make", [london_assembly, commons, hansard], ids=lambda f: f.__name__)
def test_every_turn_has_its_speaker_in_the_other_public_styles(make, seed):
    material = make(seed)
    parsed = parse_transcript_text(material.text, "evidence-2023-04-19.txt")
    share, wrong = accuracy(parsed.segments, material)
    assert wrong == [] and share == 1.0
    assert len(parsed.segments) == len(material.turns)


def test_hansard_offices_resolve_to_the_person_first_named_with_them():
    material = hansard(3)
    parsed = parse_transcript_text(material.text, "hansard-2023-03-15.txt")
    assert parsed.committee == "House of Commons"
    assert parsed.title == "Prime Minister’s Questions"
    by_label = {s.speaker: (s.speaker_name, s.role) for s in parsed.segments}
    introduced = next(label for label in by_label if label.startswith("The Prime Minister ("))
    assert by_label["The Prime Minister"] == by_label[introduced]
    assert by_label["The Prime Minister"][1] == "Prime Minister"


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_a_day_read_with_confidence_has_no_notes_and_one_with_doubts_says_which(seed):
    day = inquiry_day(seed, "official")
    assert parse_transcript_text(day.text, "hearing-2023-11-28.txt").notes == ()
    rng = random.Random(seed)
    # the witness's line is missing from the top of the day, and a one-off bare label appears
    cut = re.sub(r"^.*\(continued\)\.\n", "", day.text, count=1, flags=re.MULTILINE)
    cut = cut.replace(
        "(11.15 am)", f"Operation {rng.choice(SURNAMES)}: we doubled it.\n\n(11.15 am)"
    )
    notes = parse_transcript_text(cut, "hearing-2023-11-28.txt").notes
    assert len(notes) == 2
    assert re.match(r"1 paragraph\(s\) start like a speaker seen only once.*'Operation ", notes[0])
    assert re.match(r"\d+ answer\(s\) \('A\.'\) come before any witness is called", notes[1])


def test_the_command_line_shows_what_to_check(run_cli, tmp_path):
    exchanges = "".join(f"Q. Question {n}?\nA. Answer {n}.\n" for n in range(1, 4))
    text = f"Thursday, 30 November 2023\n(10.00 am)\nLADY HALLETT: Good morning.\n{exchanges}"
    path = tmp_path / "inquiry-2023-11-30.txt"
    path.write_text(text, encoding="utf-8")
    out = run_cli("import-transcript", str(path), "--json", db=tmp_path / "db.sqlite3", check_rc=0)
    assert "inquiry-2023-11-30.txt: check: 3 answer(s) ('A.') come before any witness" in out.stderr
    assert (
        "inquiry-2023-11-30.txt: check: 3 question(s) ('Q.') come before it is known" in out.stderr
    )
    payload = json.loads(out.stdout)
    assert len(payload["notes"]) == 2
    assert [s["speaker_name"] for s in payload["segments"]] == ["LADY HALLETT"] + [
        "Q",
        "Witness",
    ] * 3


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_commons_header_lists_say_who_the_chair_is_and_give_the_witnesses_roles(seed):
    material = commons(seed)
    segments = parse_transcript_text(material.text, "hac-2023-04-19.txt").segments
    roles = {s.speaker_name: s.role for s in segments}
    witnesses = re.search(r"Witnesses: (.+), Commissioner; (.+), Director\.", material.text)
    assert roles[witnesses.group(1)] == "Commissioner"
    assert roles[witnesses.group(2)] == "Director"
    chair = re.search(r"Members present: (.+?) \(Chair\)", material.text).group(1)
    assert roles[chair] == "Chair"


@pytest.mark.parametrize("seed", range(6))
def test_a_witness_called_in_capitals_is_named_as_the_labels_write_the_name(seed):
    rng = random.Random(seed)
    first, last = rng.choice(FIRST_NAMES), rng.choice(["McLean", "O’Connor", "Whitty", "MacNamara"])
    title = rng.choice(["Professor Sir", "Dame", "Dr", "Professor"])
    text = (
        "Transcript of Module 1 Public Hearing on 22 June 2023\n\n*(2.00 pm)*\n\n"
        f"*{title.upper()} {first.upper()} {last.upper()} (affirmed).*\n\n"
        f"**Lady Hallett**: {speech(rng)}\n\n**{title} {last}**: {speech(rng)}\n\n"
        f"**Lady Hallett**: {speech(rng)}\n\n**The Witness**: {speech(rng)}\n"
    )
    segments = parse_transcript_text(text, "module-1_2023-06-22.rst").segments
    full = f"{title} {first} {last}"
    assert [s.speaker_name for s in segments] == ["Lady Hallett", full, "Lady Hallett", full]
    assert segments[3].role == "Witness"


def test_bold_labels_pasted_into_a_text_file_are_labels():
    day = inquiry_day(4, "rst")
    parsed = parse_transcript_text(day.text, "hearing-2023-11-28.txt")
    share, wrong = accuracy(parsed.segments, day)
    assert wrong == [] and share == 1.0


def _numbered(text: str, per_page: int) -> str:
    """Text as pdftotext gives an inquiry's transcript: line numbers 1 to ``per_page`` in the margin,
    a form feed between pages."""
    out = []
    for n, line in enumerate(text.split("\n")):
        number = n % per_page + 1
        out.append(("\f" if number == 1 and n else "") + f"{number:>2}   {line}".rstrip())
    return "\n".join(out)


@pytest.mark.parametrize("seed", SEEDS[:4])
@pytest.mark.parametrize("per_page", [25, 28])
def test_line_numbers_in_the_margin_are_not_part_of_the_words(seed, per_page):
    day = inquiry_day(seed, "official")
    parsed = parse_transcript_text(_numbered(day.text, per_page), "hearing-2023-11-28.txt")
    share, wrong = accuracy(parsed.segments, day)
    assert wrong == [] and share == 1.0
    words = "\n\n".join(s.text for s in parsed.segments)
    assert all(turn.text in words for turn in day.turns)  # no number left inside a sentence
    assert not re.search(r"(?m)^\d", words)


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_an_inquiry_pdf_with_numbered_lines_has_every_speaker(tmp_path, seed):
    from pdf_writer import write_pdf

    day = inquiry_day(seed, "official", exchanges=16)
    path = tmp_path / "hearing-2023-11-28.pdf"
    write_pdf(path, [p for p in day.text.split("\n\n") if p.strip()], width=64, numbered=True)
    share, wrong = accuracy(parse_transcript(path).segments, day)
    assert wrong == [] and share == 1.0


def test_a_witness_labelled_in_capitals_keeps_capitals_like_everyone_else():
    text = (
        "Thursday, 30 November 2023\n\n(10.00 am)\n\nMR MATT HANCOCK (sworn)\n\n"
        "LADY HALLETT: Mr Keith.\n\nMR KEITH: Good morning.\n\nMR HANCOCK: Good morning.\n\n"
        "THE WITNESS: Thank you.\n"
    )
    names = [s.speaker_name for s in parse_transcript_text(text, "inquiry-2023-11-30.txt").segments]
    assert names == ["LADY HALLETT", "MR KEITH", "MR MATT HANCOCK", "MR MATT HANCOCK"]
