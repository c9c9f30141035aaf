# ruff: noqa: SIM905
"""Generated meetings and letters full of people, with the truth about who said and who mentions whom.

Each seed gives other people (first names and surnames with accents, hyphens and apostrophes), other
honours and roles, other meeting titles and other ways of writing a speaker ("Unmesh Desai AM
(Chair)", "Unmesh Desai AM", "Sir Hamza Nowak QPM (Commissioner of Police)", "Sir Hamza Nowak", "The
Commissioner"), and turns of different lengths that mention other people by name. The truth (who spoke
each turn, which names each turn's words hold) is kept beside the files, so a test compares what the
search finds with what the files say, not with the index.

Names, the words of the turns and the words of the titles are drawn from separate lists, and no name is
the beginning of another word, so "the turns that mention Desai" is exactly the turns whose words hold
"Desai".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import unicodedata
from pathlib import Path

FIRST = [
    "Unmesh",
    "Marina",
    "Sakina",
    "Siân",
    "Zoë",
    "Kemi",
    "Joanne",
    "Hina",
    "Krupesh",
    "Seán",
    "Aoife",
    "Olumide",
    "Priya",
    "Bartholomew",
    "Hamza",
    "Agnieszka",
    "Dafydd",
    "Ngozi",
]
LAST = [
    "Desai",
    "Ahmad",
    "Sheikh",
    "Berry",
    "O'Connor",
    "Jones-Okafor",
    "Nowak",
    "Núñez",
    "McCartney",
    "Bokhari",
    "Hirani",
    "Kowalczyk",
    "Achterberg",
    "Fitzwilliam",
    "Obi-Mensah",
    "D'Souza",
    "Thorbjørnsen",
    "Quayle",
]
HONOURS = ["QPM", "OBE", "CBE", "DBE QPM", ""]
HONORIFICS = ["Sir", "Dame", "Professor", "Dr", ""]
ROLES = [
    "Commissioner of Police",
    "Deputy Mayor for Fairness",
    "Assistant Commissioner, Frontline Operations",
    "Chief Executive Officer, Oversight Office",
    "Independent Adviser",
    "Victims' Champion",
]
SHORT_ROLES = {"Commissioner of Police": "The Commissioner", "Independent Adviser": "The Adviser"}
CHAIR_ROLES = ["Chair", "Chairman", "Deputy Chair"]
# the words the turns are made of; none is a name, a role, a word of a speaker's label or of a title
WORDS = """trust confidence neighbourhood wards borough vetting misconduct standards culture review
turnaround recruitment training custody knife domestic abuse investigations detection response
budget funding savings accountability scrutiny evidence figures quarter community engagement
safer schools youth diversion gangs firearms protest stations counters technology cameras forensics
backlog courts inspection progress milestones delivery outcomes performance resources workforce
sergeants constables volunteers wellbeing leadership dismissal complaints transparency safeguarding
partners councils licensing we will must should have been can not very more than those people
that this they our with from about would""".split()
TOPICS = """Tasers Drones Cybercrime Kiosks Helplines Ambulances Graffiti Scooters Nightlife Stalking
Fraudsters Burglary Shoplifting Hostels Canals Allotments""".split()


def fold(text: str) -> str:
    """What the index compares: lower case, accents removed."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def tokens(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text))


@dataclasses.dataclass(frozen=True)
class Person:
    first: str
    last: str
    honorific: str = ""
    honours: str = ""
    role: str = ""
    member: bool = True

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.honorific, self.first, self.last) if p)


@dataclasses.dataclass
class Turn:
    label: str
    speaker: Person
    paragraphs: list[str]
    meeting: int

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def mentions(self, word: str) -> bool:
        """The turn's words hold ``word`` (a name, or a part of a hyphenated or apostrophe'd one)."""
        wanted = tokens(word)
        have = tokens(self.text)
        return any(have[i : i + len(wanted)] == wanted for i in range(len(have)))


@dataclasses.dataclass
class Meeting:
    committee: str
    date: dt.date
    title: str
    turns: list[Turn]


@dataclasses.dataclass
class Corpus:
    people: list[Person]
    meetings: list[Meeting]

    @property
    def turns(self) -> list[Turn]:
        return [t for m in self.meetings for t in m.turns]


def _people(rng: random.Random) -> list[Person]:
    firsts = rng.sample(FIRST, 10)
    lasts = rng.sample(LAST, 10)
    people = []
    for i, (first, last) in enumerate(zip(firsts, lasts, strict=True)):
        if i < 6:
            people.append(Person(first, last))
        else:
            people.append(
                Person(
                    first,
                    last,
                    honorific=rng.choice(HONORIFICS),
                    honours=rng.choice(HONOURS),
                    role=ROLES[(i - 6 + rng.randrange(len(ROLES))) % len(ROLES)],
                    member=False,
                )
            )
    # witnesses' roles differ, so "The Commissioner" names one person in a meeting
    roles = rng.sample(ROLES, 4)
    return [
        p if p.member else dataclasses.replace(p, role=roles[i - 6]) for i, p in enumerate(people)
    ]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(5, 12))
    return " ".join(words).capitalize() + "."


def _mention(rng: random.Random, person: Person) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f"Thank you, {person.first} {person.last}."
    if style == 1:
        return f"As {person.last} told us, that matters."
    return f"I agree with {person.name} on this."


