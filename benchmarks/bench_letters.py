"""A follow-up letter of 100 recommendations with 200 real footnotes, against python-docx writing the
same paragraphs (same template, same styles) with no footnotes, in the same run.

    .venv/bin/python benchmarks/bench_letters.py [--rounds 5]

Prints the best of N rounds for each, and the ratio (aim: under 2×, and well under a second).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx

from pcc_desk.letters import writer as w
from pcc_desk.services.dto import FootnoteRecord

THEMES = 10
ITEMS = 100


def letter_input() -> w.LetterInput:
    items = []
    for i in range(ITEMS):
        meeting = dt.date(2022, 10, 12) + dt.timedelta(days=7 * (i % 20))
        items.append(
            w.ItemInput(
                ref=f"PCC-2023-03-17/{i + 1:03d}",
                theme=f"Theme {i % THEMES + 1}: delivering the mission",
                ask=f"further detail on timescales for commitment {i + 1} and how the Met will report on its measures of success.",
                made=dt.date(2023, 3, 17),
                due=dt.date(2023, 5, 17),
                letter_date=dt.date(2023, 3, 17),
                footnotes=(
                    FootnoteRecord(
                        id=uuid.uuid4(),
                        number=1,
                        text="MPS Turnaround Plan 2023-2025 (met.police.uk)",
                        urls=("https://www.met.police.uk/turnaround-plan",),
                    ),
                ),
                quotes=(
                    w.QuoteInput(
                        f"we will publish quarterly updates on progress against commitment {i + 1}",
                        "Sir Mark Rowley",
                        f"Police and Crime Committee, {meeting.day} {meeting:%B %Y} – transcript",
                        meeting,
                    ),
                ),
                response=w.ResponseInput(
                    dt.date(2023, 5, 2), "The final Plan sets out our performance framework. " * 3
                )
                if i % 2
                else None,
                follow_up_needed=bool(i % 2),
            )
        )
    return w.LetterInput(
        committee="Police and Crime Committee",
        sender="Susan Hall AM",
        sender_role="Chairman of the Police and Crime Committee",
        recipient="Sir Mark Rowley",
        recipient_role="Commissioner of Police of the Metropolis",
        date=dt.date(2023, 7, 14),
        items=tuple(items),
        originals=(
            w.OriginalLetter(dt.date(2023, 3, 17), "Response to the draft Turnaround Plan"),
        ),
        cc=("Sophie Linden, Deputy Mayor for Policing and Crime",),
        reply_by=dt.date(2023, 8, 14),
        clerk_name="Janette Roker",
        clerk_email="janette.roker@london.gov.uk",
    )


def ours(letter: w.LetterInput, target: Path) -> int:
    return w.write_letter(letter, target).footnotes


def baseline(blocks: list[w.Block], target: Path, *, resolve_once: bool = False) -> None:
    """python-docx's own API: the same paragraphs and styles, asks bold, no footnotes.

    ``resolve_once`` looks each style up once instead of by name for every paragraph (python-docx's
    by-name lookup scans the styles each time), the fastest plain use of its API.
    """
    document = docx.Document(str(w.default_template()))
    styles = {role: document.styles[name] for role, (name, _plain) in w.PARAGRAPH_ROLES.items()}
    ask = document.styles["Ask"]
    for block in blocks:
        style = styles[block.role] if resolve_once else w.PARAGRAPH_ROLES[block.role][0]
        paragraph = document.add_paragraph(style=style)
        for part in block.parts:
            if isinstance(part, w.Strong):
                paragraph.add_run(part.text, style=ask if resolve_once else "Ask")
            elif isinstance(part, str):
                paragraph.add_run(part)
    document.save(str(target))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    letter = letter_input()
    blocks = w.compose(letter)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        best_ours = best_base = best_once = float("inf")
        notes = 0
        for _ in range(args.rounds):
            start = time.perf_counter()
            notes = ours(letter, folder / "ours.docx")
            best_ours = min(best_ours, time.perf_counter() - start)
            start = time.perf_counter()
            baseline(blocks, folder / "baseline.docx")
            best_base = min(best_base, time.perf_counter() - start)
            start = time.perf_counter()
            baseline(blocks, folder / "baseline-once.docx", resolve_once=True)
            best_once = min(best_once, time.perf_counter() - start)
    print(f"letter: {ITEMS} recommendations, {len(blocks)} paragraphs, {notes} footnotes")
    print(
        f"pcc-desk writer (compose, render, footnotes, renumber, atomic save): {best_ours * 1000:7.1f} ms"
    )
    print(
        f"python-docx, same paragraphs, no footnotes:                            {best_base * 1000:7.1f} ms"
    )
    print(
        f"python-docx, same, each style looked up once:                          {best_once * 1000:7.1f} ms"
    )
    print(
        f"ratio: {best_ours / best_base:.2f}x (against styles looked up once: {best_ours / best_once:.2f}x)"
    )


if __name__ == "__main__":
    main()
