"""A transcript's committee, meeting date, title and the people it lists, from its header, else from
its file name."""

from __future__ import annotations

import datetime as dt
import re

from pcc_desk.dates import DAY_MONTH_YEAR, ISO_DATE, parse_date
from pcc_desk.importers.transcript.labels import _JOINER, _NAME_WORD, is_standalone
from pcc_desk.importers.transcript.model import COMMITTEE_ABBREVIATIONS
from pcc_desk.importers.transcript.rst import _RST_RULE
from pcc_desk.speakers import is_not_a_role, split_label

_COMMITTEE_WORDS = re.compile(
    r"\b(Committee|Assembly|Panel|Board|Conference|Sub-Committee|House of Commons|House of Lords)\b"
    r"|\bInquiry$"
)
_HEADER_PERSON = re.compile(
    rf"({_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_JOINER})){{1,6}})\s*\(([^()]{{2,80}})\)"
)


_LIST_OF_PEOPLE = re.compile(
    r"^(?:Members present|Present|Witness(?:es)?|In attendance)\s*:\s*(.+)$", re.I
)
_LISTED_NAME = re.compile(rf"^{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_JOINER})){{1,6}}$")


def _listed_people(line: str) -> list[tuple[str, str]]:
    """The people a header lists ("Members present: Dame Diana Johnson (Chair); Ms Diane Abbott;
    Tim Loughton.", "Witnesses: Sir Mark Rowley, Commissioner, Metropolitan Police Service"), with the
    role after the first comma; a role in brackets is read by the caller."""
    match = _LIST_OF_PEOPLE.match(line.strip())
    if not match:
        return []
    people = []
    for item in re.split(r";\s*(?:and\s+)?|\s+and\s+(?=[A-Z])", match.group(1).strip().rstrip(".")):
        name, _, role = re.sub(r"\([^()]*\)", "", item).partition(",")
        name = " ".join(name.split())
        if _LISTED_NAME.match(name):
            people.append((split_label(name).name, role.strip()))
    return people


def _header_facts(header: list[str]) -> tuple[str, dt.date | None, str, list[tuple[str, str]]]:
    committee, date, title = "", None, ""
    people: list[tuple[str, str]] = []
    ordered = sorted(
        header, key=lambda line: "Committee" not in line
    )  # a committee before an assembly
    for line in ordered:
        if not committee and _COMMITTEE_WORDS.search(line) and len(line) <= 150:
            head = re.split(
                r"\s+[–—-]\s+|,\s*(?=\w+day\b)|\s+(?=\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4})",
                line,
            )[0]
            head = re.sub(
                r"^(Transcript|Minutes)\s+of\s+(the\s+)?", "", head, flags=re.IGNORECASE
            ).strip(" :")
            if _COMMITTEE_WORDS.search(head) and not head.lower().startswith(
                ("oral evidence", "transcript")
            ):
                committee = head
    for line in header:
        found = parse_date(line)
        if date is None and found is not None:
            date = found
        lowered = line.lower()
        if not title and (
            lowered.startswith(("transcript of", "oral evidence", "agenda item"))
            or "question and answer" in lowered
        ):
            title = line
        if is_standalone(line):
            continue  # "MR X (continued)." names a witness, not a role
        for name, role in _HEADER_PERSON.findall(line):
            if not is_not_a_role(role):
                people.append((split_label(name).name, role.strip()))
        people.extend(_listed_people(line))
    if not title:
        for line in header:
            if line == committee or (parse_date(line) and len(line) < 60) or ":" in line[:25]:
                continue
            if is_standalone(line) or not re.search(r"[A-Za-z]{2}", line) or _RST_RULE.match(line):
                continue  # "(11.00 am)", "(A short break)", "MR X (sworn)", "=====" are not titles
            if len(line) <= 200:
                title = line
                break
    return committee, date, title, people


def _date_from_name(stem: str) -> dt.date | None:
    match = ISO_DATE.search(stem.replace("_", " "))  # "2023-06-22_module-1"
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    spaced = re.sub(r"[-_.]+", " ", stem)
    if DAY_MONTH_YEAR.search(spaced):
        return parse_date(spaced)
    return None


def _title_from_name(stem: str) -> str:
    text = ISO_DATE.sub(" ", stem.replace("_", " "))
    text = DAY_MONTH_YEAR.sub(" ", re.sub(r"[-_.]+", " ", text))
    words = [("PCC" if w.lower() == "pcc" else w) for w in text.split()]
    title = " ".join(words)
    return title[:1].upper() + title[1:] if title else ""


def _committee_from_name(stem: str) -> str:
    for word in re.split(r"[-_. ]+", stem.lower()):
        if word in COMMITTEE_ABBREVIATIONS:
            return COMMITTEE_ABBREVIATIONS[word]
    return ""
