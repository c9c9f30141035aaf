"""Minutes of a meeting: every witness's undertaking becomes an undertaking addressed to their organisation."""

from __future__ import annotations

import datetime as dt
import re

import docx
from support.letter_fixtures import MINUTES

from pcc_desk.importers.letters import read_letter
from pcc_desk.services import letter_import, register

PROMISES = [
    (
        "Metropolitan Police Service",
        "Provide the Committee with the number of officers abstracted from neighbourhood teams in each of the last six months.",
    ),
    (
        "Metropolitan Police Service",
        "Write to the Committee with the timetable for the Command and Control Improvement Programme.",
    ),
    (
        "Metropolitan Police Service",
        "Share the new performance framework with the Committee once it is published.",
    ),
    ("MOPAC", "Provide a breakdown of MOPAC's funding for Safer Neighbourhood Boards by borough."),
]


def _check(letter):
    assert letter.document_kind == "minutes"
    assert (
        letter.head.date == dt.date(2022, 10, 12)
        and letter.head.sender == "Police and Crime Committee"
    )
    assert [(a.addressee, a.text) for a in letter.asks] == PROMISES
    assert {a.kind for a in letter.asks} == {"undertaking"}
    assert {a.made for a in letter.asks} == {dt.date(2022, 10, 12)}
    assert letter.themes == ("Question and Answer Session with the Commissioner",)


def test_minutes_text_gives_one_undertaking_per_promise(tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text(MINUTES, encoding="utf-8")
    _check(read_letter(path))


def test_minutes_as_docx_read_the_same(tmp_path):
    document = docx.Document()
    for block in MINUTES.strip().split("\n\n"):
        lines = block.split("\n")
        if len(lines) == 1 and re.match(r"^\d+\.\s", lines[0]):  # agenda item titles as headings
            document.add_heading(lines[0], level=2)
            continue
        for line in lines:
            document.add_paragraph(line)
    path = tmp_path / "minutes.docx"
    document.save(path)
    _check(read_letter(path))


def test_inline_promises_and_other_organisations(tmp_path):
    path = tmp_path / "m.txt"
    path.write_text(
        "Police and Crime Committee - 9 November 2022\n\n3. Policing the Night-time Economy\n\n"
        "3.1 The Commissioner undertook to: (a) provide data on licensing checks; (b) confirm the number of officers on duty.\n\n"
        "3.2 Jane Smith (Chief Executive, London Fire Brigade) undertook to send the Committee the joint protocol.\n",
        encoding="utf-8",
    )
    letter = read_letter(path)
    assert [(a.addressee, a.text) for a in letter.asks] == [
        ("Metropolitan Police Service", "Provide data on licensing checks."),
        ("Metropolitan Police Service", "Confirm the number of officers on duty."),
        ("London Fire Brigade", "Send the Committee the joint protocol."),
    ]


def test_minutes_commit_as_undertakings_dated_the_meeting(desk, tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text(MINUTES, encoding="utf-8")
    result = letter_import.commit(desk, letter_import.preview(desk, path))
    assert result.refs == (
        "PCC-2022-10-12/01",
        "PCC-2022-10-12/02",
        "PCC-2022-10-12/03",
        "PCC-2022-10-12/04",
    )
    assert "4 undertaking(s)" in result.message
    rows = register.list_recommendations(desk)
    assert [(r.kind.value, r.addressee, r.made, r.due) for r in rows] == [
        ("undertaking", "Metropolitan Police Service", dt.date(2022, 10, 12), dt.date(2022, 12, 12))
    ] * 3 + [("undertaking", "MOPAC", dt.date(2022, 10, 12), dt.date(2022, 12, 12))]
    detail = register.get_recommendation(desk, "PCC-2022-10-12/04")
    assert detail.theme == "Question and Answer Session with the Commissioner"
    assert detail.source_title == "Minutes of the Police and Crime Committee, 12 October 2022"


def test_a_letter_mentioning_an_undertaking_stays_a_letter(tmp_path):
    path = tmp_path / "l.md"
    path.write_text(
        "17 March 2023\n\nDear Sir Mark,\n\nSubject\n\nYou undertook to write. **We ask the Met to write to us soon.**\n",
        encoding="utf-8",
    )
    assert read_letter(path).document_kind == "letter"
    assert read_letter(path, minutes=True).document_kind == "minutes"


def test_minutes_with_item_labels_and_heading_styles(tmp_path):
    document = docx.Document()
    document.add_paragraph("Police and Crime Committee – 7 June 2023")
    document.add_heading("Item 4: Violence against Women and Girls", level=2)
    document.add_paragraph(
        "The Deputy Commissioner undertook to provide the Committee with the rape charge rate by borough."
    )
    document.add_heading("Stop and search", level=2)  # a heading with no number
    document.add_paragraph("Sophie Linden (Deputy Mayor for Policing and Crime) undertook to:")
    document.add_paragraph("• publish the stop and search action plan;")
    document.add_paragraph("• report back on the community monitoring groups.")
    path = tmp_path / "minutes-2023-06-07.docx"
    document.save(path)
    letter = read_letter(path)
    assert [(a.theme, a.addressee, a.text) for a in letter.asks] == [
        (
            "Violence against Women and Girls",
            "Metropolitan Police Service",
            "Provide the Committee with the rape charge rate by borough.",
        ),
        ("Stop and search", "MOPAC", "Publish the stop and search action plan."),
        ("Stop and search", "MOPAC", "Report back on the community monitoring groups."),
    ]
    assert letter.head.date == dt.date(2023, 6, 7)
