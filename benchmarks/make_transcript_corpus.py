# ruff: noqa: SIM905
"""Generate a realistic corpus of committee transcripts for the benchmarks.

The Assembly's decade is ~1,000 transcripts of ~20,000 words (~20 million words). Each generated
transcript is a Word file laid out like the London Assembly's: a header ("Police and Crime Committee –
12 October 2022", "Transcript of Agenda Item 5 – …") and speaker turns (``Susan Hall AM (Chairman): …``,
``Sir Mark Rowley QPM (Commissioner of Police of the Metropolis): …``, ``The Commissioner: …``),
multi-paragraph turns, curly apostrophes. Words follow a Zipf-like distribution over a vocabulary of
real English and policing words plus a long tail of rarer made-up words, so common and rare terms behave
as in real text.

    python benchmarks/make_transcript_corpus.py OUT_DIR [--transcripts 1000] [--words 20000] [--format docx|txt]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import sys
from pathlib import Path

COMMITTEES = [
    "Police and Crime Committee",
    "Budget and Performance Committee",
    "Transport Committee",
    "Housing Committee",
    "Health Committee",
    "Environment Committee",
    "Economy Committee",
    "Planning and Regeneration Committee",
    "Fire, Resilience and Emergency Planning Committee",
    "Oversight Committee",
    "GLA Oversight Committee",
    "Audit Panel",
]
MEMBERS = [
    "Susan Hall",
    "Caroline Russell",
    "Unmesh Desai",
    "Marina Ahmad",
    "Sem Moema",
    "Peter Fortune",
    "Neil Garratt",
    "Len Duvall",
    "Shaun Bailey",
    "Siân Berry",
    "Caroline Pidgeon",
    "Tony Devenish",
    "Andrew Boff",
    "Joanne McCartney",
    "Navin Shah",
    "Keith Prince",
    "Hina Bokhari",
    "Emma Best",
    "Krupesh Hirani",
    "Anne Clarke",
    "Nicholas Rogers",
    "Zack Polanski",
    "Sakina Sheikh",
    "Elly Baker",
]
WITNESSES = [
    ("Sir Mark Rowley", "QPM", "Commissioner of Police of the Metropolis", "The Commissioner"),
    (
        "Dame Cressida Dick",
        "DBE QPM",
        "Commissioner of Police of the Metropolis",
        "The Commissioner",
    ),
    (
        "Dame Lynne Owens",
        "DBE CBE QPM",
        "Deputy Commissioner, Metropolitan Police Service",
        "The Deputy Commissioner",
    ),
    ("Sophie Linden", "", "Deputy Mayor for Policing and Crime", "The Deputy Mayor"),
    ("Diana Luchford", "", "Chief Executive Officer, MOPAC", None),
    ("Matt Twist", "QPM", "Assistant Commissioner, Metropolitan Police Service", None),
    ("Professor Elizabeth Stanko", "OBE", "Independent Adviser", None),
    ("Claire Waxman", "OBE", "Victims' Commissioner for London", None),
    ("Andy Roe", "QFSM", "London Fire Commissioner", None),
]
COMMON = """the of and to a in that is it we for on be this have are as with not I you they at
what but by from there will all which do so our can about think one would if has more been their an
was very some those them were people its had just also when no any out up these how know going want
really need make other now who because then into time work really well look way get new said""".split()
DOMAIN = """police policing officers officer Met Metropolitan Commissioner Committee London Londoners
crime victims violence women girls stop search trust confidence neighbourhood wards borough boroughs
vetting misconduct standards culture review Casey report turnaround plan recruitment training custody
knife domestic abuse sexual offences rape investigations charge detection rates response times calls 999
101 budget funding savings MOPAC Mayor Deputy accountability scrutiny data evidence figures percentage
quarter year months community communities engagement safer schools youth young diversion gangs drugs
county lines firearms terrorism protest demonstrations public order events stations front counters
technology body worn video cameras facial recognition digital forensics backlog courts CPS Home Office
inspection HMICFRS recommendations recommendation response progress timescales milestones delivery
measures outcomes performance resources workforce sergeants constables PCSOs specials volunteers
wellbeing leadership dismissal disciplinary IOPC complaints transparency race action plan Black
Londoners disproportionality handcuffing strip searches children safeguarding mental health partners
NHS councils housing transport TfL buses underground night time economy alcohol licensing""".split()
SYLLABLES = "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo wa we wi wo ya yo za zo".split()
OPENERS = [
    "Thank you, Chair.",
    "Thank you.",
    "Yes.",
    "Can I come back on that?",
    "That’s right.",
    "I’ll be candid with the Committee.",
    "We don’t accept that.",
    "It’s a fair challenge.",
]


def _tail_words(rng: random.Random, n: int) -> list[str]:
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class Vocabulary:
    """Zipf-like sampling over common words, domain words and a long tail."""

    def __init__(self, rng: random.Random, tail: int = 30_000):
        self.words = COMMON + DOMAIN + _tail_words(rng, tail)
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))]
        self.cumulative = list(itertools.accumulate(weights))
        self.rng = rng

    def sentence(self) -> str:
        n = self.rng.randint(6, 28)
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=n)
        if self.rng.random() < 0.2:
            words[self.rng.randrange(n)] = self.rng.choice(
                ["Met’s", "don’t", "we’re", "it’s", "Londoners’", "Commissioner’s"]
            )
        text = " ".join(words)
        return text[:1].upper() + text[1:] + self.rng.choice([".", ".", ".", "?", "."])


def transcript(
    rng: random.Random, vocab: Vocabulary, index: int, words: int, start: dt.date, days: int
) -> tuple[str, dt.date, list[str], list[tuple[str, list[str]]]]:
    committee = COMMITTEES[0] if rng.random() < 0.35 else rng.choice(COMMITTEES)
    date = start + dt.timedelta(days=rng.randrange(days))
    chair = rng.choice(MEMBERS)
    members = rng.sample([m for m in MEMBERS if m != chair], 6)
    witnesses = rng.sample(WITNESSES, 3)
    header = [
        f"{committee} – {date.day} {date:%B %Y}",
        f"Transcript of Agenda Item {rng.randint(3, 9)} – Question and Answer Session on {' '.join(rng.sample(DOMAIN, 3))}",
    ]
    turns: list[tuple[str, list[str]]] = []
    written = 0
    first_time = set()
    while written < words:
        roll = rng.random()
        if roll < 0.25:
            label = f"{chair} AM (Chairman)" if rng.random() < 0.6 else "The Chairman"
        elif roll < 0.55:
            label = f"{rng.choice(members)} AM"
        else:
            name, honours, role, short = rng.choice(witnesses)
            if name not in first_time:
                label = f"{name} {honours} ({role})".replace("  ", " ")
                first_time.add(name)
            elif short and rng.random() < 0.3:
                label = short
            else:
                label = name
        paragraphs = []
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
            sentences = [vocab.sentence() for _ in range(rng.randint(1, 6))]
            if rng.random() < 0.3:
                sentences.insert(0, rng.choice(OPENERS))
            paragraphs.append(" ".join(sentences))
        turns.append((label, paragraphs))
        written += sum(len(p.split()) for p in paragraphs)
    return committee, date, header, turns


def write_docx(path: Path, header: list[str], turns) -> None:
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = header[0]
    for line in header:
        document.add_paragraph(line)
    for label, paragraphs in turns:
        p = document.add_paragraph()
        p.add_run(f"{label}:").bold = True
        p.add_run(f" {paragraphs[0]}")
        for para in paragraphs[1:]:
            document.add_paragraph(para)
    document.save(path)


def write_txt(path: Path, header: list[str], turns) -> None:
    lines = [*header, ""]
    for label, paragraphs in turns:
        lines += [f"{label}: {paragraphs[0]}", ""]
        for para in paragraphs[1:]:
            lines += [para, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def generate(
    out: Path,
    transcripts: int,
    words: int,
    fmt: str = "docx",
    seed: int = 2024,
    progress: bool = True,
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    start, days = dt.date(2014, 5, 1), 3650
    paths = []
    for i in range(transcripts):
        committee, date, header, turns = transcript(rng, vocab, i, words, start, days)
        slug = "".join(w[0] for w in committee.lower().replace(",", "").split() if w[0].isalpha())
        path = out / f"{slug}-{date.isoformat()}-{i:04d}.{fmt}"
        (write_docx if fmt == "docx" else write_txt)(path, header, turns)
        paths.append(path)
        if progress and (i + 1) % 25 == 0:
            print(f"  generated {i + 1}/{transcripts}", file=sys.stderr, flush=True)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--transcripts", type=int, default=1000)
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--format", choices=["docx", "txt"], default="docx")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    paths = generate(args.out, args.transcripts, args.words, args.format, args.seed)
    print(f"{len(paths)} transcripts in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
