"""reStructuredText transcripts (how public inquiry transcripts are published): read as text, with
``**Name**:`` turns and the markup stripped, from the service and the command line."""

from __future__ import annotations

import json
import random

import pytest
from transcript_styles import accuracy, inquiry_day, speech

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.safety import check_file
from pcc_desk.importers.transcript import parse_transcript, rst_to_text
from pcc_desk.services import quotes, transcripts

LINK = "`INQ000273901 <https://covid19.public-inquiry.uk/documents/INQ000273901/>`_"


def _published(seed: int) -> str:
    """An inquiry day as published in .rst, with a document link and inline markup in one turn."""
    text = inquiry_day(seed, "rst").text
    first_turn = text.index("**", text.index("(10.00 am)"))
    marked = (
        f"**Mr Zebedee**: Could we have {LINK}, page 78. It says ``quad call`` and *very* "
        "good at analysis, no grip on actions.\n\n"
    )
    return text[:first_turn] + marked + text[first_turn:]


@pytest.mark.parametrize("seed", range(4))
def test_an_rst_inquiry_day_imports_with_every_speaker_and_no_markup(desk, tmp_path, seed):
    path = tmp_path / f"2023-11-{seed + 20}_module-2.rst"
    path.write_text(_published(seed), encoding="utf-8")
    result = transcripts.import_transcript(desk, path)
    assert result.created
    texts = [s.text for s in result.segments]
    assert not [t for t in texts if "**" in t or "====" in t or "toctree" in t or "`" in t]
    marked = next(s for s in result.segments if "INQ000273901" in s.text)
    assert marked.speaker_name == "Mr Zebedee"
    assert marked.text == (
        "Could we have INQ000273901, page 78. It says quad call and very good at analysis, "
        "no grip on actions."
    )
    assert result.transcript.title.startswith("Transcript of Module 2 Public Hearing on")
    day = inquiry_day(seed, "rst")
    share, wrong = accuracy(parse_transcript(path).segments[1:], day)
    assert wrong == [] and share == 1.0
    quote = quotes.create_quote(desk, result.transcript.id, "very good at analysis, no grip")
    assert quote.speaker == "Mr Zebedee"


def test_rst_markup_is_stripped_and_directives_dropped():
    text = (
        "Title\n=====\n\n.. toctree::\n   :maxdepth: 2\n\n   index\n\n"
        ".. comment that is not said\n\n:Date: 1 May 2023\n\n"
        "**Lady Hallett**: See `the report <https://example.org/r>`_ and |date|.\n\n"
        "| a line block\n\nHe said::\n\n    quoted\n"
    )
    assert [line for line in rst_to_text(text).split("\n") if line] == [
        "Title",
        "Date: 1 May 2023",
        "Lady Hallett: See the report and date.",
        "a line block",
        "He said:",
        "quoted",
    ]


def test_rst_files_pass_the_file_check_and_other_kinds_are_told_what_is_read(tmp_path):
    rst = tmp_path / "t.rst"
    rst.write_text("**Lady Hallett**: Good morning.\n", encoding="utf-8")
    assert check_file(rst).kind == "text"
    odd = tmp_path / "t.odt"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(ImportRejected, match=r"\.docx, \.pdf, \.md, \.rst and \.txt"):
        check_file(odd)


def test_cli_imports_rst_files_in_a_folder(run_cli, tmp_path):
    folder = tmp_path / "inquiry"
    folder.mkdir()
    for seed in range(2):
        (folder / f"2023-11-2{seed}_module-2.rst").write_text(_published(seed), encoding="utf-8")
    db = tmp_path / "cli.sqlite3"
    out = run_cli("import-transcript", str(folder), "--json", db=db, check_rc=0)
    payload = json.loads(out.stdout)
    assert len(payload) == 2
    assert all(p["segments"][0]["speaker_name"] for p in payload)
    assert "Mr Zebedee" in {s["speaker_name"] for s in payload[0]["segments"]}


@pytest.mark.parametrize("module", ["2A", "2B", "2C", "3"])
def test_module_leads_written_with_their_module_are_speakers(tmp_path, module):
    """The published .rst names Module 2A's lead counsel "Lead 2A" on every question."""
    rng = random.Random(module)
    lead = f"Lead {module}" if module[-1].isalpha() else "Lead Inquiry"
    lines = [
        f"Transcript of Module {module} Public Hearing on 1 November 2022",
        "",
        "*(10.00 am)*",
        "",
    ]
    expected = []
    for _ in range(rng.randint(5, 12)):
        for speaker in (lead, "Ms Nicola Sturgeon"):
            said = speech(rng)
            lines += [f"**{speaker}**: {said}", ""]
            expected.append((speaker, said))
    path = tmp_path / f"2022-11-01_module-{module}_1_Ms_Nicola_Sturgeon.rst"
    path.write_text("\n".join(lines), encoding="utf-8")
    parsed = parse_transcript(path)
    assert [(s.speaker_name, s.text) for s in parsed.segments] == expected


def test_a_section_file_without_a_header_date_takes_it_from_an_underscored_name(tmp_path):
    path = tmp_path / "2023-06-22_module-1_2_Professor_Sir_Whitty.rst"
    path.write_text(
        "2. Professor Sir Chris Whitty\n=============================\n\n"
        "**Lady Hallett**: Good afternoon.\n\n**Professor Sir Whitty**: Good afternoon.\n",
        encoding="utf-8",
    )
    parsed = parse_transcript(path)
    assert parsed.meeting_date.isoformat() == "2023-06-22"
    assert parsed.title == "2. Professor Sir Chris Whitty"
