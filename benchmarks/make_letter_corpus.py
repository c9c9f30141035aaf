"""A folder of Committee letters in the sample letter's form (.md, as text exported from a PDF), for
the letter import benchmark: the letter head (sender, recipient, CC, date), "Dear …", the subject,
themes as headings, asks in bold inside the Committee's paragraphs, footnote marks and the notes.

    .venv/bin/python benchmarks/make_letter_corpus.py OUT [--letters 1000] [--asks 20] [--seed 7]

The decade's archive is 1,000 letters of 20 asks. Each letter has its own date (about one every
four days over ten years, some days with two letters), subject and asks, so that none is a
re-import of another. Keep the corpus out of the repository (it is written where you say).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_register import ASKS, THEMES

SUBJECTS = [
    "Police and Crime Committee response to the Metropolitan Police {topic}",
    "{topic}: the Committee's findings and recommendations",
    "Follow-up to the Committee's meeting on {topic}",
]
TOPICS = [
    "draft Turnaround Plan", "stop and search", "neighbourhood policing", "vetting and misconduct",
    "violence against women and girls", "call handling", "youth violence", "counter-terrorism",
    "custody and detention", "the use of force", "rape and serious sexual offences", "road safety",
]  # fmt: skip
SENDERS = [
    ("Susan Hall AM", "Chairman of the Police and Crime Committee"),
    ("Unmesh Desai AM", "Chair of the Police and Crime Committee"),
    ("Caroline Russell AM", "Deputy Chair of the Police and Crime Committee"),
]
RECIPIENTS = [
    ("Sir Mark Rowley", "Commissioner of Police of the Metropolis", "Sir Mark"),
    ("Sophie Linden", "Deputy Mayor for Policing and Crime", "Sophie"),
    ("Dame Cressida Dick", "Commissioner of Police of the Metropolis", "Dame Cressida"),
]
CONTEXT = [
    "The Committee has heard evidence from officers, partners and Londoners on this matter.",
    "The draft Plan states that demand is increasing sharply across the capital.",
    "At the Committee's meeting the Commissioner highlighted the need for precise community crime fighting.",
    "We were pleased to see that progress has been made by MOPAC and the Met since our last letter.",
    "During our investigation we heard that the Met faces significant challenges in recruitment.",
]
VERBS = ["publish", "set out", "report on", "write to the Committee on", "review", "explain"]
OBJECTS = [
    "its timescales for {t}", "the data it holds on {t}", "how it will measure success in {t}",
    "its plans for {t} over the next two years", "the resources it gives to {t}",
    "how it works with partners on {t}", "what Londoners have told it about {t}",
]  # fmt: skip
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹"


def _mark(n: int) -> str:
    return "".join(SUPERSCRIPTS[int(d) - 1] if d != "0" else "⁰" for d in str(n))


def _ask(rng: random.Random, theme: str, n: int) -> str:
    if rng.random() < 0.3:
        base = rng.choice(ASKS).rstrip(".")
        return f"{base}, and say by when for item {n} on {theme.lower()}"
    obj = rng.choice(OBJECTS).format(t=theme.lower())
    return f"the Met should {rng.choice(VERBS)} {obj} ({rng.choice(TOPICS)}, point {n})"


def letter_text(rng: random.Random, day: dt.date, asks: int, serial: int) -> str:
    sender, sender_role = rng.choice(SENDERS)
    recipient, recipient_role, dear = rng.choice(RECIPIENTS)
    topic = rng.choice(TOPICS)
    subject = rng.choice(SUBJECTS).format(topic=topic) + f" ({serial})"
    themes = rng.sample(THEMES, k=min(len(THEMES), max(3, asks // 4)))
    paragraphs, notes = [], []
    for n in range(asks):
        if n % max(1, asks // len(themes)) == 0 and n // max(1, asks // len(themes)) < len(themes):
            paragraphs.append(themes[n // max(1, asks // len(themes))])
        note = n + 1
        context = rng.choice(CONTEXT)
        ask = _ask(rng, themes[min(len(themes) - 1, n // max(1, asks // len(themes)))], n + 1)
        paragraphs.append(
            f"{context}{_mark(note)} The Committee recommends that **{ask}.** {rng.choice(CONTEXT)}"
        )
        notes.append(f"{_mark(note)} Police and Crime Committee, {day:%d %B %Y} – [transcript](#)")
    return (
        f"{sender}\n{sender_role}\n\n{recipient}\n{recipient_role}\n\n(Sent by email)\n\n"
        "CC: Sophie Linden, Deputy Mayor for Policing and Crime; Diana Luchford, CEO, MOPAC\n\n"
        f"{day.day} {day:%B} {day.year}\n\nDear {dear},\n\n{subject}\n\n"
        "I am writing to you on behalf of the Police and Crime Committee.\n\n"
        + "\n\n".join(paragraphs)
        + "\n\n"
        + "\n\n".join(notes)
        + f"\n\nYours sincerely,\n\n{sender}\n{sender_role}\n"
    )


def make_corpus(out: Path, letters: int = 1000, asks: int = 20, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    start = dt.date(2015, 1, 5)
    paths = []
    for i in range(letters):
        day = start + dt.timedelta(days=int(i * 3650 / max(1, letters)))
        path = out / f"letter-{i + 1:04d}-{day.isoformat()}.md"
        path.write_text(letter_text(rng, day, asks, i + 1), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--asks", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = make_corpus(args.out, args.letters, args.asks, args.seed)
    print(f"{len(paths)} letters of {args.asks} asks -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
