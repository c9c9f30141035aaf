"""Reading transcripts in every format: speaker turns, speakers, pages, dates and titles."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from support.transcript_samples import (
    LA_TURNS,
    UK_TEXT,
    docx_to_pdf,
    la_text,
    write_la_docx,
    write_la_txt,
)

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.transcript import match_label, parse_transcript, parse_transcript_text
from pcc_desk.speakers import split_label

OCT_12 = dt.date(2022, 10, 12)
EXPECTED_NAMES = [
    "Susan Hall",
    "Sir Mark Rowley",
    "Caroline Russell",
    "Sir Mark Rowley",
    "Susan Hall",
    "Sir Mark Rowley",
    "Susan Hall",
]


@pytest.fixture(scope="module")
def pdf_transcript(tmp_path_factory):
    """One LibreOffice conversion for the module: a 4-page PDF with a running header and page numbers."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        if os.environ.get("CI"):
            pytest.fail(
                "LibreOffice is needed in CI to make the PDF transcript (scripts/setup.sh installs it)"
            )
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("pdf")
    source = write_la_docx(folder, "pcc-transcript.docx", turns_repeat=6)
    return docx_to_pdf(source, folder)


def test_london_assembly_text_gives_one_segment_per_turn_with_speaker_and_role(tmp_path):
    parsed = parse_transcript(write_la_txt(tmp_path))
    assert parsed.committee == "Police and Crime Committee"
    assert parsed.meeting_date == OCT_12
    assert (
        parsed.title
        == "Transcript of Agenda Item 5 – Question and Answer Session with the Commissioner"
    )
    assert [s.speaker for s in parsed.segments] == [label for label, _ in LA_TURNS]
    assert [s.speaker_name for s in parsed.segments] == EXPECTED_NAMES
    first, second, third = parsed.segments[:3]
    assert first.role == "Chairman"
    assert second.role == "Commissioner of Police of the Metropolis"
    assert third.role == "Assembly Member"
    assert all(s.page is None for s in parsed.segments)


def test_multi_paragraph_turn_stays_one_segment_with_curly_quotes_kept(tmp_path):
    parsed = parse_transcript(write_la_txt(tmp_path))
    turn = parsed.segments[1]
    assert turn.text == "\n\n".join(LA_TURNS[1][1])
    assert "Met’s" in turn.text and "“new era”" in turn.text


def test_role_and_short_forms_resolve_to_the_person_named_in_the_same_transcript(tmp_path):
    parsed = parse_transcript(write_la_txt(tmp_path))
    by_written = {s.speaker: (s.speaker_name, s.role) for s in parsed.segments}
    assert by_written["The Commissioner"] == (
        "Sir Mark Rowley",
        "Commissioner of Police of the Metropolis",
    )
    assert by_written["Sir Mark Rowley"] == (
        "Sir Mark Rowley",
        "Commissioner of Police of the Metropolis",
    )
    assert by_written["The Chairman"] == ("Susan Hall", "Chairman")


def test_the_commissioner_stays_a_role_when_the_transcript_names_no_commissioner():
    text = "Police and Crime Committee – 1 March 2023\n\nThe Commissioner: Hello.\n\nSusan Hall AM (Chairman): Welcome.\n"
    parsed = parse_transcript_text(text, "t.txt")
    assert (parsed.segments[0].speaker_name, parsed.segments[0].role) == (
        "Commissioner",
        "Commissioner",
    )


def test_honours_are_dropped_from_names_and_brackets_become_roles():
    label = split_label("Sir Mark Rowley QPM (Commissioner of Police of the Metropolis)")
    assert (label.name, label.role) == (
        "Sir Mark Rowley",
        "Commissioner of Police of the Metropolis",
    )
    assert split_label("Susan Hall AM (Chairman)").name == "Susan Hall"
    assert split_label("Dame Lynne Owens DBE CBE QPM").name == "Dame Lynne Owens"
    assert split_label("Q12 Chair").question == 12


