"""Minutes of a Committee meeting: each witness's undertaking becomes an ask of kind *undertaking*.

Minutes say, under an agenda item, e.g. "Sir Mark Rowley QPM (Commissioner of Police of the Metropolis)
undertook to: (a) provide …; (b) write …" (the promises inline or as a list), or "The Deputy Mayor
undertook to provide …". Each promise is addressed to the witness's organisation (the Commissioner →
Metropolitan Police Service; the Deputy Mayor for Policing and Crime → MOPAC), dated the meeting date,
under the agenda item's title as its theme. The meeting ("Police and Crime Committee – 12 October 2022")
is read from the top of the minutes.

Minutes and Summary Lists of Actions are often tables (item | subject | action | status | for action
by): a cell holding only the item's number is read with the cell after it ("5." + "Question and Answer
Session" is item 5's title), the subject cell of a row whose action is an undertaking is its theme, and
an undertaking's listed promises are the ones in its own cell.
"""

from __future__ import annotations

import datetime as dt
import re

from pcc_desk.dates import DAY_MONTH_YEAR, house_date, parse_date
from pcc_desk.importers.docx_reading import Cell
from pcc_desk.importers.letter_structure import Block, RawNote, clean, ends_sentence, make_footnote
from pcc_desk.letter_values import (
    DOC_MINUTES,
    KIND_UNDERTAKING,
    LetterHead,
    ParsedAsk,
    ParsedLetter,
)

_UNDERTOOK = re.compile(r"\bundert(?:ook|akes|ake)\s+to\b\s*:?\s*", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:\(?[a-z]{1,3}\)|\(?\d{1,2}\)|[•·▪\-–*]|[a-z]\.)\s+", re.IGNORECASE)
_INLINE_ITEMS = re.compile(r"(?:^|\s)\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)\s+", re.IGNORECASE)
_ITEM_HEADING = re.compile(r"^(?i:Item\s+)?(?P<num>\d{1,2})[.:]?\s+(?P<title>[A-Z].*)$")
_PARA_NUMBER = re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+")

ORGANISATIONS = (
    (
        re.compile(r"Deputy Mayor for Policing|MOPAC|Mayor.s Office for Policing", re.IGNORECASE),
        "MOPAC",
    ),
    (
        re.compile(
            r"Commissioner of Police of the Metropolis|Metropolitan Police|\bMPS\b|\bMet\b|"
            r"\b(?:Deputy |Assistant |Acting )?Commissioner\b|\bCommander\b|Chief Superintendent",
            re.IGNORECASE,
        ),
        "Metropolitan Police Service",
    ),
)


def looks_like_minutes(blocks: list[Block]) -> bool:
    """No "Dear …" letter, and a witness undertook to do something."""
    texts = [b.text.strip() for b in blocks]
    if any(re.match(r"^Dear\s", t) for t in texts):
        return False
    return any(_UNDERTOOK.search(t) for t in texts)


def organisation_of(who: str, role: str) -> str:
    for pattern, organisation in ORGANISATIONS:
        if pattern.search(role) or pattern.search(who):
            return organisation
    if "," in role:
        return role.rsplit(",", 1)[1].strip()
    return role or who


_NUMBER_ONLY = re.compile(r"^(?i:Item\s+)?\d{1,2}(?:\.\d{1,2})?[.:]?$")


def _units(blocks: list[Block]) -> tuple[list[str], set[int], list[tuple[object, ...]]]:
    """Paragraphs, with each list item (``(a) …``, ``• …``) a unit of its own; which are headings; and
    where each unit sits (see :attr:`Block.place`)."""
    units: list[str] = []
    headings: set[int] = set()
    places: list[tuple[object, ...]] = []
    for block in blocks:
        started = False
        for line in block.text.split("\n"):
            line = line.strip()
            if not line:
                continue
            if not started or _LIST_ITEM.match(line):
                if not started and block.heading:
                    headings.add(len(units))
                units.append(line)
                places.append(block.place)
                started = True
            else:
                units[-1] = f"{units[-1]} {line}"
    units = [clean(u) for u in units]
    return _table_rows(units, headings, places)


def _row_of(place: tuple[object, ...]) -> tuple[tuple[object, ...], int, int] | None:
    cell = place[-1] if place else None
    return (place[:-1], cell.table, cell.row) if isinstance(cell, Cell) else None


def _table_rows(
    units: list[str], headings: set[int], places: list[tuple[object, ...]]
) -> tuple[list[str], set[int], list[tuple[object, ...]]]:
    """Table rows read as a person reads them: an item number alone in its cell joins the text of the
    next cell, and a row's first cell is a heading when a later cell of the row holds an undertaking."""
    out_units: list[str] = []
    out_places: list[tuple[object, ...]] = []
    out_headings: set[int] = set()
    n = 0
    while n < len(units):
        unit, place = units[n], places[n]
        row = _row_of(place)
        if (
            row is not None
            and _NUMBER_ONLY.match(unit)
            and n + 1 < len(units)
            and _row_of(places[n + 1]) == row
            and places[n + 1] != place
        ):
            unit, place = f"{unit} {units[n + 1]}", places[n + 1]
            n += 1
        if n in headings:
            out_headings.add(len(out_units))
        out_units.append(unit)
        out_places.append(place)
        n += 1
    n = 0
    while n < len(out_units):  # each table row once
        row = _row_of(out_places[n])
        end = n + 1
        while row is not None and end < len(out_units) and _row_of(out_places[end]) == row:
            end += 1
        first_cell = [m for m in range(n, end) if out_places[m] == out_places[n]]
        if (
            row is not None
            and len(first_cell) == 1
            and not _UNDERTOOK.search(out_units[n])
            and any(_UNDERTOOK.search(out_units[m]) for m in range(n + 1, end))
        ):
            out_headings.add(n)
        n = end
    return out_units, out_headings, out_places


