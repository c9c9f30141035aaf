"""Replies to the sample letter (``resources/samples/pcc-letter-2023-03-17-turnaround-plan.md``), made
here in many variants: in the letter's order or shuffled, with "Recommendation N" labels or none,
some asks left unanswered, covering paragraphs around them, as .md, .docx or .pdf.

Each answer reuses a few of its ask's own content words (as real replies do: "timescales",
"vetting"), chosen by a seeded random generator, inside sentences of the Met's usual wording; its
first sentence states a position (accepts / in principle / notes / does not accept)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from support.pdf_writer import write_pdf

_STOP = set(
    """the a an and of to in on for is are be that this with its it as by at or from will would
    should met committee plan draft final turnaround further information how welcome recommends
    believes urge asks seeks more needed""".split()  # noqa: SIM905
)

OPENERS = {
    "accepted": [
        "The Met accepts this recommendation.",
        "We agree with the Committee.",
        "The MPS agrees and will act on this.",
    ],
    "partly-accepted": [
        "We accept this recommendation in principle.",
        "The Met partly accepts this recommendation.",
    ],
    "other": ["The Met notes the Committee's view.", "We will consider this carefully."],
    "not-accepted": [
        "The Met does not accept this recommendation.",
        "We do not agree that this is needed.",
    ],
}
FILLER = [
    "Work is under way and we expect to report progress in the summer.",
    "A senior officer has been appointed to lead this work across the organisation.",
    "We will share an update with the Committee when the next quarterly report is published.",
    "This builds on work that began last year with our partners.",
]
COVERING_START = [
    "Thank you for your letter of 17 March 2023 on the draft Turnaround Plan, and for the "
    "Committee's continued engagement with the Met.",
    "I set out below our answer to each of the points you raised.",
]
COVERING_END = [
    "I hope this is helpful and I look forward to appearing before the Committee again.",
]


@dataclass(frozen=True)
class Reply:
    paragraphs: list[str]  # the body, in the order written
    answers: dict[int, int]  # ask number (from 1) -> index of its passage in ``paragraphs``
    positions: dict[int, str]  # ask number -> the position its answer states


def content_words(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z'’-]+", text)
    return [w for w in words if w.lower() not in _STOP and len(w) > 3]


def make_reply(
    asks: list[str],
    *,
    seed: int,
    shuffled: bool = False,
    labelled: bool = False,
    skip: tuple[int, ...] = (),
    shared: int = 4,
) -> Reply:
    rng = random.Random(seed)
    order = [n for n in range(1, len(asks) + 1) if n not in skip]
    if shuffled:
        rng.shuffle(order)
    body = list(COVERING_START)
    answers, positions = {}, {}
    for n in order:
        position = rng.choice(list(OPENERS))
        words = content_words(asks[n - 1])
        picked = rng.sample(words, min(shared, len(words)))
        middle = f"On {' and '.join(picked[:2])}, our approach is set out in the final Plan" + (
            f", including {', '.join(picked[2:])}." if picked[2:] else "."
        )
        text = " ".join([rng.choice(OPENERS[position]), middle, rng.choice(FILLER)])
        if labelled:
            text = f"Recommendation {n}: {text}"
        answers[n] = len(body)
        positions[n] = position
        body.append(text)
    body += COVERING_END
    return Reply(body, answers, positions)


HEAD = [
    "Sir Mark Rowley QPM",
    "Commissioner of Police of the Metropolis",
    "Susan Hall AM",
    "Chairman of the Police and Crime Committee",
    "12 May 2023",
]


def write_reply(path: Path, reply: Reply) -> Path:
    """The reply as a letter: head, "Dear Susan,", the body, "Yours sincerely" and the signature,
    in the format ``path``'s suffix names."""
    closing = ["Yours sincerely,", "Sir Mark Rowley QPM", "Commissioner"]
    if path.suffix == ".pdf":
        write_pdf(path, [*HEAD, "Dear Susan,", *reply.paragraphs, *closing], width=85)
    elif path.suffix == ".docx":
        import docx

        document = docx.Document()
        for line in [*HEAD, "Dear Susan,", *reply.paragraphs, *closing]:
            document.add_paragraph(line)
        document.save(path)
    else:
        path.write_text(
            "\n\n".join([*HEAD, "Dear Susan,", *reply.paragraphs, *closing]) + "\n",
            encoding="utf-8",
        )
    return path


# A later letter of the Committee (12 June 2024): asks 1 and 3 repeat asks 1 and 8 of the sample
# letter in other words; ask 2 is on the same theme as ask 6 but asks something else; ask 4 is new.
LATER_LETTER = """Susan Hall AM
Chairman of the Police and Crime Committee

Sir Mark Rowley
Commissioner of Police of the Metropolis

12 June 2024

Dear Sir Mark,

Follow-up on the Turnaround Plan

Delivering the mission

A year on, the Committee again believes that **further detail on timescales and how the Met will report on the measures of success in its plan is needed for effective monitoring and scrutiny of reform.**

Neighbourhood policing

**The Committee asks the Met to publish how many officers were abstracted from neighbourhood duties in each borough last year.**

Safer Neighbourhood Boards remain important. **We would again welcome further information on how Safer Neighbourhood Boards (SNBs) fit into the Met's outcome for better, more visible relationships with communities.**

**The Committee recommends that the Met sets out its plans for the future of its horse-mounted units.**

Yours sincerely,

Susan Hall AM
"""
