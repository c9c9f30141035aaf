"""Tracker exports (.docx, .csv, .xlsx) and the Summary List of Actions, read back."""

from __future__ import annotations

import csv
import datetime as dt

import docx
import pytest
from support import letter_register as reg

from pcc_desk.errors import FileLocked, InvalidInput
from pcc_desk.letters.export import ACTION_HEADERS, TRACKER_HEADERS, neutralise
from pcc_desk.model import Status
from pcc_desk.services import register
from pcc_desk.services.letters import Selection, export_tracker, summary_of_actions

# a laptop's file and a team register (PostgreSQL)
pytestmark = pytest.mark.backends("sqlite", "postgresql")

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+44 20 7983 4000",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
    "\rReturn",
]


@pytest.fixture
def filled(desk):
    reg.build(desk)
    added = [
        register.add_recommendation(
            desk, f"ask {i}", theme="=cmd|' /C calc'!A0", made=dt.date(2024, 1, 1 + i)
        )
        for i in range(len(HOSTILE))
    ]
    # straight into the table: the register's own forms strip leading tabs and returns
    from pcc_desk.model import Recommendation

    with desk.transaction() as session:
        for rec, text in zip(added, HOSTILE, strict=True):
            session.get(Recommendation, rec.id).text = text
    return desk


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_like_cells_are_neutralised(value):
    assert neutralise(value) == "'" + value
    assert neutralise("Plain text") == "Plain text"
    assert neutralise("") == ""


def test_csv_has_every_row_and_no_cell_starts_a_formula(filled, tmp_path):
    result = export_tracker(filled, tmp_path / "tracker.csv")
    assert result.rows == len(reg.ASKS) + len(HOSTILE)
    with open(result.path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == TRACKER_HEADERS
    assert all(
        not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows[1:] for cell in row
    )
    by_ref = {row[0]: row for row in rows[1:]}
    first = by_ref[reg.refs()[0]]
    assert first[2] == reg.ASKS[0][1] and first[4] == "2023-05-02" and first[5] == "Partly accepted"
    assert (
        first[7] == "Partly addressed"
        and first[8] == "Follow-up needed"
        and first[9] == "2023-05-17"
    )
    hostile = [row for row in rows[1:] if row[1] == "'=cmd|' /C calc'!A0"]
    assert sorted(row[2] for row in hostile) == sorted("'" + h for h in HOSTILE)


def test_xlsx_cells_are_text_not_formulas_and_dates_are_dates(filled, tmp_path):
    from openpyxl import load_workbook

    result = export_tracker(filled, tmp_path / "tracker.xlsx")
    sheet = load_workbook(result.path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == TRACKER_HEADERS and len(rows) == 1 + result.rows
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert not [
        c.value
        for c in cells
        if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t", "\r"))
    ]
    first = next(r for r in rows if r[0] == reg.refs()[0])
    assert first[4].date() == dt.date(2023, 5, 2) and first[9].date() == dt.date(2023, 5, 17)


def test_tracker_as_a_word_table_in_landscape(filled, tmp_path):
    result = export_tracker(filled, tmp_path / "tracker.docx", "docx")
    document = docx.Document(str(result.path))
    section = document.sections[0]
    assert section.page_width > section.page_height
    table = document.tables[0]
    headers = [c.text for c in table.rows[0].cells]
    assert headers == [h for h in TRACKER_HEADERS if h != "Response date"]
    assert len(table.rows) == 1 + result.rows
    first = next(r for r in table.rows[1:] if r.cells[0].text == reg.refs()[0])
    assert first.cells[3].text.startswith("2 May 2023: The final Turnaround Plan")
    assert first.cells[-1].text == "17 May 2023"
    assert all(p.text.strip() for p in document.paragraphs)


def test_selection_limits_the_export(filled, tmp_path):
    result = export_tracker(
        filled, tmp_path / "t.csv", selection=Selection(status=Status.FOLLOW_UP_NEEDED)
    )
    assert result.rows == 2


def test_wrong_format_or_name_is_refused_and_nothing_written(filled, tmp_path):
    with pytest.raises(InvalidInput, match="not one of"):
        export_tracker(filled, tmp_path / "t.pdf")
    with pytest.raises(InvalidInput, match=r"should be named ….xlsx"):
        export_tracker(filled, tmp_path / "t.csv", "xlsx")
    assert list(tmp_path.glob("t.*")) == []


def test_export_open_in_excel_gives_file_locked(filled, tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "tracker.xlsx"
    target.write_bytes(b"old")
    (tmp_path / "out" / "~$tracker.xlsx").write_bytes(b"owner")
    with pytest.raises(FileLocked):
        export_tracker(filled, target)
    assert target.read_bytes() == b"old"


def test_summary_list_of_actions_has_the_committees_columns(filled, tmp_path):
    result = summary_of_actions(filled, tmp_path / "actions.docx", meeting=dt.date(2023, 7, 12))
    document = docx.Document(str(result.path))
    assert [p.text for p in document.paragraphs[:2]] == [
        "Summary List of Actions",
        "Police and Crime Committee – 12 July 2023",
    ]
    table = document.tables[0]
    assert tuple(c.text for c in table.rows[0].cells) == ACTION_HEADERS
    rows = {r.cells[0].text.split("\n")[-1]: [c.text for c in r.cells] for r in table.rows[1:]}
    first = rows[reg.refs()[0]]
    assert first[0] == f"Letter of 17 March 2023\n{reg.refs()[0]}"
    assert first[1] == reg.ASKS[0][1]
    assert (
        first[2] == "Follow-up needed. Response received 2 May 2023: partly accepted, in progress."
    )
    assert first[3] == "Sir Mark Rowley"
    assert rows[reg.refs()[1]][2] == "Awaiting response (due 17 May 2023)."
    # only open recommendations by default: all of these are open
    assert result.rows == len(reg.ASKS) + len(HOSTILE)


def test_summary_leaves_out_closed_unless_asked(filled, tmp_path):
    register.change_status(filled, reg.refs()[3], Status.CLOSED_IMPLEMENTED, "Verified")
    assert summary_of_actions(filled, tmp_path / "a.docx").rows == len(reg.ASKS) + len(HOSTILE) - 1
    assert summary_of_actions(filled, tmp_path / "b.docx", include_closed=True).rows == len(
        reg.ASKS
    ) + len(HOSTILE)


def test_cli_export_each_format(register_db, tmp_path, cli):
    from pcc_desk.services import Desk

    with Desk.open(register_db) as desk:
        reg.build(desk)
    for fmt in ("docx", "csv", "xlsx"):
        out = tmp_path / f"tracker.{fmt}"
        proc = cli("export", "--format", fmt, "--out", str(out), db=register_db, check_rc=0)
        assert (
            f"{len(reg.ASKS)} recommendation(s) exported as {fmt}" in proc.stdout
            and out.stat().st_size > 0
        )
    proc = cli(
        "summary-of-actions",
        "--meeting",
        "2023-07-12",
        "--out",
        str(tmp_path / "actions.docx"),
        db=register_db,
        check_rc=0,
    )
    assert "12 July 2023" in proc.stdout
    bad = cli(
        "export", "--format", "csv", "--out", str(tmp_path / "x.xlsx"), db=register_db, check_rc=2
    )
    assert bad.stderr.startswith("pcc-desk: ") and not (tmp_path / "x.xlsx").exists()
