"""The Committee's tracker paper for a meeting's agenda pack (.docx), in the letters' house style
(the same template, styles and table helpers as the tracker export): a cover in the Assembly's
committee-report form (subject, report of, date; summary; the recommendation to note the progress and
close the asks of Appendix 1) and Appendix 1 (the asks proposed for closure) on portrait pages, then
Appendix 2 (the tracker, grouped by letter, with a RAG rating in colour *and* words, and its legend)
in a landscape section of its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell

from pcc_desk.dates import house_date
from pcc_desk.letters.export import (
    _paragraph,
    _save,
    _table,
    _table_document,
    turn_landscape,
)
from pcc_desk.letters.writer import set_core_properties
from pcc_desk.vocabulary import RAG_FILLS

LEGEND = (
    ("Green", "Done: verified by the Committee, or reported complete and assessed as addressed. "
     "Proposed for closure (Appendix 1)."),
    ("Amber", "In hand: accepted or partly accepted and in progress, or a response still within "
     "its deadline, or not yet assessed."),
    ("Red", "At risk: not accepted, assessed as not addressed, a response overdue, or the target "
     "date passed without completion."),
)  # fmt: skip
TRACKER_HEADERS = (
    "Ref.",
    "Recommendation",
    "Addressee",
    "Position",
    "Reported progress",
    "RAG",
    "Age",
)
WIDTHS_CM = (4.1, 5.6, 2.5, 2.2, 5.6, 2.2, 2.3)  # landscape
CLOSE_WIDTHS_CM = (3.9, 5.0, 2.5, 4.6)  # portrait


@dataclass(frozen=True)
class PaperRow:
    ref: str
    ask: str
    addressee: str
    position: str
    progress: str
    rag: str  # Red | Amber | Green
    rag_note: str  # why (the clerk's reason for an override, or the rule that gave it)
    age: str  # "14 months; overdue"


@dataclass(frozen=True)
class PaperGroup:
    letter: str
    rows: tuple[PaperRow, ...]


@dataclass(frozen=True)
class TrackerPaper:
    committee: str
    meeting: dt.date
    report_of: str
    groups: tuple[PaperGroup, ...]
    close: tuple[PaperRow, ...]  # proposed for closure (the Green ones)


def _shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _numbered(document: Document, number: str, text: str) -> None:
    _paragraph(document, f"{number}\t{text}", "Normal")


def _cover(document: Document, paper: TrackerPaper) -> None:
    _paragraph(document, paper.committee, "Letter Subject")
    head = [
        ("Subject:", "Recommendations tracker: progress on the Committee's recommendations"),
        ("Report of:", paper.report_of),
        ("Date:", house_date(paper.meeting)),
        ("", "This report will be considered in public"),
    ]
    _table(document, ("", ""), head, (3.5, 12.5))
    document.tables[-1].rows[0]._tr.getparent().remove(document.tables[-1].rows[0]._tr)
    asks = sum(len(g.rows) for g in paper.groups)
    letters = len(paper.groups)
    _paragraph(document, "1. Summary", "Theme Heading")
    _numbered(
        document,
        "1.1",
        f"This report sets out the progress made on the {asks} recommendation"
        f"{'s' if asks != 1 else ''} the Committee has made in {letters} letter"
        f"{'s' if letters != 1 else ''} that remain open, as reported by those they were addressed "
        "to and as assessed by the Committee, each with a red, amber or green (RAG) rating "
        "(Appendix 2).",
    )
    _numbered(
        document,
        "1.2",
        f"{len(paper.close)} recommendation{'s are' if len(paper.close) != 1 else ' is'} proposed "
        "for closure because the work has been done (Appendix 1).",
    )
    _paragraph(document, "2. Recommendations", "Theme Heading")
    _numbered(
        document,
        "2.1",
        "That the Committee notes the progress made on its recommendations, as set out in "
        "Appendix 2, and agrees to close the recommendations listed in Appendix 1.",
    )


def _legend(document: Document) -> None:
    _paragraph(document, "RAG ratings", "Theme Heading")
    table = _table(document, ("Rating", "Meaning"), LEGEND, (2.6, 21.5))
    for row, (rag, _meaning) in zip(table.rows[1:], LEGEND, strict=True):
        _shade(row.cells[0], RAG_FILLS[rag])


def _row_values(row: PaperRow) -> list[str]:
    rag = f"{row.rag}\n({row.rag_note})" if row.rag_note else row.rag
    return [row.ref, row.ask, row.addressee, row.position, row.progress, rag, row.age]


def write_tracker_paper(paper: TrackerPaper, target: Path) -> None:
    """The cover and Appendix 1 on portrait pages (the committee-report form), then Appendix 2, the
    tracker, in a landscape section of its own (a section break: orientation and page size swapped,
    the margins kept)."""
    document = _table_document(landscape=False)
    _cover(document, paper)
    document.add_page_break()  # type: ignore[no-untyped-call]
    _paragraph(document, "Appendix 1: recommendations proposed for closure", "Letter Subject")
    if paper.close:
        close = [[r.ref, r.ask, r.addressee, r.progress] for r in paper.close]
        _table(document, ("Ref.", "Recommendation", "Addressee", "Reported progress"), close,
               CLOSE_WIDTHS_CM)  # fmt: skip
    else:
        _paragraph(document, "No recommendation is proposed for closure.", "Normal")
    turn_landscape(document.add_section(WD_SECTION.NEW_PAGE))
    _paragraph(document, "Appendix 2: recommendations tracker", "Letter Subject")
    _legend(document)
    for group in paper.groups:
        _paragraph(document, group.letter, "Theme Heading")
        table = _table(document, TRACKER_HEADERS, [_row_values(r) for r in group.rows], WIDTHS_CM)
        for row, values in zip(table.rows[1:], group.rows, strict=True):
            _shade(row.cells[5], RAG_FILLS[values.rag])
    set_core_properties(
        document, title=f"{paper.committee}: recommendations tracker, {house_date(paper.meeting)}"
    )
    _save(document, target)
