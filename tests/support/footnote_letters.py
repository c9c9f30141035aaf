"""Registers of generated letters whose asks cite footnotes (with and without URLs), for the tests of
footnote numbering in letters and their preview."""

from __future__ import annotations

import datetime as dt
import random

from pcc_desk.model import Document, DocumentKind, Footnote, Recommendation, StatusChange, Theme
from pcc_desk.services.register import default_due

URLS = [
    "https://www.met.police.uk/turnaround-plan",
    "https://www.london.gov.uk/moderngov/ieListDocuments.aspx?CId=240&MId=7077",
    "https://data.london.gov.uk/dataset/stop-and-search",
    "https://example.org/päth?q=1",
]
WORDS = [
    "vetting",
    "Lambeth",
    "café",
    "MOPAC",
    "“new era”",
    "wards",
    "data",
    "trust",
    "—",
    "O'Brien",
]


def build(desk, seed: int) -> list[str]:
    """Letters with 1-4 asks each, every ask citing 0-3 of its letter's footnotes; notes with no URL,
    a URL in their text, URLs beside it, or both."""
    rng = random.Random(seed)
    refs = []
    with desk.transaction() as session:
        for n in range(rng.randint(1, 3)):
            made = dt.date(2022, 1, 3) + dt.timedelta(days=rng.randint(0, 500))
            letter = Document(
                kind=DocumentKind.LETTER,
                title=f"Letter {n}",
                subject=f"Subject {n} {rng.choice(WORDS)}",
                date=made,
                recipient="Sir Mark Rowley",
            )
            session.add(letter)
            session.flush()
            notes = []
            for number in range(1, rng.randint(2, 6)):
                text = " ".join(rng.sample(WORDS, rng.randint(1, 4))) + f" ({number})"
                urls = rng.sample(URLS, rng.randint(0, 2))
                if urls and rng.random() < 0.4:
                    text += f" {urls[0]}"  # the URL is in the text already: not repeated
                notes.append(Footnote(document_id=letter.id, number=number, text=text, urls=urls))
            session.add_all(notes)
            theme = Theme(name=f"Theme {n}", ordinal=0, document_id=letter.id)
            session.add(theme)
            for ordinal in range(rng.randint(1, 4)):
                ref = f"PCC-{made.isoformat()}/{ordinal + 1:02d}"
                rec = Recommendation(
                    ref=ref,
                    text=f"The Met should {' '.join(rng.sample(WORDS, 4))}.",
                    theme=theme,
                    document_id=letter.id,
                    ordinal=ordinal,
                    made=made,
                    original_due=default_due(made),
                    due=default_due(made),
                    footnotes=rng.sample(notes, rng.randint(0, min(3, len(notes)))),
                )
                session.add(rec)
                session.flush()
                session.add(StatusChange(recommendation_id=rec.id, to_status=rec.status))
                refs.append(ref)
    return refs
