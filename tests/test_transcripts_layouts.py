"""Transcripts laid out as Word tables (speaker | words, a time column, roles under names, header
rows, turns over several rows) and with their heading in a text box or a table: read the same as
the plain text of the same meeting. The layouts are generated here."""

from __future__ import annotations

import random

import pytest
from docx_layouts import add_text_box, count_text, fill_cell, new_document
from transcript_samples import LA_HEADER, LA_TURNS, la_text

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.transcript import parse_transcript, parse_transcript_text

FIGURES = [["Borough", "Stops"], ["Westminster", "1,234"], ["Lambeth", "987"]]


def _label_lines(label: str, style: str) -> list[str]:
    if style == "colon":
        return [f"{label}:"]
    if style == "role below" and "(" in label:
        name, role = label.split(" (", 1)
        return [name, role.rstrip(")")]
    return [label]


def write_table_transcript(path, seed: int, *, figures: bool = False):
    rng = random.Random(seed)
    document = new_document(font=rng.choice(["Arial", "Calibri"]), size=rng.choice([10, 11, 12]))
    heading = rng.choice(["paragraphs", "text box", "table"])
    if heading == "paragraphs":
        for line in LA_HEADER:
            document.add_paragraph(line)
    elif heading == "text box":
        add_text_box(document.add_paragraph(), LA_HEADER, kind=rng.choice(["drawing+vml", "vml"]))
    else:
        table = document.add_table(rows=len(LA_HEADER), cols=1)
        for n, line in enumerate(LA_HEADER):
            fill_cell(table.cell(n, 0), [line])
    with_time = rng.random() < 0.4
    columns = 3 if with_time else 2
    table = document.add_table(rows=0, cols=columns)
    if rng.random() < 0.5:
        cells = table.add_row().cells
        fill_cell(cells[-2], ["Speaker"], bold=True)
        fill_cell(cells[-1], ["Words"], bold=True)
        if with_time:
            fill_cell(cells[0], ["Time"], bold=True)
    label_style = rng.choice(["plain", "colon", "role below"])
    split_rows = rng.random() < 0.5  # a turn's later paragraphs in rows of their own
    for n, (label, paragraphs) in enumerate(LA_TURNS):
        cells = table.add_row().cells
        if with_time:
            fill_cell(cells[0], [f"10:{n * 3:02d}"])
        fill_cell(cells[-2], _label_lines(label, label_style), bold=rng.random() < 0.5)
        fill_cell(cells[-1], paragraphs if not split_rows else paragraphs[:1])
        if split_rows:
            for paragraph in paragraphs[1:]:
                fill_cell(table.add_row().cells[-1], [paragraph])
        if figures and n == 1:  # a table of figures inside the Commissioner's turn
            inner = document.add_table(rows=len(FIGURES), cols=2)
            for row, values in enumerate(FIGURES):
                for column, value in enumerate(values):
                    fill_cell(inner.cell(row, column), [value])
            table = document.add_table(rows=0, cols=columns)
    document.save(path)
    return path


def _turns(parsed):
    return [(s.speaker, s.speaker_name, s.role, s.text) for s in parsed.segments]


@pytest.mark.parametrize("seed", range(12))
def test_a_transcript_in_a_table_reads_like_its_text(tmp_path, seed):
    path = write_table_transcript(tmp_path / "pcc-transcript.docx", seed)
    parsed = parse_transcript(path)
    expected = parse_transcript_text(la_text(), "transcript.txt")
    assert (parsed.committee, parsed.meeting_date, parsed.title) == (
        expected.committee,
        expected.meeting_date,
        expected.title,
    )
    assert _turns(parsed) == _turns(expected)


@pytest.mark.parametrize("seed", range(3))
def test_a_table_of_figures_in_a_turn_stays_in_that_turn(tmp_path, seed):
    path = write_table_transcript(tmp_path / "pcc-transcript.docx", seed, figures=True)
    parsed = parse_transcript(path)
    expected = parse_transcript_text(la_text(), "transcript.txt")
    assert [s.speaker_name for s in parsed.segments] == [s.speaker_name for s in expected.segments]
    commissioner = parsed.segments[1].text
    assert commissioner.endswith("\n\n".join(value for row in FIGURES for value in row))


@pytest.mark.parametrize("kind", ["drawing+vml", "drawing", "vml"])
def test_a_transcript_heading_in_a_text_box_is_read_once(tmp_path, kind):
    document = new_document()
    add_text_box(document.add_paragraph(), LA_HEADER, kind=kind, placement="page")
    for label, paragraphs in LA_TURNS:
        document.add_paragraph(f"{label}: {paragraphs[0]}")
        for paragraph in paragraphs[1:]:
            document.add_paragraph(paragraph)
    path = tmp_path / "transcript.docx"  # no date in the name: the box must give it
    document.save(path)
    parsed = parse_transcript(path)
    expected = parse_transcript_text(la_text(), "transcript.txt")
    assert (parsed.committee, parsed.meeting_date, parsed.title) == (
        expected.committee,
        expected.meeting_date,
        expected.title,
    )
    assert _turns(parsed) == _turns(expected)
    if kind == "drawing+vml":
        assert count_text(path, LA_HEADER[2]) == 2  # the box is in the file twice, read once


@pytest.mark.parametrize(("tables", "boxes"), [(1, 0), (3, 0), (1, 2)])
def test_a_transcript_of_empty_tables_is_refused_saying_so(tmp_path, tables, boxes):
    document = new_document()
    for _ in range(tables):
        document.add_table(rows=3, cols=2)
    for _ in range(boxes):
        add_text_box(document.add_paragraph(), [""], kind="vml")
    path = tmp_path / "pcc-2022-10-12-transcript.docx"
    document.save(path)
    with pytest.raises(ImportRejected, match=r"no text to import \(its .*empty\)\.$"):
        parse_transcript(path)
