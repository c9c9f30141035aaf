"""Issue 16 (.docx transcript import): a transcript's Word file is opened reading only its body and its
page headers as XML; python-docx's whole opening also parses the styles, settings and numbering (in a
file made from Word's template, a third of a megabyte of styles: about half the time of reading it).
The transcript read must be the very one the whole opening gave: generated transcripts in many layouts
(turns as paragraphs with bold or plain labels, in a speaker | words table, the heading in paragraphs,
a text box, a table or the page header, several sections) are read both ways. A part the transcript
never reads can no longer stop it being read; a damaged body, header or package is still refused in
one line, as before."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
from support.docx_layouts import add_text_box, fill_cell, new_document
from support.transcript_samples import LA_HEADER, LA_TURNS

from pcc_desk.errors import ImportRejected
from pcc_desk.importers import docx_xml
from pcc_desk.importers.transcript import documents, parse_transcript


def _whole_opening(path: Path, *, only: frozenset[str] | None = None):
    return docx_xml.open_docx(path)  # every part parsed, as before issue 16


def _turns(seed: int) -> list[tuple[str, list[str]]]:
    rng = random.Random(seed)
    turns = list(LA_TURNS)
    for _ in range(rng.randint(0, 30)):
        label, paragraphs = rng.choice(LA_TURNS)
        turns.append((label, rng.sample(paragraphs, rng.randint(1, len(paragraphs)))))
    return turns


def write_transcript(path: Path, seed: int) -> Path:
    rng = random.Random(seed)
    document = new_document(
        font=rng.choice(["Arial", "Calibri", "Times New Roman"]), size=rng.choice([10, 11, 12])
    )
    heading = rng.choice(["paragraphs", "text box", "table", "page header"])
    if heading == "page header":
        document.sections[0].header.paragraphs[0].text = LA_HEADER[1]
        for line in LA_HEADER[2:]:
            document.add_paragraph(line)
    elif heading == "text box":
        add_text_box(document.add_paragraph(), LA_HEADER, kind=rng.choice(["drawing+vml", "vml"]))
    elif heading == "table":
        table = document.add_table(rows=len(LA_HEADER), cols=1)
        for n, line in enumerate(LA_HEADER):
            fill_cell(table.cell(n, 0), [line])
    else:
        for line in LA_HEADER:
            document.add_paragraph(line)
    turns = _turns(seed)
    in_table = rng.random() < 0.4
    if in_table:
        table = document.add_table(rows=0, cols=2)
        for label, paragraphs in turns:
            cells = table.add_row().cells
            fill_cell(cells[0], [label], bold=rng.random() < 0.5)
            fill_cell(cells[1], paragraphs)
    else:
        bold = rng.random() < 0.7
        for n, (label, paragraphs) in enumerate(turns):
            if n and rng.random() < 0.1:  # a new section, with a page header of its own
                section = document.add_section()
                section.header.is_linked_to_previous = False
                section.header.paragraphs[0].text = f"{LA_HEADER[1]} (continued)"
            p = document.add_paragraph()
            p.add_run(f"{label}:").bold = bold
            p.add_run(f" {paragraphs[0]}")
            for paragraph in paragraphs[1:]:
                document.add_paragraph(paragraph)
    document.save(path)
    return path


def _read(path: Path) -> object:
    try:
        return parse_transcript(path)
    except ImportRejected as refused:
        return ("refused", str(refused))


@pytest.mark.parametrize("seed", range(16))
def test_reading_only_the_body_and_headers_reads_the_same_transcript(tmp_path, monkeypatch, seed):
    path = write_transcript(tmp_path / f"pcc-transcript-{seed}.docx", seed)
    lean = _read(path)
    monkeypatch.setattr(documents, "open_docx", _whole_opening)
    whole = _read(path)
    assert lean == whole
    assert not isinstance(lean, tuple), lean  # read, with turns
    assert len(lean.segments) >= len(LA_TURNS)  # type: ignore[attr-defined]


def _with_part(path: Path, name: str, data: bytes, target: Path) -> Path:
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            out.writestr(info, data if info.filename == name else source.read(info))
    return target


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("part", ["word/styles.xml", "word/settings.xml", "word/numbering.xml"])
def test_a_damaged_part_a_transcript_never_reads_no_longer_stops_it(tmp_path, seed, part):
    path = write_transcript(tmp_path / "pcc-transcript.docx", seed)
    rng = random.Random(seed)
    damaged = _with_part(
        path, part, b"<w:styles><unclosed" + rng.randbytes(40), tmp_path / "damaged.docx"
    )
    with pytest.raises(ImportRejected, match=r"^damaged\.docx: the Word file is damaged"):
        _whole_opening(damaged)  # the whole opening refused it
    read, expected = parse_transcript(damaged), parse_transcript(path)
    fields = ("segments", "committee", "meeting_date", "title", "notes")
    assert [getattr(read, f) for f in fields] == [getattr(expected, f) for f in fields]


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("part", ["word/document.xml", "word/header1.xml"])
def test_a_damaged_body_or_header_is_still_refused_in_one_line(tmp_path, seed, part):
    path = write_transcript(tmp_path / "pcc-transcript.docx", seed)
    names = zipfile.ZipFile(path).namelist()
    if part not in names:
        part = "word/document.xml"
    damaged = _with_part(
        path, part, random.Random(seed).randbytes(300), tmp_path / "pcc-transcript-bad.docx"
    )
    with pytest.raises(ImportRejected) as refused:
        parse_transcript(damaged)
    message = str(refused.value)
    assert message.startswith("pcc-transcript-bad.docx: the Word file is damaged")
    assert "\n" not in message
