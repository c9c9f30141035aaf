"""Minutes and Summary Lists of Actions laid out as Word tables (and their heading in a table or a
text box): every undertaking is read, under its item's subject, from generated layouts."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from docx_layouts import add_text_box, fill_cell, new_document

from pcc_desk.importers.letters import read_letter

MET, MOPAC, LFB = "Metropolitan Police Service", "MOPAC", "London Fire Brigade"
# (subject, witness as written, organisation, promises)
ITEMS = [
    (
        "Question and Answer Session with the Commissioner",
        "the Commissioner",
        MET,
        [
            "provide the Committee with the number of officers abstracted from neighbourhood teams",
            "write to the Committee with the timetable for the Command and Control programme",
        ],
    ),
    (
        "Violence against Women and Girls",
        "Sophie Linden (Deputy Mayor for Policing and Crime)",
        MOPAC,
        ["publish the refreshed action plan and share it with the Committee"],
    ),
    (
        "Policing the Night-time Economy",
        "Jane Smith (Chief Executive, London Fire Brigade)",
        LFB,
        [
            "send the Committee the joint protocol with the Met",
            "confirm the number of fire safety officers on duty at weekends",
            "report back on the licensing checks carried out in December",
        ],
    ),
    (
        "Stop and Search",
        "Sir Mark Rowley QPM (Commissioner of Police of the Metropolis)",
        MET,
        ["share the community monitoring groups' findings by borough"],
    ),
]
LAYOUTS = ["item | subject | action | status | by", "subject | action | status | by"]
LAYOUTS += ["item and subject | action | by", "minutes: number | text"]


def _action_paragraphs(witness: str, promises: list[str], style: str) -> list[str]:
    lead = f"During the course of the discussion, {witness} undertook to"
    if len(promises) == 1:
        return [f"{lead} {promises[0]}."]
    if style == "inline":
        items = "; ".join(f"({chr(97 + n)}) {p}" for n, p in enumerate(promises))
        return [f"{lead}: {items}."]
    marks = [f"({chr(97 + n)})" if style == "lettered" else "•" for n in range(len(promises))]
    ends = [";"] * (len(promises) - 1) + ["."]
    return [f"{lead}:"] + [f"{m} {p}{e}" for m, p, e in zip(marks, promises, ends, strict=True)]


def _expected(items, meeting):
    return [
        (subject, organisation, promise[0].upper() + promise[1:] + ".")
        for subject, _, organisation, promises in items
        for promise in promises
    ]


def write_minutes(path, layout: str, seed: int):
    rng = random.Random(seed)
    items = rng.sample(ITEMS, rng.randint(2, 4))
    meeting = dt.date(2022, 1 + seed % 12, 1 + seed % 27)
    date_text = f"{meeting.day} {meeting:%B %Y}"
    numbers = rng.sample(range(3, 12), len(items))
    number_style = rng.choice(["{}.", "{}", "Item {}", "Item {}:"])
    action_style = rng.choice(["lettered", "bullets", "inline"])
    size = rng.choice([10, 11, 12])
    document = new_document(font=rng.choice(["Arial", "Calibri", "Times New Roman"]), size=size)

    heading = rng.choice(["paragraph", "table", "text box"])
    if heading == "paragraph":
        document.add_paragraph(f"Police and Crime Committee – {date_text}")
    elif heading == "table":
        table = document.add_table(rows=1, cols=2)
        fill_cell(table.cell(0, 0), ["Police and Crime Committee"])
        fill_cell(table.cell(0, 1), [date_text])
    else:
        add_text_box(
            document.add_paragraph(),
            ["Police and Crime Committee", date_text],
            kind=rng.choice(["drawing+vml", "drawing", "vml"]),
            placement="page",
        )
    title = "Minutes" if layout.startswith("minutes") else "Summary List of Actions"
    document.add_paragraph(title)

    if layout == "minutes: number | text":
        table = document.add_table(rows=0, cols=2)
        for number, (subject, witness, _, promises) in zip(numbers, items, strict=True):
            cells = table.add_row().cells
            fill_cell(cells[0], [f"{number}."])
            fill_cell(cells[1], [subject], bold=True)
            cells = table.add_row().cells
            fill_cell(cells[0], [f"{number}.1"])
            fill_cell(cells[1], ["The Chairman welcomed the guests to the meeting."])
            cells = table.add_row().cells
            fill_cell(cells[0], [f"{number}.2"])
            fill_cell(cells[1], _action_paragraphs(witness, promises, action_style))
        document.save(path)
        return items, meeting

    columns = layout.split(" | ")
    table = document.add_table(rows=1, cols=len(columns))
    titles = {
        "item": "Minute item",
        "subject": "Subject matter",
        "item and subject": "Item",
        "action": "Action",
        "status": "Status",
        "by": "For action by",
    }
    for cell, column in zip(table.rows[0].cells, columns, strict=True):
        fill_cell(cell, [titles[column]], bold=True)
    for number, (subject, witness, organisation, promises) in zip(numbers, items, strict=True):
        cells = table.add_row().cells
        values = {
            "item": [number_style.format(number)],
            "subject": [subject],
            "item and subject": [f"{number}. {subject}"],
            "action": _action_paragraphs(witness, promises, action_style),
            "status": ["In progress.", "• Reminder sent on 3 November"],
            "by": [organisation],
        }
        for cell, column in zip(cells, columns, strict=True):
            fill_cell(cell, values[column])
    document.add_paragraph("Resolved: That the completed and closed actions be noted.")
    document.save(path)
    return items, meeting


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("seed", range(4))
def test_undertakings_in_tables_are_read_under_their_subject(tmp_path, layout, seed):
    path = tmp_path / "actions.docx"
    items, meeting = write_minutes(path, layout, seed + 10 * LAYOUTS.index(layout))
    letter = read_letter(path)
    assert letter.document_kind == "minutes"
    assert letter.head.date == meeting
    assert letter.head.sender == "Police and Crime Committee"
    assert [(a.theme, a.addressee, a.text) for a in letter.asks] == _expected(items, meeting)
    assert letter.themes == tuple(subject for subject, *_ in items)
    assert {a.made for a in letter.asks} == {meeting}