def test_uk_parliament_numbered_questions_and_chair_from_members_present():
    parsed = parse_transcript_text(UK_TEXT, "hac-evidence.txt")
    assert parsed.committee == "Home Affairs Committee"
    assert parsed.meeting_date == dt.date(2023, 4, 19)
    assert parsed.title == "Oral evidence: Policing in London, HC 275"
    assert [s.speaker for s in parsed.segments] == [
        "Q10 Chair",
        "Sir Mark Rowley",
        "Q11 Tim Loughton",
        "Sir Mark Rowley",
        "Q12 Chair",
    ]
    assert parsed.segments[0].speaker_name == "Dame Diana Johnson"
    assert parsed.segments[0].role == "Chair"
    assert parsed.segments[2].speaker_name == "Tim Loughton"
    assert (
        parsed.segments[3].text
        == "We are re-checking every officer’s vetting. It will take a year."
    )


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Susan Hall AM (Chairman): Good morning.", "Susan Hall AM (Chairman)"),
        ("Q12 Chair: Thank you.", "Q12 Chair"),
        (
            "The Deputy Mayor for Policing and Crime: Yes.",
            "The Deputy Mayor for Policing and Crime",
        ),
        ("Members present: Dame Diana Johnson (Chair)", None),
        ("Note: the meeting was adjourned.", None),
        ("However, he said: no.", None),
        ("In March 2023: nothing.", None),
        ("Witnesses: Sir Mark Rowley", None),
    ],
)
def test_speaker_labels_are_told_apart_from_ordinary_sentences(line, expected):
    found = match_label(line)
    assert (found[0] if found else None) == expected


def test_docx_gives_the_same_turns_as_the_text_and_ignores_the_running_header(tmp_path):
    from_docx = parse_transcript(write_la_docx(tmp_path))
    from_text = parse_transcript(write_la_txt(tmp_path))
    assert [(s.speaker, s.speaker_name, s.role, s.text) for s in from_docx.segments] == [
        (s.speaker, s.speaker_name, s.role, s.text) for s in from_text.segments
    ]
    assert (from_docx.committee, from_docx.meeting_date, from_docx.title) == (
        from_text.committee,
        from_text.meeting_date,
        from_text.title,
    )


@pytest.mark.office
def test_pdf_turns_carry_their_page_and_page_furniture_is_dropped(pdf_transcript):
    parsed = parse_transcript(pdf_transcript)
    assert parsed.meeting_date == OCT_12 and parsed.committee == "Police and Crime Committee"
    assert len(parsed.segments) == 6 * len(LA_TURNS)
    assert [s.speaker_name for s in parsed.segments[:7]] == EXPECTED_NAMES
    pages = [s.page for s in parsed.segments]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] >= 3
    # the running header and the page numbers are not in any turn; the turn text survives line wrapping
    assert not any("12 October 2022" in s.text for s in parsed.segments)
    assert not any(s.text.rstrip().endswith((" 1", " 2", " 3")) for s in parsed.segments)
    assert parsed.segments[1].text == "\n\n".join(LA_TURNS[1][1])


def test_date_and_title_come_from_the_file_name_when_the_header_has_none(tmp_path):
    body = "Susan Hall AM (Chairman): Welcome.\n\nSir Mark Rowley: Thank you.\n"
    path = tmp_path / "pcc-2022-10-12-transcript.txt"
    path.write_text(body, encoding="utf-8")
    parsed = parse_transcript(path, date=dt.date(2000, 1, 1), title="Ignored")
    assert parsed.meeting_date == OCT_12
    assert parsed.title == "PCC transcript"
    assert parsed.committee == "Police and Crime Committee"


def test_date_and_title_given_by_the_clerk_when_neither_header_nor_name_has_them(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Susan Hall AM (Chairman): Welcome.\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match=r"notes.txt: no meeting date.*--date"):
        parse_transcript(path)
    parsed = parse_transcript(path, date=OCT_12, title="Budget session")
    assert parsed.meeting_date == OCT_12
    assert parsed.title == "Notes"  # the file name comes before the clerk's title


def test_title_from_the_clerk_when_the_file_name_is_only_a_date(tmp_path):
    path = tmp_path / "2022-10-12.txt"
    path.write_text("Susan Hall AM (Chairman): Welcome.\n", encoding="utf-8")
    assert parse_transcript(path, title="Budget session").title == "Budget session"
    with pytest.raises(ImportRejected, match="--title"):
        parse_transcript(path)


def test_markdown_transcript_with_bold_speaker_labels(tmp_path):
    path = tmp_path / "t.md"
    path.write_text(
        "# Police and Crime Committee – 12 October 2022\n\n## Transcript of Agenda Item 5\n\n"
        "**Susan Hall AM (Chairman):** Welcome.\n\n**Sir Mark Rowley:** Thank you.\n",
        encoding="utf-8",
    )
    parsed = parse_transcript(path)
    assert parsed.title == "Transcript of Agenda Item 5"
    assert [(s.speaker_name, s.text) for s in parsed.segments] == [
        ("Susan Hall", "Welcome."),
        ("Sir Mark Rowley", "Thank you."),
    ]


