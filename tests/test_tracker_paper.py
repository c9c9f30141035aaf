"""The Committee's tracker paper: the cover in committee-report form, Appendix 1 (proposed for
closure) and Appendix 2 (the tracker by letter, RAG in colour and words, with its legend), read back
with python-docx and rendered by LibreOffice; and the batch action that records the Committee's
decision to close, undoable."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess

import docx
import pytest
from docx.enum.section import WD_ORIENT, WD_SECTION
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


# --- the layout: a portrait report, then the tracker in a landscape section of its own ---------------

EXTRA_ASKS = (0, 9, 40)  # asks added to the register: the tracker on one landscape page, or several


def _add_asks(desk, count):
    for n in range(count):
        register.add_recommendation(
            desk,
            f"Ask {n + 1} of a longer list: "
            + "the Met should report on what it found " * (1 + n % 4),
            made=dt.date(2024, 1 + n % 5, 1 + n % 27),
            addressee=("Sir Mark Rowley", "Sophie Linden", "The Mayor")[n % 3],
        )


def _body_order(document):
    """("p", paragraph text) and ("table", first header cell) in body order, and where section 1 ends."""
    items, first_section_ends = [], None
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            items.append(("p", "".join(t.text or "" for t in child.iter(qn("w:t")))))
            if child.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None:
                first_section_ends = len(items)
        elif child.tag == qn("w:tbl"):
            cells = list(child.iter(qn("w:tc")))
            items.append(("table", "".join(t.text or "" for t in cells[0].iter(qn("w:t")))))
    return items, first_section_ends


def _grid_width(table_element):
    return sum(int(c.get(qn("w:w"))) for c in table_element.iter(qn("w:gridCol")))


@BOTH
@pytest.mark.parametrize("extra", EXTRA_ASKS[:2])
def test_the_cover_is_portrait_and_the_tracker_a_landscape_section(desk, tmp_path, extra):
    _build(desk)
    _add_asks(desk, extra)
    written = tracker_paper.write_paper(desk, TODAY, tmp_path / "paper.docx")
    document = docx.Document(str(written.path))
    cover, tracker = document.sections
    assert cover.orientation == WD_ORIENT.PORTRAIT and cover.page_width < cover.page_height
    assert tracker.orientation == WD_ORIENT.LANDSCAPE
    assert (tracker.page_width, tracker.page_height) == (cover.page_height, cover.page_width)
    assert tracker.start_type == WD_SECTION.NEW_PAGE  # a real section break, on a page of its own
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin",
                   "header_distance", "footer_distance"):  # fmt: skip
        assert getattr(tracker, margin) == getattr(cover, margin), margin
    items, split = _body_order(document)
    texts = [text for _kind, text in items]
    assert split is not None
    assert texts.index("Appendix 1: recommendations proposed for closure") < split
    assert any("That the Committee notes the progress" in t for t in texts[:split])
    assert texts.index("Appendix 2: recommendations tracker") >= split
    tracker_tables = [
        i for i, (kind, text) in enumerate(items) if kind == "table" and text == "Ref."
    ]
    assert tracker_tables and len(document.tables) == len(items) - sum(k == "p" for k, _ in items)
    # every table fits the width of text of its own section
    for index, table in zip(
        [i for i, (kind, _t) in enumerate(items) if kind == "table"], document.tables, strict=True
    ):
        section = cover if index < split else tracker
        text_width = section.page_width - section.left_margin - section.right_margin
        assert _grid_width(table._tbl) * 635 <= text_width  # twentieths of a point to EMU
    rows = sum(len(t.rows) - 1 for t in document.tables if t.rows[0].cells[-1].text == "Age")
    assert (
        rows
        == written.asks
        == sum(1 for r in register.list_recommendations(desk) if r.status.is_open)
    )


@pytest.fixture(scope="session")
def rendered_papers(tmp_path_factory, template_db):
    """The paper for registers of several sizes, converted by LibreOffice in one run for the session:
    [(WrittenPaper, pdf)]."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed (scripts/setup.sh --test installs it)")
    from support.docx_readback import to_pdf

    from pcc_desk.services import Desk

    folder = tmp_path_factory.mktemp("tracker-paper")
    papers = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PCC_DESK_DATA_DIR", str(folder / "user-data"))
        for extra in EXTRA_ASKS:
            db = folder / f"register-{extra}.sqlite3"
            shutil.copyfile(template_db, db)
            desk = Desk.open(db)
            try:
                _build(desk)
                _add_asks(desk, extra)
                papers.append(
                    tracker_paper.write_paper(desk, TODAY, folder / f"paper-{extra}.docx")
                )
            finally:
                desk.close()
    pdfs = to_pdf([p.path for p in papers], folder)
    return list(zip(papers, pdfs, strict=True))


