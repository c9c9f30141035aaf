"""The dates a clerk keeps, as an iCalendar file (RFC 5545) for Outlook: when a response is due, when
an ask is to be done by (its target date) and when its next progress update is due.

Written with the standard library: one all-day event per date, a stable UID per ask and kind of date
(importing a newer file again updates the events instead of doubling them), text escaped (``\\``,
``;``, ``,`` and line breaks) and lines folded at 75 octets without cutting a character, CRLF line
ends, UTF-8. Read-only: no journal row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pcc_desk.cleaning import clean_text
from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput
from pcc_desk.letters.output import write_output
from pcc_desk.model import Recommendation, Response, Status
from pcc_desk.services.desk import Desk
from pcc_desk.services.register import latest_responses
from pcc_desk.services.register.rules import next_update_for
from pcc_desk.services.settings import get_settings

RESPONSE_DUE = "response-due"
TARGET = "target"
NEXT_UPDATE = "next-update"
KIND_WORDS = {
    RESPONSE_DUE: "Response due",
    TARGET: "Target date",
    NEXT_UPDATE: "Progress update due",
}
PRODID = "-//London Assembly//PCC Desk//EN"
REMINDER_DAYS = 7


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    day: dt.date
    kind: str  # one of KIND_WORDS
    ref: str
    summary: str
    description: str


@dataclass(frozen=True)
class ExportedCalendar:
    path: Path
    events: tuple[CalendarEvent, ...]


@dataclass(frozen=True)
class _Clock:
    """The dates of an ask, or of one of its several addressees (``key``: its place, for the uid)."""

    who: str
    key: str
    status: Status
    due: dt.date
    original_due: dt.date
    target: dt.date | None
    original_target: dt.date | None
    latest: Response | None


def _clocks(rec: Recommendation, latest: Response | None) -> list[_Clock]:
    if len(rec.addressees) <= 1:
        return [
            _Clock(
                rec.addressee,
                "",
                rec.status,
                rec.due,
                rec.original_due,
                rec.target,
                rec.original_target,
                latest,
            )
        ]
    clocks = []
    for row in rec.addressees:
        own = [r for r in rec.responses if r.addressee_id == row.id]
        clocks.append(
            _Clock(
                row.name,
                f"-{row.ordinal}",
                row.status,
                row.due,
                row.original_due,
                row.target,
                row.original_target,
                own[-1] if own else None,
            )
        )
    return clocks


def _event(
    rec: Recommendation, clock: _Clock, kind: str, day: dt.date, notes: list[str]
) -> CalendarEvent:
    who = f" ({clock.who})" if clock.who else ""
    return CalendarEvent(
        uid=f"{kind}-{rec.id.hex}{clock.key}@pcc-desk",
        day=day,
        kind=kind,
        ref=rec.ref,
        summary=f"{KIND_WORDS[kind]}: {rec.ref}{who}",
        description="\n".join([rec.text, "", f"Made {house_date(rec.made)}.", *notes]),
    )


def calendar_events(desk: Desk) -> list[CalendarEvent]:
    """Every date still to keep, in date order: the response due date of each ask awaiting one; the
    target date and the next progress update of each open ask that has them."""
    cadence = get_settings(desk).update_cadence_months
    events: list[CalendarEvent] = []
    stmt = (
        select(Recommendation)
        .where(Recommendation.status.in_([s for s in Status if s.is_open]))
        .options(selectinload(Recommendation.addressees))
    )
    with desk.reading() as session:
        recs = list(session.scalars(stmt))
        latest = latest_responses(session, [r.id for r in recs])
        for rec in recs:
            for c in _clocks(rec, latest.get(rec.id)):
                if not c.status.is_open:
                    continue
                if c.status is Status.AWAITING_RESPONSE:
                    notes = []
                    if c.due != c.original_due:
                        notes.append(f"Due date revised from {house_date(c.original_due)}.")
                    events.append(_event(rec, c, RESPONSE_DUE, c.due, notes))
                if c.target is not None:
                    notes = []
                    if c.original_target and c.original_target != c.target:
                        notes.append(f"Target date first given: {house_date(c.original_target)}.")
                    events.append(_event(rec, c, TARGET, c.target, notes))
                resp = c.latest
                update = next_update_for(c.status, resp, cadence)
                if update is not None and resp is not None:
                    words = f"{house_date(resp.received)} ({resp.implementation.label})"
                    events.append(_event(rec, c, NEXT_UPDATE, update, [f"Last update: {words}."]))
    return sorted(events, key=lambda e: (e.day, e.ref, e.kind))


def export_calendar(
    desk: Desk, out: str | Path, *, now: dt.datetime | None = None
) -> ExportedCalendar:
    """Write the calendar to ``out`` (a .ics file), whole or not at all."""
    out = Path(out)
    if out.suffix.lower() != ".ics":
        raise InvalidInput(f"{out.name}: a calendar file should be named ….ics.")
    events = calendar_events(desk)
    name = f"{get_settings(desk).committee}: dates"
    write_output(out, ical_text(events, name, now=now).encode("utf-8"))
    return ExportedCalendar(out, tuple(events))


# --- RFC 5545 ------------------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks as ``\\n``;
    no control characters."""
    value = clean_text(value).replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def fold_line(line: str, limit: int = 75) -> str:
    """One content line folded (RFC 5545 3.1): no line longer than ``limit`` octets, each continuation
    starting with one space, never cutting a UTF-8 character in two."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    room = limit
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > room:
            parts.append("".join(current))
            current, size = [], 0
            room = limit - 1  # the leading space counts
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _date(day: dt.date) -> str:
    return f"{day:%Y%m%d}"


def ical_text(events: list[CalendarEvent], name: str, *, now: dt.datetime | None = None) -> str:
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_date(event.day)}",
            f"DTEND;VALUE=DATE:{_date(event.day + dt.timedelta(days=1))}",
            f"SUMMARY:{escape_text(event.summary)}",
            f"DESCRIPTION:{escape_text(event.description)}",
            f"CATEGORIES:{escape_text(KIND_WORDS[event.kind])}",
            "TRANSP:TRANSPARENT",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(event.summary)}",
            f"TRIGGER:-P{REMINDER_DAYS}D",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)