def test_form_feeds_in_a_text_file_count_as_pages():
    text = la_text().replace("Caroline Russell AM:", "\fCaroline Russell AM:")
    parsed = parse_transcript_text(text, "t.txt")
    assert [s.page for s in parsed.segments][:4] == [1, 1, 2, 2]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"Just a letter with no speakers at all.\n\nYours sincerely", "no speaker turns"),
        (b"", "empty"),
        (b"\x00\x01binary", "not a text file"),
    ],
)
def test_files_that_are_not_transcripts_are_refused_with_one_line(tmp_path, content, message):
    path = tmp_path / "pcc-2022-10-12.txt"
    path.write_bytes(content)
    with pytest.raises(ImportRejected, match=message) as info:
        parse_transcript(path)
    assert "\n" not in str(info.value)


def test_a_damaged_docx_is_refused(tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportRejected, match=r"t\.docx"):
        parse_transcript(path)


def test_surname_with_a_form_of_address_is_the_same_person():
    text = (
        "Police and Crime Committee – 1 March 2023\n\n"
        "Sir Mark Rowley QPM (Commissioner of Police of the Metropolis): Good morning.\n\n"
        "Mr Rowley: As I said.\n\nDame Lynne Owens DBE (Deputy Commissioner): And I agree.\n\n"
        "The Deputy Commissioner: Yes.\n\nThe Commissioner: No.\n"
    )
    segments = parse_transcript_text(text, "t.txt").segments
    assert [s.speaker_name for s in segments] == [
        "Sir Mark Rowley",
        "Sir Mark Rowley",
        "Dame Lynne Owens",
        "Dame Lynne Owens",
        "Sir Mark Rowley",
    ]


def test_docx_without_a_body_header_takes_committee_and_date_from_the_page_header(tmp_path):
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Police and Crime Committee – 12 October 2022"
    document.add_paragraph("Susan Hall AM (Chairman): Welcome.")
    document.add_paragraph("Sir Mark Rowley: Thank you.")
    path = tmp_path / "item-5.docx"
    document.save(path)
    parsed = parse_transcript(path)
    assert (parsed.committee, parsed.meeting_date, parsed.title) == (
        "Police and Crime Committee",
        OCT_12,
        "Item 5",
    )


def test_a_capitalised_phrase_and_colon_inside_a_turn_does_not_start_a_new_speaker():
    text = (
        "Police and Crime Committee – 1 March 2023\n\n"
        "Sir Mark Rowley QPM (Commissioner of Police of the Metropolis): Two things.\n\n"
        "Operation Trident: we have doubled it.\n\n"
        "The Met: we are changing.\n\n"
        "Caroline Russell AM: Thank you.\n\n"
        "Tim Loughton: A witness without a label the first time.\n\n"
        "Tim Loughton: And again.\n"
    )
    segments = parse_transcript_text(text, "t.txt").segments
    assert [s.speaker for s in segments] == [
        "Sir Mark Rowley QPM (Commissioner of Police of the Metropolis)",
        "Caroline Russell AM",
        "Tim Loughton",
        "Tim Loughton",
    ]
    assert (
        segments[0].text
        == "Two things.\n\nOperation Trident: we have doubled it.\n\nThe Met: we are changing."
    )


def test_chair_and_deputy_chair_written_as_roles_resolve_to_different_people():
    text = (
        "Police and Crime Committee – 1 March 2023\n\n"
        "Susan Hall AM (Chairman): Welcome.\n\nUnmesh Desai AM (Deputy Chair): Thank you.\n\n"
        "Deputy Chair: A question.\n\nThe Chair: An answer.\n\nThe Assistant Commissioner: Nobody named.\n"
    )
    segments = parse_transcript_text(text, "t.txt").segments
    assert [s.speaker_name for s in segments] == [
        "Susan Hall",
        "Unmesh Desai",
        "Unmesh Desai",
        "Susan Hall",
        "Assistant Commissioner",
    ]


def test_a_strict_open_xml_word_file_is_read_not_refused_as_damaged():
    """Word's "Strict Open XML" files go through the shared .docx opener: this one is read (and then
    refused only because it holds no speaker turns)."""
    fixtures = Path(__file__).parent / "fixtures"

    strict = fixtures / "corpus" / "docx" / "docx2python" / "strict.docx"
    with pytest.raises(ImportRejected, match="no speaker turns"):
        parse_transcript(strict, date=OCT_12, title="t")
