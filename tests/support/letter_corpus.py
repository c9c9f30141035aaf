"""Letters in the sample letter's form (.md), many of them, each with its own date, subject, asks
and footnotes citing Committee meetings: for tests of imports on a growing register."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
THEMES = ["Delivering the mission", "Neighbourhood policing", "Stop and search", "Vetting"]
VERBS = ["publish", "set out", "report on", "review", "explain"]


def _mark(n: int) -> str:
    return "".join(SUPERSCRIPTS[int(d)] for d in str(n))


def letter_md(rng: random.Random, day: dt.date, asks: int, serial: int) -> str:
    """A letter of ``asks`` asks in bold, under themes, each with a footnote citing a meeting."""
    body, notes = [], []
    for n in range(asks):
        if n % 3 == 0:
            body.append(THEMES[(n // 3) % len(THEMES)])
        topic = rng.choice(["vetting", "custody", "call handling", "stop and search"])
        body.append(
            f"The Committee heard evidence on {topic}.{_mark(n + 1)} It recommends that **the Met "
            f"should {rng.choice(VERBS)} its plans for {topic} (letter {serial}, point {n + 1}).**"
        )
        meeting = day - dt.timedelta(days=7 * (n % 5 + 1))
        notes.append(
            f"{_mark(n + 1)} Police and Crime Committee, {meeting.day} {meeting:%B %Y} – [transcript](#)"
        )
    return (
        "Susan Hall AM\nChairman of the Police and Crime Committee\n\n"
        "Sir Mark Rowley\nCommissioner of Police of the Metropolis\n\n"
        "CC: Sophie Linden, Deputy Mayor for Policing and Crime\n\n"
        f"{day.day} {day:%B} {day.year}\n\nDear Sir Mark,\n\n"
        f"The Committee's letter number {serial} on policing in London\n\n"
        "I am writing to you on behalf of the Police and Crime Committee.\n\n"
        + "\n\n".join(body)
        + "\n\n"
        + "\n\n".join(notes)
        + "\n\nYours sincerely,\n\nSusan Hall AM\n"
    )


def write_letters(folder: Path, count: int, asks: int, seed: int, start: int = 0) -> list[Path]:
    """``count`` letters numbered from ``start``, one a fortnight from January 2016."""
    rng = random.Random(seed * 1000 + start)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for serial in range(start, start + count):
        day = dt.date(2016, 1, 4) + dt.timedelta(days=14 * serial)
        path = folder / f"letter-{serial:04d}.md"
        path.write_text(letter_md(rng, day, asks, serial), encoding="utf-8")
        paths.append(path)
    return paths
