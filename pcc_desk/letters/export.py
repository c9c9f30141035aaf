"""Tables out of the register: the tracker (.docx, .csv, .xlsx) and the Summary List of Actions (.docx).

Spreadsheet cells that start with ``= + - @`` (or a tab or carriage return) would be run as formulas by
Excel; they are neutralised with a leading apostrophe, the convention Excel itself shows for "text".
Every file is written atomically; a target open in Word or Excel gives ``FileLocked``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm
from docx.table import Table, _Cell, _Row

from pcc_desk.cleaning import clean_text
from pcc_desk.dates import house_date
from pcc_desk.letters.output import write_output
from pcc_desk.letters.render import open_template
from pcc_desk.letters.writer import set_core_properties

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TRACKER_HEADERS = (
    "Reference",
    "Theme",
    "Ask",
    "Latest response",
    "Response date",
    "Position",
    "Implementation",
    "Assessment",
    "Status",
    "Due date",
)
ACTION_HEADERS = ("Minute item", "Action required", "Status", "Action by")


@dataclass(frozen=True)
class TrackerRow:
    ref: str
    theme: str
    ask: str
    latest_response: str
    response_date: dt.date | None
    position: str
    implementation: str
    assessment: str
    status: str
    due: dt.date

    def values(self) -> tuple[object, ...]:
        return (
            self.ref,
            self.theme,
            self.ask,
            self.latest_response,
            self.response_date,
            self.position,
            self.implementation,
            self.assessment,
            self.status,
            self.due,
        )


@dataclass(frozen=True)
class ActionRow:
    minute_item: str
    action: str
    status: str
    action_by: str
    ref: str = ""


def neutralise(value: str) -> str:
    """A spreadsheet cell that cannot run as a formula (and holds no control character)."""
    value = clean_text(value)
    if value and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- .csv and .xlsx -----------------------------------------------------------------------------


def write_tracker_csv(rows: Sequence[TrackerRow], target: Path) -> None:
    handle = io.StringIO(newline="")
    writer = csv.writer(handle)
    writer.writerow(TRACKER_HEADERS)
    for row in rows:
        writer.writerow([neutralise(_cell_text(v)) for v in row.values()])
    # utf-8 with a BOM: Excel then reads "Sir Mark’s" and "–" correctly
    write_output(target, handle.getvalue().encode("utf-8-sig"))


def write_tracker_xlsx(rows: Sequence[TrackerRow], target: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(list(TRACKER_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = []
        for value in row.values():
            values.append(
                value if isinstance(value, dt.date) or value is None else neutralise(str(value))
            )
        sheet.append(values)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r in sheet.iter_rows(min_row=2):
        for cell in r:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
                cell.alignment = wrap
            elif isinstance(cell.value, dt.date):
                cell.number_format = "d mmmm yyyy"
    for column, width in zip("ABCDEFGHIJ", (20, 24, 60, 60, 16, 16, 18, 18, 20, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    data = io.BytesIO()
    book.save(data)
    write_output(target, data.getvalue())


# --- Word tables --------------------------------------------------------------------------------


def _table_document(landscape: bool) -> Document:
    document = open_template()
    section = document.sections[0]
    section.different_first_page_header_footer = False
    if landscape:
        turn_landscape(section)
    return document


def turn_landscape(section: Section) -> None:
    """Lay ``section`` out landscape: orientation set, page width and height swapped, margins kept."""
    width, height = section.page_width, section.page_height
    section.orientation = WD_ORIENT.LANDSCAPE
    if width is not None and height is not None and width < height:
        section.page_width, section.page_height = height, width


def _style_id(document: Document, name: str, fallback: str = "Normal") -> str:
    for candidate in (name, fallback):
        try:
            style = document.styles[candidate]
        except KeyError:
            continue
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            return str(style.style_id)
    return "Normal"


def _set_cell(cell: _Cell, text: str, style_id: str) -> None:
    p = cell.paragraphs[0]._p
    ppr = p.get_or_add_pPr()
    ppr.get_or_add_pStyle().set(qn("w:val"), style_id)
    lines = clean_text(text or "").split("\n")
    r = OxmlElement("w:r")
    for i, line in enumerate(lines):
        if i:
            r.append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        r.append(t)
    p.append(r)


def _repeat_header(row: _Row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    trpr.append(header)


def _table(
    document: Document,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_cm: Sequence[float],
) -> Table:
    table: Table = document.add_table(rows=1 + len(rows), cols=len(headers))
    if _has(document, "Table Grid"):
        table.style = document.styles["Table Grid"]
    head_id = _style_id(document, "Table Heading")
    text_id = _style_id(document, "Table Text")
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _set_cell(cell, header, head_id)
    _repeat_header(table.rows[0])
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            _set_cell(cell, value, text_id)
    table.autofit = False
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=True):
        grid_col.w = Cm(width)  # LibreOffice reads the grid, Word the cells
    for column, width in zip(table.columns, widths_cm, strict=True):
        for cell in column.cells:
            cell.width = Cm(width)
    return table


def _paragraph(document: Document, text: str, style_name: str) -> None:
    document.add_paragraph(
        clean_text(text), style=document.styles[style_name] if _has(document, style_name) else None
    )


def _has(document: Document, name: str) -> bool:
    try:
        document.styles[name]
    except KeyError:
        return False
    return True


def _save(document: Document, target: Path) -> None:
    data = io.BytesIO()
    document.save(data)
    write_output(target, data.getvalue())


def write_tracker_docx(
    rows: Sequence[TrackerRow], target: Path, *, title: str, date: dt.date
) -> None:
    document = _table_document(landscape=True)
    _paragraph(document, title, "Letter Subject")
    _paragraph(
        document,
        f"As at {house_date(date)}: {len(rows)} recommendation{'s' if len(rows) != 1 else ''}.",
        "Letter Note",
    )
    body = []
    for row in rows:
        response = ""
        if row.latest_response:
            response = (
                f"{house_date(row.response_date)}: " if row.response_date else ""
            ) + row.latest_response
        body.append(
            [
                row.ref,
                row.theme,
                row.ask,
                response,
                row.position,
                row.implementation,
                row.assessment,
                row.status,
                house_date(row.due),
            ]
        )
    headers = [h for h in TRACKER_HEADERS if h != "Response date"]
    _table(document, headers, body, (2.4, 2.3, 4.6, 4.8, 1.9, 2.3, 2.2, 2.4, 1.8))
    set_core_properties(document, title=title)
    _save(document, target)


def write_summary_of_actions(rows: Sequence[ActionRow], target: Path, *, heading: str) -> None:
    document = _table_document(landscape=False)
    _paragraph(document, "Summary List of Actions", "Letter Subject")
    _paragraph(document, heading, "Letter Note")
    body = [[r.minute_item, r.action, r.status, r.action_by] for r in rows]
    _table(document, ACTION_HEADERS, body, (3.4, 6.8, 3.6, 2.2))
    set_core_properties(document, title=f"Summary List of Actions – {heading}")
    _save(document, target)
