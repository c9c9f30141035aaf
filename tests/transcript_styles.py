"""Transcripts in the public styles, generated here with every turn's true speaker, so that tests can
measure speaker accuracy against their own labels on as many variants as they like.

Styles (each from a seed: names, titles, counts and order change with it):
- ``inquiry_day``: a public inquiry day as its official transcript (``LADY HALLETT:``, ``MR KEITH:``,
  ``Q.``/``A.``, ``THE WITNESS:``, ``(10.00 am)``, a witness ``(continued)`` from the day before and one
  sworn or affirmed, ``Questions from …``, one-off ``MS SURNAME:`` speakers), or as the
  reStructuredText / Markdown published from it (``**Lady Hallett**: …``);
- ``london_assembly``: ``Name AM (Role):`` turns under the Committee's header;
- ``commons``: a select committee's oral evidence with question numbers (``Q12 Chair:``);
- ``hansard``: ``The Prime Minister (Rishi Sunak):``, ``Sir X (Constituency) (Lab):``, ``Mr Speaker:``.

Every style returns :class:`Material`: the text and the turns with the expected speaker name.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

FIRST_NAMES = [
    "Matt",
    "Angela",
    "Hugo",
    "Clare",
    "Priya",
    "Jonathan",
    "Siobhan",
    "Kwame",
    "Rhiannon",
    "Declan",
    "Farah",
    "Tobias",
    "Imogen",
    "Yusuf",
    "Bronwen",
    "Callum",
]
SURNAMES = [
    "Hancock",
    "McLean",
    "Keith",
    "Carey",
    "Morris",
    "Wagner",
    "O’Connor",
    "Dawson",
    "Munroe",
    "Shepherd",
    "Friedman",
    "Pezzani",
    "Nield",
    "Stephenson",
    "Jacobs",
    "Ahmed",
    "Okafor",
    "Llewellyn",
    "Van der Berg",
    "Smith-Jones",
    "Gallagher",
    "Henderson",
    "Patel",
    "Quinn",
]
# phrases with real hyphens and words a typesetter would break, for the line-break tests too
COMPOUNDS = [
    "large-scale",
    "long-term",
    "co-operate",
    "well-being",
    "decision-making",
    "follow-up",
    "front-line",
    "short-term",
    "high-profile",
    "cross-border",
    "self-assessment",
    "non-crime",
    "e-mail",
    "mid-March",
    "Covid-19",
    "stop-and-search",
]
WORDS = [
    "the",
    "we",
    "our",
    "plan",
    "was",
    "that",
    "it",
    "had",
    "been",
    "clear",
    "to",
    "everyone",
    "in",
    "the",
    "department",
    "and",
    "at",
    "the",
    "centre",
    "of",
    "government",
    "by",
    "then",
    "so",
    "much",
    "of",
    "what",
    "happened",
    "next",
    "depended",
    "on",
    "testing",
    "capacity",
    "resources",
    "data",
    "guidance",
    "officers",
    "neighbourhood",
    "policing",
    "confidence",
    "communities",
    "recommendations",
    "timescales",
    "accountability",
    "investigation",
    "response",
    "assessment",
    "evidence",
    "statement",
    "meeting",
    "decision",
]


@dataclass
class Turn:
    label: str  # as written in the transcript ("MR KEITH", "Q", "A")
    text: str  # what was said (one paragraph)
    expected: str  # the person who said it, as the transcript writes their name


@dataclass
class Material:
    text: str
    turns: list[Turn] = field(default_factory=list)
    labels: set[str] = field(default_factory=set)  # the distinct speakers

    @property
    def expected(self) -> list[str]:
        return [t.expected for t in self.turns]


def sentence(rng: random.Random, words: int = 14, compounds: float = 0.3) -> str:
    out = []
    for _ in range(words):
        if rng.random() < compounds:
            out.append(rng.choice(COMPOUNDS))
        else:
            out.append(rng.choice(WORDS))
    text = " ".join(out)
    return text[:1].upper() + text[1:] + rng.choice([".", ".", "?", "."])


def speech(rng: random.Random, sentences: int | None = None, compounds: float = 0.15) -> str:
    n = sentences or rng.randint(1, 3)
    return " ".join(sentence(rng, rng.randint(6, 18), compounds) for _ in range(n))


def _names(rng: random.Random, n: int) -> list[tuple[str, str]]:
    firsts = rng.sample(FIRST_NAMES, n)
    lasts = rng.sample(SURNAMES, n)
    return list(zip(firsts, lasts, strict=True))


def accuracy(segments, material: Material) -> tuple[float, list[tuple[str, str, str]]]:
    """Share of turns given to the right speaker, and the wrong ones as (label, expected, got).

    Each turn is looked for, in order, as the start of a segment: a turn merged into the one before
    it (its speaker not recognised) counts as wrong, and does not shift the turns after it."""
    wrong: list[tuple[str, str, str]] = []
    position = 0
    for turn in material.turns:
        found = next(
            (i for i in range(position, len(segments)) if segments[i].text.startswith(turn.text)),
            None,
        )
        if found is None:
            wrong.append((turn.label, turn.expected, "(not a turn of its own)"))
            continue
        position = found + 1
        if segments[found].speaker_name != turn.expected:
            wrong.append((turn.label, turn.expected, segments[found].speaker_name))
    return 1 - len(wrong) / len(material.turns), wrong


# --- public inquiry ---------------------------------------------------------------------------------


def inquiry_day(seed: int, style: str = "official", exchanges: int = 40) -> Material:
    """A hearing day of a public inquiry.

    ``official``: the inquiry's own transcript (capitals, ``Q.``/``A.``); ``rst`` and ``md``: the
    reStructuredText or Markdown published from it (mixed case, every turn labelled in bold)."""
    rng = random.Random(seed)
    caps = style == "official"
    people = _names(rng, 12)
    chair_title = rng.choice(["Lady", "Sir", "Lord", "Baroness", "Dame"])
    chair = f"{chair_title} {people[0][1]}"
    lead = f"{rng.choice(['Mr', 'Ms'])} {people[1][1]}"
    second = f"Ms {people[2][1]}"
    core = [
        f"{title} {surname}"
        for title, (_, surname) in zip(
            ["Ms", "Mr", "Mrs", "Miss", "Dr", "Ms"], people[3:9], strict=True
        )
    ]
    once = [f"Ms {people[9][1]}", f"Ms {people[10][1]}"]  # each speaks once
    w1_title = rng.choice(["Mr", "Ms", "Professor", "Dr", "Sir"])
    witness1 = f"{w1_title} {people[11][0]} {people[11][1]}"
    w2_first, w2_last = rng.choice(FIRST_NAMES), rng.choice(["Whitty", "Vallance", "Harding"])
    witness2 = f"{rng.choice(['Professor Dame', 'Dr', 'Baroness', 'Mrs'])} {w2_first} {w2_last}"

    def shown(name: str) -> str:
        return name.upper() if caps else name

    lines: list[str] = []
    material = Material("")

    def para(text: str) -> None:
        lines.extend([text, ""])

    def italic(text: str) -> str:
        return f"*{text}*" if style in ("rst", "md") else text

    def turn(name: str, text: str, *, label: str | None = None, expected: str | None = None):
        written = label or shown(name)
        if style == "rst":
            para(f"**{written}**: {text}")
        elif style == "md":
            para(f"**{written}:** {text}")
        else:
            para(f"{written}: {text}")
        material.turns.append(Turn(written, text, expected or shown(name)))
        material.labels.add(expected or shown(name))

    def answer(witness: str, text: str) -> None:
        if caps:
            para(f"A. {text}")
            material.turns.append(Turn("A", text, shown(witness)))
        else:
            turn(witness, text)

    def question(counsel: str, text: str) -> None:
        if caps:
            para(f"Q. {text}")
            material.turns.append(Turn("Q", text, shown(counsel)))
        else:
            turn(counsel, text)

    def witness_says(witness: str, text: str) -> None:
        turn(witness, text, label="THE WITNESS" if caps else "The Witness", expected=shown(witness))

    day = f"{rng.choice(['Tuesday', 'Wednesday', 'Thursday'])}, {rng.randint(1, 28)} November 2023"
    if style == "rst":
        title = f"Transcript of Module 2 Public Hearing on {day.split(', ')[1]}"
        para(title)
        para("=" * len(title))
    else:
        para(day)
    para(italic("(10.00 am)"))
    if rng.random() < 0.5:
        turn(once[0], speech(rng, 1))  # she speaks first, and only once
        once = once[1:]
    if style == "rst":
        para(f"1. {witness1}")
        para("=" * (len(witness1) + 3))
    para(italic(f"{witness1.upper()} (continued)."))
    para(italic("Questions from LEAD COUNSEL TO THE INQUIRY (continued)"))
    turn(chair, f"{lead}.")
    turn(lead, f"Thank you, my Lady. {speech(rng, 1)}")

    def examination(witness: str, counsel: str, n: int) -> None:
        answer(witness, speech(rng))
        for _ in range(n):
            roll = rng.random()
            if roll < 0.12:
                turn(chair, f"{speech(rng, 1)}")
                witness_says(witness, speech(rng, 1))
                turn(counsel, f"Thank you, my Lady. {speech(rng, 1)}")
            elif roll < 0.16 and once:
                turn(once.pop(), f"My Lady, {speech(rng, 1)}")
                turn(chair, "Thank you.")
                turn(counsel, speech(rng, 1))
            else:
                question(counsel, speech(rng))
            answer(witness, speech(rng))

    examination(witness1, lead, exchanges // 2)
    para(italic("(11.15 am)"))
    para(italic("(A short break)"))
    para(italic("(11.30 am)"))
    for counsel in core[:3]:
        turn(chair, f"{counsel}.")
        para(italic(f"Questions from {shown(counsel)}"))
        turn(counsel, f"Thank you, my Lady. {speech(rng, 1)}")
        examination(witness1, counsel, 3)
    turn(chair, f"Thank you very much, {witness1.split()[-1]}.")
    witness_says(witness1, "Thank you.")
    turn(lead, f"My Lady, the next witness is {witness2}.")
    if style == "rst":
        para(f"2. {witness2}")
        para("=" * (len(witness2) + 3))
    para(italic(f"{witness2.upper()} ({rng.choice(['sworn', 'affirmed'])})."))
    para(italic("Questions from LEAD COUNSEL TO THE INQUIRY"))
    turn(second, f"Could you give the Inquiry your full name, please. {speech(rng, 1)}")
    examination(witness2, second, exchanges // 2)
    for counsel in core[3:]:
        turn(chair, f"{counsel}.")
        turn(counsel, f"Thank you, my Lady. {speech(rng, 1)}")
        examination(witness2, counsel, 2)
    while once:
        turn(once.pop(), f"My Lady, {speech(rng, 1)}")
    turn(chair, "Thank you. 10 o’clock tomorrow.")
    para(italic("(4.30 pm)"))
    para(italic("(The hearing adjourned until 10.00 am the following day)"))
    if style == "rst":
        lines.extend([".. toctree::", "   :maxdepth: 1", "", "   index", ""])
    material.text = "\n".join(lines)
    return material


# --- London Assembly ----------------------------------------------------------------------------------


def london_assembly(seed: int, turns: int = 30) -> Material:
    rng = random.Random(seed)
    people = _names(rng, 8)
    chair = (f"{people[0][0]} {people[0][1]} AM", "Chair", f"{people[0][0]} {people[0][1]}")
    members = [(f"{f} {s} AM", "", f"{f} {s}") for f, s in people[1:4]]
    guests = [
        (f"Ms {people[4][1]}", "Deputy Mayor for Policing and Crime", f"Ms {people[4][1]}"),
        (
            f"Sir {people[5][0]} {people[5][1]} QPM",
            "Commissioner",
            f"Sir {people[5][0]} {people[5][1]}",
        ),
        (
            f"Dr {people[6][0]} {people[6][1]}",
            "Chief Executive, MOPAC",
            f"Dr {people[6][0]} {people[6][1]}",
        ),
        (f"Mrs {people[7][1]}", "Victims’ Commissioner for London", f"Mrs {people[7][1]}"),
    ]
    lines = [
        "London Assembly",
        "Police and Crime Committee – 12 October 2022",
        "Transcript of Agenda Item 5 – Question and Answer Session",
        "",
    ]
    material = Material("")
    seen: set[str] = set()
    for n in range(turns):
        who = chair if n % 2 == 0 else rng.choice(members + guests)
        written, role, name = who
        label = f"{written} ({role})" if role and written not in seen else written
        seen.add(written)
        text = speech(rng)
        lines.extend([f"{label}: {text}", ""])
        material.turns.append(Turn(label, text, name))
        material.labels.add(name)
    material.text = "\n".join(lines)
    return material


# --- House of Commons select committee ------------------------------------------------------------------


def commons(seed: int, questions: int = 24) -> Material:
    rng = random.Random(seed)
    people = _names(rng, 6)
    chair = f"Dame {people[0][0]} {people[0][1]}"
    members = [f"Ms {people[1][0]} {people[1][1]}", f"{people[2][0]} {people[2][1]}"]
    members.append(f"Mrs {people[3][0]} {people[3][1]}")
    witnesses = [f"Sir {people[4][0]} {people[4][1]}", f"Ms {people[5][0]} {people[5][1]}"]
    lines = [
        "Home Affairs Committee",
        "Oral evidence: Policing in London, HC 275",
        "Wednesday 19 April 2023",
        "",
        f"Members present: {chair} (Chair); {'; '.join(members)}.",
        "",
        f"Questions 1-{questions}",
        "",
        f"Witnesses: {witnesses[0]}, Commissioner; {witnesses[1]}, Director.",
        "",
    ]
    material = Material("")
    for q in range(1, questions + 1):
        asker = chair if rng.random() < 0.4 else rng.choice(members)
        label = f"Q{q} Chair" if asker == chair else f"Q{q} {asker}"
        if asker != chair and rng.random() < 0.4:  # a Member named again by title and surname
            title, surname = asker.split()[0], asker.split()[-1]
            label = f"Q{q} {title} {surname}" if title in ("Ms", "Mrs") else label
        text = speech(rng)
        lines.extend([f"{label}: {text}", ""])
        material.turns.append(Turn(label, text, asker))
        for witness in rng.sample(witnesses, rng.randint(1, 2)):
            text = speech(rng)
            lines.extend([f"{witness}: {text}", ""])
            material.turns.append(Turn(witness, text, witness))
    material.labels = {t.expected for t in material.turns}
    material.text = "\n".join(lines)
    return material


# --- Hansard ---------------------------------------------------------------------------------------------


def hansard(seed: int, turns: int = 24) -> Material:
    rng = random.Random(seed)
    people = _names(rng, 6)
    pm = f"{people[0][0]} {people[0][1]}"
    minister = f"{people[1][0]} {people[1][1]}"
    deputy = f"Dame {people[2][0]} {people[2][1]}"
    members = [
        (f"Ms {people[3][0]} {people[3][1]}", "St Helens South and Whiston", "Lab"),
        (f"Sir {people[4][0]} {people[4][1]}", "Holborn and St Pancras", "Lab"),
        (f"Dr {people[5][0]} {people[5][1]}", "Sleaford and North Hykeham", "Con"),
    ]
    lines = ["House of Commons", "Wednesday 15 March 2023", "Prime Minister’s Questions", ""]
    material = Material("")
    introduced: set[str] = set()

    def say(label: str, name: str) -> None:
        text = speech(rng)
        lines.extend([f"{label}: {text}", ""])
        material.turns.append(Turn(label, text, name))

    for n in range(turns):
        name, seat, party = members[n % len(members)]
        if name in introduced:
            title, surname = name.split()[0], name.split()[-1]
            say(f"{title} {surname}" if title in ("Ms", "Dr") else name, name)
        else:
            prefix = f"{n + 1}. " if n < len(members) else ""
            say(f"{prefix}{name} ({seat}) ({party})", name)
            introduced.add(name)
        if pm in introduced:
            say("The Prime Minister", pm)
        else:
            say(f"The Prime Minister ({pm})", pm)
            introduced.add(pm)
        if rng.random() < 0.25:
            say("Mr Speaker", "Mr Speaker")
        if rng.random() < 0.2:
            if minister in introduced:
                say("The Minister for Policing", minister)
            else:
                say(f"The Minister for Policing ({minister}) (Con)", minister)
                introduced.add(minister)
        if rng.random() < 0.15:
            say(f"Madam Deputy Speaker ({deputy})", deputy)
    material.labels = {t.expected for t in material.turns}
    material.text = "\n".join(lines)
    return material
