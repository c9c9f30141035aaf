"""The Committee's figures: how many asks it made, how many were answered within the two-month
deadline, how quickly, how many were accepted, reported implemented and verified, how old the open
ones are and how many are overdue now; for the whole register or grouped by addressee, theme, year or
letter, over the asks made between two dates. Read-only: one session, no journal row.

The rules (the README's *Statistics* says the same in words):

- an ask *counts* when it was made within the dates given (all asks when none are given);
- *answered on time*: its first response was received on or before its original due date (two
  months after it was made, unless given otherwise when it was added); the share is of the asks whose
  deadline has passed or that have been answered (an ask still within its deadline is left out);
- *days to respond*: from the date made to the first response; the median over the answered asks
  (a progress update is not an answer; its reported state counts for implementation);
- *accepted / partly / not accepted*: the position of the latest response; shares of the answered asks;
- *agreed*: accepted or partly accepted, or verified; *reported implemented*: agreed asks whose
  latest response reports it complete, or verified; *verified*: the Committee recorded its own
  verification (``pcc-desk verify``) or closed it as implemented; both shares of the agreed asks;
- *open*: awaiting a response, response received or follow-up needed; by age (whole months since it
  was made, on the day the figures are taken);
- *overdue now*: awaiting a response past its latest due date;
- *by addressee*: each addressee of an ask counts for itself (an ask to the Met and MOPAC is one ask
  for each), with its own due date, status and responses; the total counts each ask once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput
from pcc_desk.letters.output import write_output
from pcc_desk.model import (
    Document,
    Implementation,
    Position,
    Recommendation,
    Response,
    ResponseKind,
    Status,
    Theme,
    Verification,
)
from pcc_desk.services.desk import Desk

GROUPINGS = ("all", "addressee", "theme", "year", "letter")
ALL_ASKS = "All asks"
NO_ADDRESSEE = "(no addressee)"
NO_THEME = "(no theme)"
NO_LETTER = "(added by hand)"
# (label, from months, up to months): whole months since the ask was made
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under 3 months", 0, 3),
    ("3–6 months", 3, 6),
    ("6–12 months", 6, 12),
    ("1–2 years", 12, 24),
    ("over 2 years", 24, None),
)
TABLE_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class GroupStatistics:
    """The figures of one group (or of all the asks counted: :attr:`Statistics.total`)."""

    group: str
    asks: int
    answered: int
    deadline_passed: int  # answered, or past the original due date unanswered
    answered_on_time: int
    on_time_percent: float | None
    median_days_to_respond: float | None
    accepted: int
    partly_accepted: int
    not_accepted: int
    other_position: int
    accepted_percent: float | None
    partly_accepted_percent: float | None
    not_accepted_percent: float | None
    agreed: int
    reported_implemented: int
    reported_implemented_percent: float | None
    verified: int
    verified_percent: float | None
    open: int
    open_by_age: tuple[int, ...]  # one count per AGE_BANDS entry
    overdue: int


@dataclass(frozen=True)
class Statistics:
    by: str
    made_from: dt.date | None
    made_to: dt.date | None
    today: dt.date
    age_bands: tuple[str, ...]
    groups: tuple[GroupStatistics, ...]
    total: GroupStatistics


@dataclass
class _Ask:
    made: dt.date
    original_due: dt.date
    due: dt.date
    status: Status
    first_received: dt.date | None = None
    position: Position | None = None
    implementation: Implementation | None = None
    checked: bool = False  # the Committee recorded a verification
    groups: list[str] = field(default_factory=list)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (17 March → 16 May is 1, → 17 May is 2)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(0, months)


def age_band(months: int) -> int:
    for index, (_label, low, high) in enumerate(AGE_BANDS):
        if months >= low and (high is None or months < high):
            return index
    raise AssertionError("unreachable")


def _percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _figures(group: str, asks: list[_Ask], today: dt.date) -> GroupStatistics:
    answered = [a for a in asks if a.first_received is not None]
    passed = [a for a in asks if a.first_received is not None or a.original_due < today]
    received = [(a, a.first_received) for a in asks if a.first_received is not None]
    on_time = [a for a, day in received if day <= a.original_due]
    days = [(day - a.made).days for a, day in received]
    positions = {p: sum(1 for a in answered if a.position is p) for p in Position}
    agreed = [
        a
        for a in asks
        if a.position in (Position.ACCEPTED, Position.PARTLY_ACCEPTED) or _verified(a)
    ]
    implemented = [
        a for a in agreed if a.implementation is Implementation.REPORTED_COMPLETE or _verified(a)
    ]
    verified = [a for a in agreed if _verified(a)]
    open_asks = [a for a in asks if a.status.is_open]
    by_age = [0] * len(AGE_BANDS)
    for a in open_asks:
        by_age[age_band(months_between(a.made, today))] += 1
    overdue = [a for a in asks if a.status is Status.AWAITING_RESPONSE and a.due < today]
    return GroupStatistics(
        group=group,
        asks=len(asks),
        answered=len(answered),
        deadline_passed=len(passed),
        answered_on_time=len(on_time),
        on_time_percent=_percent(len(on_time), len(passed)),
        median_days_to_respond=float(statistics.median(days)) if days else None,
        accepted=positions[Position.ACCEPTED],
        partly_accepted=positions[Position.PARTLY_ACCEPTED],
        not_accepted=positions[Position.NOT_ACCEPTED],
        other_position=positions[Position.OTHER],
        accepted_percent=_percent(positions[Position.ACCEPTED], len(answered)),
        partly_accepted_percent=_percent(positions[Position.PARTLY_ACCEPTED], len(answered)),
        not_accepted_percent=_percent(positions[Position.NOT_ACCEPTED], len(answered)),
        agreed=len(agreed),
        reported_implemented=len(implemented),
        reported_implemented_percent=_percent(len(implemented), len(agreed)),
        verified=len(verified),
        verified_percent=_percent(len(verified), len(agreed)),
        open=len(open_asks),
        open_by_age=tuple(by_age),
        overdue=len(overdue),
    )


def _verified(ask: _Ask) -> bool:
    return ask.checked or ask.status is Status.CLOSED_IMPLEMENTED


def _letter_label(doc: Document) -> str:
    words = doc.subject or doc.title or doc.file_name or "letter"
    return f"{house_date(doc.date)} – {words}" if doc.date else words


def compute(
    desk: Desk,
    *,
    by: str = "all",
    made_from: dt.date | None = None,
    made_to: dt.date | None = None,
    today: dt.date | None = None,
) -> Statistics:
    """The figures over the asks made between ``made_from`` and ``made_to`` (inclusive), grouped
    ``by`` one of :data:`GROUPINGS`; ``today`` is the day "open" and "overdue" are taken on."""
    by = (by or "all").strip().lower()
    if by not in GROUPINGS:
        raise InvalidInput(f"Statistics can be grouped by {', '.join(GROUPINGS[1:])}, not '{by}'.")
    if made_from and made_to and made_from > made_to:
        raise InvalidInput(
            f"The dates are the wrong way round: {made_from.isoformat()} is after "
            f"{made_to.isoformat()}."
        )
    today = today or dt.date.today()
    stmt = (
        select(Recommendation, Theme.name, Document)
        .join(Theme, Recommendation.theme_id == Theme.id, isouter=True)
        .join(Document, Recommendation.document_id == Document.id, isouter=True)
        .order_by(Recommendation.made, Recommendation.ref)
    )
    if made_from:
        stmt = stmt.where(Recommendation.made >= made_from)
    if made_to:
        stmt = stmt.where(Recommendation.made <= made_to)
    asks: dict[uuid.UUID, _Ask] = {}
    units: dict[uuid.UUID, _Ask] = {}  # by addressee: one per addressee of an ask
    units_of: dict[uuid.UUID, list[_Ask]] = {}
    order: dict[str, tuple[Any, ...]] = {}  # group -> sort key (first seen, for themes and letters)
    if by == "addressee":
        stmt = stmt.options(selectinload(Recommendation.addressees))
    with desk.reading() as session:
        for rec, theme, doc in session.execute(stmt):
            ask = _Ask(rec.made, rec.original_due, rec.due, rec.status)
            if by == "addressee":
                for row in rec.addressees:
                    name = " ".join(row.name.split()) or NO_ADDRESSEE
                    unit = _Ask(rec.made, row.original_due, row.due, row.status, groups=[name])
                    units[row.id] = unit
                    units_of.setdefault(rec.id, []).append(unit)
                    order.setdefault(name, (name == NO_ADDRESSEE, name.lower()))
            elif by == "theme":
                name = theme or NO_THEME
                ask.groups.append(name)
                order.setdefault(name, (name == NO_THEME, rec.made, rec.ordinal))
            elif by == "year":
                ask.groups.append(str(rec.made.year))
                order.setdefault(str(rec.made.year), (rec.made.year,))
            elif by == "letter":
                name = _letter_label(doc) if doc is not None else NO_LETTER
                ask.groups.append(name)
                key = (doc is None, doc.date or rec.made, name) if doc else (True, dt.date.min, "")
                order.setdefault(name, key)
            asks[rec.id] = ask
        if asks:
            responses = select(
                Response.recommendation_id,
                Response.received,
                Response.position,
                Response.implementation,
                Response.kind,
                Response.addressee_id,
            ).order_by(Response.received, Response.created_at)
            if made_from or made_to:
                responses = responses.where(Response.recommendation_id.in_(list(asks)))
            for rec_id, received, position, implementation, kind, who in session.execute(responses):
                found = (asks.get(rec_id), units.get(who) if who is not None else None)
                for ask in (a for a in found if a is not None):
                    if ask.first_received is None and kind is not ResponseKind.PROGRESS_UPDATE:
                        ask.first_received = received
                    ask.position, ask.implementation = position, implementation
            for rec_id in session.scalars(select(Verification.recommendation_id).distinct()):
                for ask in [asks[rec_id], *units_of.get(rec_id, ())] if rec_id in asks else ():
                    ask.checked = True
    everything = list(asks.values())
    if by == "all":
        groups: tuple[GroupStatistics, ...] = (
            (_figures(ALL_ASKS, everything, today),) if everything else ()
        )
    else:
        members: dict[str, list[_Ask]] = {name: [] for name in sorted(order, key=order.__getitem__)}
        for ask in list(units.values()) if by == "addressee" else everything:
            for name in ask.groups:
                members[name].append(ask)
        groups = tuple(_figures(name, rows, today) for name, rows in members.items())
    return Statistics(
        by=by,
        made_from=made_from,
        made_to=made_to,
        today=today,
        age_bands=tuple(label for label, _low, _high in AGE_BANDS),
        groups=groups,
        total=_figures(ALL_ASKS, everything, today),
    )


# --- the table, as a briefing or the annual report takes it --------------------------------------

GROUP_HEADINGS = {
    "all": "Asks",
    "addressee": "Addressee",
    "theme": "Theme",
    "year": "Year made",
    "letter": "Letter",
}


def table_headers(stats: Statistics) -> list[str]:
    return [
        GROUP_HEADINGS[stats.by],
        "Asks made",
        "Answered",
        "Answered on time",
        "On time (%)",
        "Median days to respond",
        "Accepted",
        "Accepted (%)",
        "Partly accepted",
        "Partly accepted (%)",
        "Not accepted",
        "Not accepted (%)",
        "Agreed",
        "Reported implemented",
        "Reported implemented (%)",
        "Verified",
        "Verified (%)",
        "Open",
        *(f"Open {label}" for label in stats.age_bands),
        "Overdue now",
    ]


def table_row(row: GroupStatistics) -> list[str | int | float | None]:
    return [
        row.group,
        row.asks,
        row.answered,
        row.answered_on_time,
        row.on_time_percent,
        row.median_days_to_respond,
        row.accepted,
        row.accepted_percent,
        row.partly_accepted,
        row.partly_accepted_percent,
        row.not_accepted,
        row.not_accepted_percent,
        row.agreed,
        row.reported_implemented,
        row.reported_implemented_percent,
        row.verified,
        row.verified_percent,
        row.open,
        *row.open_by_age,
        row.overdue,
    ]


def table_rows(stats: Statistics) -> list[list[str | int | float | None]]:
    """One row per group, then the total (when grouped)."""
    rows = [table_row(g) for g in stats.groups]
    if stats.by != "all":
        rows.append(table_row(stats.total))
    return rows


def export_table(stats: Statistics, out: str | Path) -> Path:
    """The table as a .csv (UTF-8, opens in Excel) or a .xlsx (numbers as numbers), written whole or
    not at all; a name that is cell text is never run as a formula."""
    from pcc_desk.letters.export import neutralise  # python-docx: only when a table is written

    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in TABLE_FORMATS:
        raise InvalidInput(
            f"{out.name}: the statistics table is written as .csv or .xlsx, not '.{fmt}'."
        )
    headers = table_headers(stats)
    rows = table_rows(stats)
    if fmt == "csv":
        handle = io.StringIO(newline="")
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(
                ["" if v is None else neutralise(v) if isinstance(v, str) else v for v in row]
            )
        write_output(out, handle.getvalue().encode("utf-8-sig"))
        return out
    write_output(out, _xlsx(stats, headers, rows))
    return out


def _xlsx(stats: Statistics, headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from pcc_desk.letters.export import neutralise

    book = Workbook()
    sheet = book.active
    sheet.title = "Statistics"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
    for r in sheet.iter_rows(min_row=2, max_col=1):
        for cell in r:
            cell.data_type = "s"
    sheet.column_dimensions["A"].width = 40
    sheet.freeze_panes = "B2"
    note = sheet.max_row + 2
    period = period_words(stats)
    sheet.cell(
        row=note, column=1, value=f"Asks made {period}; figures on {house_date(stats.today)}"
    )
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def period_words(stats: Statistics) -> str:
    """ "from 1 January 2024 to 31 December 2024", "at any date"."""
    if stats.made_from and stats.made_to:
        return f"from {house_date(stats.made_from)} to {house_date(stats.made_to)}"
    if stats.made_from:
        return f"from {house_date(stats.made_from)}"
    if stats.made_to:
        return f"up to {house_date(stats.made_to)}"
    return "at any date"