def generate(seed: int, meetings: int = 3, turns: int = 18) -> Corpus:
    rng = random.Random(seed)
    people = _people(rng)
    members = [p for p in people if p.member]
    witnesses = [p for p in people if not p.member]
    topics = rng.sample(TOPICS, meetings * 2)
    start = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(1500))
    result = []
    for m in range(meetings):
        date = start + dt.timedelta(days=35 * m + rng.randrange(20))
        chair = rng.choice(members)
        chair_role = rng.choice(CHAIR_ROLES)
        present = [chair, *rng.sample([p for p in members if p != chair], 3)]
        present += rng.sample(witnesses, 2)
        introduced: set[Person] = set()
        meeting_turns = []
        for _ in range(turns):
            speaker = rng.choice(present)
            if speaker not in introduced:
                if speaker == chair:
                    label = f"{speaker.first} {speaker.last} AM ({chair_role})"
                elif speaker.member:
                    label = f"{speaker.first} {speaker.last} AM"
                else:
                    label = f"{speaker.name} {speaker.honours} ({speaker.role})".replace("  ", " ")
                introduced.add(speaker)
            elif speaker == chair and rng.random() < 0.3:
                label = f"The {chair_role}"
            elif not speaker.member and speaker.role in SHORT_ROLES and rng.random() < 0.4:
                label = SHORT_ROLES[speaker.role]
            elif speaker.member:
                label = f"{speaker.first} {speaker.last} AM"
            else:
                label = speaker.name
            # 15 to 45 words, over one to three paragraphs; a quarter mention someone else once
            paragraphs = []
            words = rng.randint(15, 45)
            while sum(len(p.split()) for p in paragraphs) < words:
                paragraphs.append(" ".join(_sentence(rng) for _ in range(rng.randint(1, 2))))
            paragraphs = paragraphs[:3]
            if rng.random() < 0.25:
                other = rng.choice([p for p in people if p != speaker])
                at = rng.randrange(len(paragraphs))
                paragraphs[at] = f"{_mention(rng, other)} {paragraphs[at]}"
            meeting_turns.append(Turn(label, speaker, paragraphs, m))
        title = (
            f"Transcript of Agenda Item {rng.randint(3, 9)} – "
            f"Question and Answer Session on {topics[2 * m]} and {topics[2 * m + 1]}"
        )
        result.append(Meeting("Police and Crime Committee", date, title, meeting_turns))
    return Corpus(people, result)


def header(meeting: Meeting) -> list[str]:
    return [
        "London Assembly",
        f"{meeting.committee} – {meeting.date.day} {meeting.date:%B %Y}",
        meeting.title,
    ]


def write_txt(meeting: Meeting, path: Path) -> Path:
    lines = [*header(meeting), ""]
    for turn in meeting.turns:
        lines += [f"{turn.label}: {turn.paragraphs[0]}", ""]
        for para in turn.paragraphs[1:]:
            lines += [para, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_docx(meeting: Meeting, path: Path) -> Path:
    import docx

    document = docx.Document()
    for line in header(meeting):
        document.add_paragraph(line)
    for turn in meeting.turns:
        p = document.add_paragraph()
        p.add_run(f"{turn.label}:").bold = True
        p.add_run(f" {turn.paragraphs[0]}")
        for para in turn.paragraphs[1:]:
            document.add_paragraph(para)
    document.save(path)
    return path


def write_meetings(corpus: Corpus, folder: Path, fmt: str) -> list[Path]:
    writer = write_docx if fmt == "docx" else write_txt
    return [
        writer(meeting, folder / f"pcc-{meeting.date.isoformat()}-{i}.{fmt}")
        for i, meeting in enumerate(corpus.meetings)
    ]


@dataclasses.dataclass(frozen=True)
class Letter:
    sender: Person
    recipient: Person
    date: dt.date
    subject: str
    asks: tuple[str, ...]


def letters(seed: int, people: list[Person], count: int = 3) -> list[Letter]:
    """Letters from a Member (the Chair) to a witness, each with two to four bold asks."""
    rng = random.Random(seed * 7 + 1)
    members = [p for p in people if p.member]
    witnesses = [p for p in people if not p.member]
    out = []
    for i in range(count):
        asks = tuple(
            f"The Committee asks that the service {' '.join(rng.choices(WORDS, k=rng.randint(6, 10)))} by {dt.date(2024, 1 + i, 1):%B}"
            for _ in range(rng.randint(2, 4))
        )
        out.append(
            Letter(
                sender=rng.choice(members),
                recipient=witnesses[i % len(witnesses)],
                date=dt.date(2023, 2 + i, 10 + i),
                subject=f"Follow-up on {rng.choice(TOPICS)} and {rng.choice(TOPICS)}",
                asks=asks,
            )
        )
    return out


def write_letter(letter: Letter, path: Path) -> Path:
    """A Committee letter as text: head, salutation, subject, paragraphs with bold asks, signature."""
    s, r = letter.sender, letter.recipient
    body = []
    for ask in letter.asks:
        body.append(f"The Committee heard evidence on this matter. It believes **{ask}.**")
        body.append("")
    lines = [
        f"{s.first} {s.last} AM",
        "Chair of the Police and Crime Committee",
        "",
        r.name,
        r.role or "Witness",
        "",
        f"{letter.date.day} {letter.date:%B %Y}",
        "",
        f"Dear {r.name},",
        "",
        letter.subject,
        "",
        *body,
        "Yours sincerely,",
        "",
        f"{s.first} {s.last} AM",
        "Chair of the Police and Crime Committee",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
