"""Dates as the Committee writes them ("17 March 2023") and as they appear in documents."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    m.lower(): i
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9

_MONTH_RE = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_RE}\s+(\d{{4}})\b", re.IGNORECASE
)
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def house_date(day: dt.date) -> str:
    """``17 March 2023``: the house format, no leading zero."""
    return f"{day.day} {day:%B %Y}"


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text`` written as "12 October 2022", "12th Oct 2022" or ISO "2022-10-12"."""
    match = DAY_MONTH_YEAR.search(text or "")
    if match:
        day, month, year = (
            int(match.group(1)),
            MONTHS[match.group(2).lower().rstrip(".")],
            int(match.group(3)),
        )
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    match = ISO_DATE.search(text or "")
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    return None
