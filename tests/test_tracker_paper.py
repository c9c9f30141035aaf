"""The Committee's tracker paper: the cover in committee-report form, Appendix 1 (proposed for
closure) and Appendix 2 (the tracker by letter, RAG in colour and words, with its legend), read back
with python-docx and rendered by LibreOffice; and the batch action that records the Committee's
decision to close, undoable."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from support import follow_register
from support import letter_register as reg
from support.follow_register import TODAY

from pcc_desk.errors import InvalidInput
from pcc_desk.model import Status
from pcc_desk.services import register, tracker_paper, undo, verification

BOTH = pytest.mark.backends("sqlite", "postgresql")


def _build(desk):
    letter_refs = reg.build(desk)
    refs = follow_register.build(desk)
    register.revise_target(desk, refs["A1"], dt.date(2024, 3, 31), "Given by letter")
    verification.verify(desk, refs["A6"], note="Seen", verified_on=dt.date(2024, 6, 1))
    return refs, letter_refs


def _rows(table):
    return [[c.text for c in row.cells] for row in table.rows]


def _fill(cell):
    shd = cell._tc.tcPr.find(qn("w:shd"))
    return shd.get(qn("w:fill")) if shd is not None else None


@BOTH
def test_the_paper_has_the_cover_the_closures_and_the_tracker_by_letter(desk, tmp_path):
    refs, letter_refs = _build(desk)
    written = tracker_paper.write_paper(desk, TODAY, tmp_path / "paper.docx")
    document = docx.Document(str(written.path))
    text = [p.text for p in document.paragraphs]
    assert (
        "Recommendations tracker: progress on the Committee's recommendations"
        in _rows(document.tables[0])[0]
    )
    assert _rows(document.tables[0])[1:3] == [
        ["Report of:", "Executive Director of Secretariat"],
        ["Date:", "30 June 2024"],
    ]
    assert (
        "2.1\tThat the Committee notes the progress made on its recommendations, as set out in "
        "Appendix 2, and agrees to close the recommendations listed in Appendix 1." in text
    )
    # grouped by letter, the letter first (17 March 2023), then the asks added by hand
    headings = [p.text for p in document.paragraphs if p.style.name == "Theme Heading"]
    assert headings[-2].startswith("Letter of 17 March 2023: ")
    assert headings[-1] == "Recommendations added by hand"
    by_hand = _rows(document.tables[-1])
    assert by_hand[0] == ["Ref.", "Recommendation", "Addressee", "Position",
                          "Reported progress", "RAG", "Age"]  # fmt: skip
    # A2 and A3 are closed: not in the tracker; the RAG of the others, each with its rule
    rags = {row[0]: row[5] for row in by_hand[1:]}
    assert rags == {
        refs["A1"]: "Red\n(target date passed)",
        refs["A4"]: "Red\n(response overdue)",
        refs["A5"]: "Amber\n(response not yet due)",
        refs["A6"]: "Green\n(verified by the Committee)",
        refs["A7"]: "Amber\n(response not yet due)",
    }
    fills = {row.cells[0].text: _fill(row.cells[5]) for row in document.tables[-1].rows[1:]}
    assert fills[refs["A1"]] == "FF6B6B" and fills[refs["A6"]] == "4CAF50"
    assert fills[refs["A5"]] == "FFC000"
    a1 = next(row for row in by_hand if row[0] == refs["A1"])
    assert a1[3] == "Accepted" and a1[4].endswith("Target: 31 March 2024")
    assert a1[6] == "17 months"
    assert next(row for row in by_hand if row[0] == refs["A4"])[6] == "12 months; response overdue"
    # the legend says what each colour means
    legend = next(t for t in document.tables if _rows(t)[0] == ["Rating", "Meaning"])
    assert [r[0] for r in _rows(legend)[1:]] == ["Green", "Amber", "Red"]
    # Appendix 1: the Green ones
    assert refs["A6"] in written.proposed_for_closure
    closure = next(t for t in document.tables if _rows(t)[0][:2] == ["Ref.", "Recommendation"]
                   and len(t.columns) == 4)  # fmt: skip
    assert [r[0] for r in _rows(closure)[1:]] == list(written.proposed_for_closure)
    assert written.asks == sum(1 for r in register.list_recommendations(desk) if r.status.is_open)
    assert letter_refs[0] in [c.text for t in document.tables for row in t.rows for c in row.cells]


@BOTH
def test_closing_records_the_decision_and_undo_reopens(desk):
    refs, _letter_refs = _build(desk)
    changes = tracker_paper.close(desk, [refs["A6"], refs["A1"]], dt.date(2024, 7, 10), "7")
    assert [c.to_status for c in changes] == [Status.CLOSED_IMPLEMENTED] * 2
    detail = register.get_recommendation(desk, refs["A6"])
    assert detail.status is Status.CLOSED_IMPLEMENTED
    assert (
        detail.history[-1].note
        == "Committee agreed to close at its meeting of 10 July 2024 (minute 7)"
    )
    with pytest.raises(InvalidInput, match="already"):
        tracker_paper.close(desk, [refs["A5"], refs["A6"]], dt.date(2024, 7, 10))
    assert register.get_recommendation(desk, refs["A5"]).status is Status.AWAITING_RESPONSE
    undo.undo(desk)
    detail = register.get_recommendation(desk, refs["A6"])
    assert detail.status is Status.RESPONSE_RECEIVED
    assert detail.history[-1].note == "Undo of the closure"


def test_commands(cli, db_path, desk, tmp_path):
    refs, _ = _build(desk)
    out = tmp_path / "paper.docx"
    done = cli("tracker-paper", "--meeting", "2024-06-30", str(out), db=db_path, check_rc=0)
    assert "proposed for closure" in done.stdout and refs["A6"] in done.stdout
    closed = cli("close", refs["A6"], "--meeting", "2024-07-10", "--minute", "7", db=db_path,
                 check_rc=0)  # fmt: skip
    assert closed.stdout.strip() == f"{refs['A6']}: response-received -> closed-implemented"
    shown = json.loads(cli("show", refs["A6"], "--json", db=db_path).stdout)
    assert shown["history"][-1]["note"].endswith("(minute 7)")
    bad = cli("tracker-paper", "--meeting", "2024-06-30", str(tmp_path / "p.pdf"), db=db_path)
    assert bad.returncode == 2 and "docx" in bad.stderr


@pytest.mark.office
@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def test_libreoffice_renders_the_paper(desk, tmp_path):
    from support.docx_readback import pdf_text, to_pdf

    refs, _ = _build(desk)
    written = tracker_paper.write_paper(desk, TODAY, tmp_path / "paper.docx")
    (pdf,) = to_pdf([written.path], tmp_path)
    text = pdf_text(pdf)
    pages = text.split("\f")
    assert "agrees to close the recommendations listed in Appendix 1" in " ".join(pages[0].split())
    assert "Appendix 1: recommendations proposed for closure" in text
    assert "Appendix 2: recommendations tracker" in text
    for ref in (refs["A1"], refs["A4"], refs["A6"]):
        assert ref in text
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    assert (tmp_path / "page-1.png").stat().st_size > 5_000


@BOTH
def test_the_clerk_overrides_a_rating_with_a_reason_and_undo_restores_it(desk, tmp_path):
    refs, _ = _build(desk)
    tracker_paper.set_rag(desk, refs["A4"], "amber", "Reply promised by phone on 20 June")
    with pytest.raises(InvalidInput, match="reason"):
        tracker_paper.set_rag(desk, refs["A5"], "red", " ")
    with pytest.raises(InvalidInput, match="Red, Amber or Green"):
        tracker_paper.set_rag(desk, refs["A5"], "purple", "Why")
    written = tracker_paper.write_paper(desk, TODAY, tmp_path / "paper.docx")
    rows = _rows(docx.Document(str(written.path)).tables[-1])
    a4 = next(row for row in rows if row[0] == refs["A4"])
    assert a4[5] == "Amber\n(set by the clerk: Reply promised by phone on 20 June)"
    tracker_paper.set_rag(desk, refs["A5"], "green", "Done early")
    assert (
        refs["A5"]
        in tracker_paper.write_paper(desk, TODAY, tmp_path / "p2.docx").proposed_for_closure
    )
    undo.undo(desk)
    undo.undo(desk)
    rows = _rows(
        docx.Document(
            str(tracker_paper.write_paper(desk, TODAY, tmp_path / "p3.docx").path)
        ).tables[-1]
    )
    assert next(row for row in rows if row[0] == refs["A4"])[5] == "Red\n(response overdue)"


def test_rag_command(cli, db_path, desk):
    refs, _ = _build(desk)
    out = cli("rag", refs["A4"], "amber", "--reason", "Promised", db=db_path, check_rc=0)
    assert out.stdout.strip() == f"{refs['A4']}: RAG Amber"
    assert cli("rag", refs["A4"], "auto", db=db_path, check_rc=0).stdout.strip().endswith("derived")
    bad = cli("rag", refs["A4"], "red", db=db_path)
    assert bad.returncode == 2 and "reason" in bad.stderr