_COMMITTEE_AT_START = re.compile(
    r"^(?:Minutes(?: of the)?\s*:?\s*)?(?P<c>.*?Committee)\b", re.IGNORECASE
)


def _meeting(units: list[str]) -> tuple[str, dt.date | None]:
    """(committee, date) from the top: one line ("Police and Crime Committee – 12 October 2022"), or
    the two apart (a title and a date in two cells of a table, or on two lines)."""
    top = units[:8]
    for unit in top:
        if DAY_MONTH_YEAR.search(unit) and len(unit.split()) <= 16:
            match = _COMMITTEE_AT_START.match(unit)
            if match is None:
                match = next(
                    (
                        m
                        for m in (
                            _COMMITTEE_AT_START.match(u)
                            for u in top
                            if len(u.split()) <= 10 and not ends_sentence(u)
                        )
                        if m and not m.group("c").lower().startswith("the ")
                    ),
                    None,
                )
            return (match.group("c").strip() if match else ""), parse_date(unit)
    for unit in units:
        date = parse_date(unit)
        if date:
            return "", date
    return "", None


def _promise(text: str) -> str:
    text = _LIST_ITEM.sub("", text).strip()
    text = re.sub(r"(;|,)?\s*(and|or)?\s*$", "", text).strip().rstrip(";,").strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if ends_sentence(text) else text + "."


def _witness(lead: str) -> tuple[str, str]:
    """(name, role) from the words before "undertook to"."""
    lead = _PARA_NUMBER.sub("", lead).strip().rstrip(",")
    role = ""
    match = re.search(r"\(([^()]*)\)\s*$", lead)
    if match:
        role = match.group(1).strip()
        lead = lead[: match.start()].strip()
    name = re.split(r",\s*", lead)[-1].strip()
    name = re.sub(r"^(?:and|then|also)\s+", "", name, flags=re.IGNORECASE)
    if not role:
        bare = re.sub(r"^(?:the)\s+", "", name, flags=re.IGNORECASE)
        role = (
            bare
            if not any(w[0].isupper() for w in bare.split()[1:])
            or "Commissioner" in bare
            or "Mayor" in bare
            else ""
        )
    return name, role


def build_minutes(
    blocks: list[Block], notes: dict[int, RawNote], source_format: str, file_name: str = ""
) -> ParsedLetter:
    units, styled, places = _units(blocks)
    committee, date = _meeting(units)
    themes: list[str] = []
    asks: list[ParsedAsk] = []
    theme = ""
    i = 0
    while i < len(units):
        unit = units[i]
        heading = _ITEM_HEADING.match(unit)
        is_heading = (
            (heading is not None or i in styled)
            and not ends_sentence(unit)
            and len(unit.split()) <= 16
        )
        if is_heading and not _UNDERTOOK.search(unit):
            theme = heading.group("title").strip() if heading else unit
            if theme not in themes:
                themes.append(theme)
            i += 1
            continue
        found = _UNDERTOOK.search(unit)
        if not found:
            i += 1
            continue
        name, role = _witness(unit[: found.start()])
        organisation = organisation_of(name, role)
        rest = unit[found.end() :].strip()
        items: list[str] = []
        context_parts = [unit]
        if rest and _INLINE_ITEMS.search(rest):
            items = [p for p in _INLINE_ITEMS.split(rest) if p.strip()]
            if items and not _INLINE_ITEMS.match(rest) and not re.match(r"^\s*\(", rest):
                items = (
                    items[1:]
                    if len(items) > 1 and rest.split("(")[0].strip() == items[0].strip()
                    else items
                )
        elif rest:
            items = [rest]
        j = i + 1
        if not rest or unit.rstrip().endswith(":"):
            while j < len(units) and _LIST_ITEM.match(units[j]) and places[j] == places[i]:
                items.append(units[j])
                context_parts.append(units[j])
                j += 1
        context = " ".join(context_parts)
        for item in items:
            text = _promise(item)
            if text:
                asks.append(
                    ParsedAsk(
                        theme=theme,
                        text=text,
                        context=context,
                        kind=KIND_UNDERTAKING,
                        addressee=organisation,
                        made=date,
                    )
                )
        i = j
    themes = [
        t for t in themes if any(a.theme == t for a in asks)
    ]  # only the items with undertakings
    subject = f"Minutes of the {committee or 'Committee'}" + (
        f", {house_date(date)}" if date else ""
    )
    head = LetterHead(date=date, sender=committee, subject=subject)
    warnings = []
    if not asks:
        warnings.append("no undertakings were found in the minutes")
    if date is None:
        warnings.append("the meeting date was not found")
    footnotes = tuple(
        make_footnote(n.number, n.text, n.urls)
        for n in sorted(notes.values(), key=lambda x: x.number)
    )
    return ParsedLetter(
        head=head,
        themes=tuple(themes),
        asks=tuple(asks),
        footnotes=footnotes,
        source_format=source_format,
        document_kind=DOC_MINUTES,
        warnings=tuple(warnings),
    )