def _page_sizes(pdf):
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    return [
        (float(w), float(h))
        for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    ]


@pytest.mark.office
@pytest.mark.slow
def test_libreoffice_lays_the_cover_out_portrait_and_the_tracker_landscape(rendered_papers):
    from support.docx_readback import pdf_text

    landscape_pages = []
    for written, pdf in rendered_papers:
        pages = pdf_text(pdf).split("\f")
        sizes = _page_sizes(pdf)
        assert len(sizes) == len([p for p in pages if p.strip()]) or len(sizes) == len(pages) - 1
        flat = [" ".join(p.split()) for p in pages]
        assert "agrees to close the recommendations listed in Appendix 1" in flat[0]
        appendix_2 = next(
            i for i, p in enumerate(flat) if "Appendix 2: recommendations tracker" in p
        )
        assert "Appendix 2: recommendations tracker" not in " ".join(flat[:appendix_2])
        for number, (width, height) in enumerate(sizes):
            if number < appendix_2:
                assert width < height, f"{written.path.name}: page {number + 1} is not portrait"
            else:
                assert width > height, f"{written.path.name}: page {number + 1} is not landscape"
        for ref in written.proposed_for_closure:
            assert ref in " ".join(flat[:appendix_2])  # Appendix 1, on the portrait pages
        landscape_pages.append(len(sizes) - appendix_2)
    assert landscape_pages[0] >= 1 and landscape_pages[-1] > landscape_pages[0]  # it runs on


@pytest.mark.office
@pytest.mark.slow
def test_the_first_page_and_an_appendix_page_render(rendered_papers, tmp_path):
    """Rendered to PNG (pdftoppm): page 1 taller than wide, an appendix page wider than tall."""
    _written, pdf = rendered_papers[-1]
    last = len(_page_sizes(pdf))
    for page in (1, last):
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", str(page), "-l", str(page), str(pdf),
                        str(tmp_path / f"page-{page}")], check=True)  # fmt: skip
    (first,) = tmp_path.glob("page-1-*.png")
    (appendix,) = tmp_path.glob(f"page-{last}-*.png")
    assert _png_size(first)[0] < _png_size(first)[1]
    assert _png_size(appendix)[0] > _png_size(appendix)[1]
    assert first.stat().st_size > 5_000 and appendix.stat().st_size > 5_000


def _png_size(path):
    header = path.read_bytes()[16:24]
    return int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")


@BOTH
@pytest.mark.parametrize(
    ("name", "derived", "why"),
    [("A1", "Red", "target date passed"), ("A5", "Amber", "response not yet due"),
     ("A6", "Green", "verified by the Committee")],
)  # fmt: skip
def test_the_rating_of_one_ask_is_the_papers(desk, name, derived, why):
    refs, _ = _build(desk)
    ref = refs[name]
    assert tracker_paper.rating(desk, ref, TODAY) == tracker_paper.RagRating(
        derived, why, False, derived
    )
    mine = next(r for r in tracker_paper.RAGS if r != derived)
    tracker_paper.set_rag(desk, ref, mine.lower(), "  Told   at the meeting ")
    assert tracker_paper.rating(desk, ref, TODAY) == tracker_paper.RagRating(
        mine, "Told at the meeting", True, derived
    )
    shown = register.get_recommendation(desk, ref)
    assert (shown.rag, shown.rag_reason) == (mine, "Told at the meeting")
    paper = tracker_paper.paper_for(desk, TODAY)
    row = next(r for g in paper.groups for r in g.rows if r.ref == ref)
    assert (row.rag, row.rag_note) == (mine, "set by the clerk: Told at the meeting")
    tracker_paper.set_rag(desk, ref, None)
    assert tracker_paper.rating(desk, ref, TODAY).by_clerk is False
