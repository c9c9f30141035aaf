"""Letter heads laid out in text boxes and tables (Word), read in reading order and each box once."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from docx_layouts import BOX_KINDS, PLACEMENTS, add_text_box, count_text, fill_cell, new_document

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.letter_docx import docx_blocks
from pcc_desk.importers.letters import read_letter

CORPUS = Path(__file__).parent / "fixtures" / "corpus" / "docx"

SENDERS = [
    ("Susan Hall AM", "Chairman of the Police and Crime Committee"),
    ("Caroline Russell AM", "Chair of the Police and Crime Committee"),
    ("Unmesh Desai AM", "Deputy Chair of the Police and Crime Committee"),
]
RECIPIENTS = [
    ("Sir Mark Rowley", "Commissioner of Police of the Metropolis", "Dear Sir Mark,"),
    ("Sophie Linden", "Deputy Mayor for Policing and Crime", "Dear Sophie,"),
    ("Dame Lynne Owens", "Deputy Commissioner, Metropolitan Police Service", "Dear Dame Lynne,"),
]
DATES = [dt.date(2023, 3, 17), dt.date(2024, 1, 9), dt.date(2022, 11, 1)]
ASK = "We ask the Met to publish the stop and search data for every ward each month."
BODY = "Thank you for attending the Committee's meeting and for answering our questions on this."


def _people(n: int):
    return SENDERS[n % 3], RECIPIENTS[(n // 3) % 3], DATES[n % len(DATES)]


def _house(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def _body_and_close(document, sender) -> None:
    document.add_paragraph("Stop and search in London")
    document.add_paragraph(BODY)
    document.add_paragraph().add_run(ASK).bold = True
    for line in ("Yours sincerely,", "", sender[0]):
        document.add_paragraph(line)


def _check_head(path: Path, sender, recipient, date) -> None:
    head = read_letter(path).head
    assert head.date == date
    assert (head.sender, head.sender_role) == sender
    assert (head.recipient, head.recipient_role) == recipient[:2]
    assert head.salutation == recipient[2]
    assert head.subject == "Stop and search in London"


def _read_once(path: Path, text: str) -> None:
    """The importer read ``text`` exactly once (a box is in the file twice when Word adds its VML)."""
    blocks, _ = docx_blocks(path)
    assert sum(b.text.count(text) for b in blocks) == 1


@pytest.mark.parametrize("kind", BOX_KINDS)
@pytest.mark.parametrize("placement", PLACEMENTS)
@pytest.mark.parametrize("boxed", ["date", "sender", "sender and date"])
def test_date_and_sender_in_a_text_box_are_read_once(tmp_path, kind, placement, boxed):
    n = BOX_KINDS.index(kind) + 3 * PLACEMENTS.index(placement)
    sender, recipient, date = _people(n)
    document = new_document(size=(10, 11, 12, 14)[n % 4])
    box_lines = []
    if "sender" in boxed:
        box_lines += list(sender)
    if "date" in boxed:
        box_lines += ["", _house(date)] if box_lines else [_house(date)]
    anchor = document.add_paragraph("" if placement == "inline" else recipient[0])
    add_text_box(anchor, box_lines, kind=kind, placement=placement, size=(9, 11, 12)[n % 3])
    if placement == "inline":
        document.add_paragraph(recipient[0])
    document.add_paragraph(recipient[1])
    if "sender" not in boxed:
        document.add_paragraph("")
        for line in sender:
            document.add_paragraph(line)
    document.add_paragraph("")
    if "date" not in boxed:
        document.add_paragraph(_house(date))
    document.add_paragraph(recipient[2])
    _body_and_close(document, sender)
    path = tmp_path / f"box-{kind}-{placement}.docx"
    document.save(path)

    _check_head(path, sender, recipient, date)
    _read_once(path, box_lines[-1])
    if kind == "drawing+vml":
        assert count_text(path, box_lines[-1]) == 2  # really written twice


@pytest.mark.parametrize("kind", BOX_KINDS)
def test_a_date_in_a_box_beside_dear_is_the_letters_date(tmp_path, kind):
    sender, recipient, date = _people(BOX_KINDS.index(kind) + 1)
    document = new_document()
    for line in (*sender, "", *recipient[:2], ""):
        document.add_paragraph(line)
    dear = document.add_paragraph(recipient[2])
    add_text_box(dear, [_house(date)], kind=kind, placement="below")
    _body_and_close(document, sender)
    path = tmp_path / "beside-dear.docx"
    document.save(path)
    _check_head(path, sender, recipient, date)


TABLE_HEADS = ["sender | recipient", "sender | date / recipient | cc", "one column", "nested"]


@pytest.mark.parametrize("layout", TABLE_HEADS)
@pytest.mark.parametrize("n", range(3))
def test_the_whole_letter_head_in_a_table(tmp_path, layout, n):
    sender, recipient, date = _people(n + 4)
    cc = ["Diana Luchford, CEO, MOPAC", "Judith Mullett, Director of Strategy, MOPAC"][: 1 + n % 2]
    size = (10, 11.5, 13)[n]
    document = new_document(font=("Arial", "Times New Roman", "Calibri")[n], size=size)
    if layout == "sender | recipient":
        table = document.add_table(rows=1, cols=2)
        fill_cell(table.cell(0, 0), list(recipient[:2]), size)
        fill_cell(table.cell(0, 1), [*sender, "", _house(date)], size)
        document.add_paragraph("CC: " + "; ".join(cc))
    elif layout == "sender | date / recipient | cc":
        table = document.add_table(rows=2, cols=2)
        fill_cell(table.cell(0, 0), list(sender), size)
        fill_cell(table.cell(0, 1), [_house(date)], size)
        fill_cell(table.cell(1, 0), ["", *recipient[:2]], size)
        fill_cell(table.cell(1, 1), ["CC:", *cc], size)
    elif layout == "one column":
        table = document.add_table(rows=4, cols=1)
        fill_cell(table.cell(0, 0), list(sender), size)
        fill_cell(table.cell(1, 0), list(recipient[:2]), size)
        fill_cell(table.cell(2, 0), ["cc: " + "; ".join(cc)], size)
        fill_cell(table.cell(3, 0), [_house(date)], size)
    else:
        table = document.add_table(rows=1, cols=2)
        inner = table.cell(0, 0).add_table(rows=2, cols=1)
        fill_cell(inner.cell(0, 0), list(recipient[:2]), size)
        fill_cell(inner.cell(1, 0), ["CC: " + "; ".join(cc)], size)
        fill_cell(table.cell(0, 1), [*sender, _house(date)], size)
    document.add_paragraph("")
    document.add_paragraph(recipient[2])
    _body_and_close(document, sender)
    path = tmp_path / "table-head.docx"
    document.save(path)

    _check_head(path, sender, recipient, date)
    assert read_letter(path).head.cc == tuple(cc)
    _read_once(path, recipient[1])


def test_nested_tables_are_read_once(tmp_path):
    document = new_document()
    outer = document.add_table(rows=2, cols=2)
    fill_cell(outer.cell(0, 0), ["outer A"])
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for row, column in itertools.product(range(2), range(2)):
        fill_cell(inner.cell(row, column), [f"inner {row}{column}"])
        if (row, column) == (1, 1):
            deepest = inner.cell(1, 1).add_table(rows=1, cols=1)
            fill_cell(deepest.cell(0, 0), ["deepest"])
    add_text_box(outer.cell(1, 0).paragraphs[0], ["boxed in a cell"], kind="drawing+vml")
    fill_cell(outer.cell(1, 1), ["outer D"])
    path = tmp_path / "nested.docx"
    document.save(path)
    texts = [b.text for b in docx_blocks(path)[0] if b.text.strip()]
    assert texts == [
        "outer A",
        "inner 00",
        "inner 01",
        "inner 10",
        "inner 11",
        "deepest",
        "boxed in a cell",
        "outer D",
    ]
    blocks = [b.text for b in docx_blocks(CORPUS / "docx2python" / "example.docx")[0]]
    assert blocks.count("Nested") == 1 and blocks.count("Tab delimited text") == 1


def test_the_corpus_text_box_is_read_once():
    texts = [b.text for b in docx_blocks(CORPUS / "mammoth" / "text-box.docx")[0]]
    assert [t for t in texts if t.strip()] == ["Datum plane"]


@pytest.mark.parametrize("themed", [False, True])
def test_asks_in_a_table_keep_their_themes_and_numbers_are_not_themes(tmp_path, themed):
    sender, recipient, date = _people(2)
    document = new_document()
    for line in (*sender, "", *recipient[:2], "", _house(date), "", recipient[2]):
        document.add_paragraph(line)
    document.add_paragraph("Our recommendations")
    rows = [
        ("Neighbourhood policing", "The Met should publish ward-level neighbourhood data."),
        ("Stop and search", "The Met should publish stop and search outcomes by borough."),
        ("Victims", "The Met should report how many victims are kept informed each month."),
    ]
    table = document.add_table(rows=1, cols=2)
    fill_cell(table.cell(0, 0), ["Theme" if themed else "No."])
    fill_cell(table.cell(0, 1), ["Recommendation"])
    for number, (theme, ask) in enumerate(rows, start=1):
        cells = table.add_row().cells
        fill_cell(cells[0], [theme if themed else str(number)])
        cells[1].paragraphs[0].add_run("We heard evidence on this. ")
        cells[1].paragraphs[0].add_run(ask).bold = True
    for line in ("Yours sincerely,", "", sender[0]):
        document.add_paragraph(line)
    path = tmp_path / "asks-table.docx"
    document.save(path)
    letter = read_letter(path)
    assert [a.text for a in letter.asks] == [ask for _, ask in rows]
    assert letter.themes == (tuple(theme for theme, _ in rows) if themed else ())
    assert [a.theme for a in letter.asks] == [theme if themed else "" for theme, _ in rows]


@pytest.mark.parametrize(
    ("name", "tables"),
    [("tbl-2x2-table.docx", "table is"), ("tbl-having-tables.docx", "3 tables are")],
)
def test_word_files_whose_tables_are_empty_say_so(name, tables):
    """The two corpus files really are empty tables (no w:t at all): refused, saying the tables were read."""
    path = CORPUS / "python-docx" / name
    assert count_text(path, "<w:t>") == count_text(path, "<w:t ") == 0
    with pytest.raises(ImportRejected) as refused:
        read_letter(path)
    assert str(refused.value) == f"{name}: the file has no text to import (its {tables} empty)."


@pytest.mark.parametrize(("tables", "boxes"), [(1, 0), (2, 0), (0, 1), (2, 3)])
def test_generated_empty_tables_and_boxes_are_named_in_the_refusal(tmp_path, tables, boxes):
    document = new_document()
    for _ in range(tables):
        document.add_table(rows=2, cols=3)
    for _ in range(boxes):
        add_text_box(document.add_paragraph(), [""], kind="drawing+vml")
    path = tmp_path / "empty.docx"
    document.save(path)
    with pytest.raises(ImportRejected, match=r"no text to import \(its .* empty\)\.$") as refused:
        read_letter(path)
    message = str(refused.value)
    assert ("table" in message) == bool(tables) and ("text box" in message) == bool(boxes)
