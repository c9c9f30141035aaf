"""A generated register shaped like years of imported letters, written in bulk for the GUI tests.

Each letter has its own date and a varying number of asks (all made on the letter's date, due two
months later, some revised); the asks are drawn from a vocabulary so that typing a phrase narrows the
table in many separate runs. Some texts carry what imported Word and PDF letters carry: no-break
spaces, line breaks inside notes. A few records have a due date before their date made (possible in
data kept elsewhere) so that the form must show what the record holds, not what a range allows.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from pathlib import Path

SUBJECTS = ["The Met", "MOPAC", "The Mayor", "The Commissioner", "The Deputy Mayor", "The Met"]
VERBS = ["should publish", "should report on", "should review", "must set out", "should explain"]
OBJECTS = [
    "its timescales for the Turnaround Plan",
    "the number of officers abstracted from neighbourhood teams",
    "stop and search outcomes by ward, ethnicity and age",
    "how it will measure community confidence",
    "the time officers spend at A&E with people in mental health crisis",
    "misconduct cases outstanding for more than a year",
    "the cost of the new contact centre (£2\u00a0million)",
    "the vetting backlog for digital specialists",
]
TAILS = ["", " every quarter.", " to the Committee by the autumn.", " in its annual report.", "."]
THEMES = [
    "Delivering the mission",
    "Neighbourhood policing",
    "Stop and search",
    "Violence against women and girls",
    "Police misconduct and standards",
    "Call handling and response times",
]
ADDRESSEES = ["Sir Mark\u00a0Rowley", "Sophie Linden", "Diana Luchford", "Dame Lynne Owens", ""]
KINDS = ["recommendation", "recommendation", "request-for-information", "undertaking"]
PRIORITIES = ["normal", "normal", "low", "high"]


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)


def build(path: Path, *, recommendations: int, letters: int, seed: int) -> list[str]:
    """Write the register at ``path`` (a migrated, empty database); return the refs in letter order."""
    from sqlalchemy import insert
    from sqlalchemy.orm import Session

    from pcc_desk import storage
    from pcc_desk.model import Document, Recommendation, StatusChange, Theme

    rng = random.Random(seed)
    first = dt.date(2000 + rng.randrange(8), 1, 1)
    days = sorted(rng.sample(range(0, 365 * 18), letters))
    dates = [first + dt.timedelta(days=d) for d in days]
    cuts = sorted(rng.sample(range(1, recommendations), letters - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, recommendations], strict=True)]
    now = dt.datetime(2025, 1, 1)
    documents, themes, recs, changes, refs = [], [], [], [], []
    theme_ids = {name: uuid.uuid4() for name in THEMES}
    for name, theme_id in theme_ids.items():
        themes.append({"id": theme_id, "name": name, "ordinal": THEMES.index(name)})
    for made, size in zip(dates, sizes, strict=True):
        doc_id = uuid.uuid4()
        documents.append(
            {"id": doc_id, "kind": "letter", "title": f"Letter of {made:%d %B %Y}", "date": made}
        )
        for n in range(1, size + 1):
            text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
            text += rng.choice(TAILS)
            due = _add_months(made, 2)
            roll = rng.random()
            if roll < 0.1:
                due = made + dt.timedelta(days=rng.randrange(1, 400))  # a revised due date
            elif roll < 0.12:
                due = made - dt.timedelta(days=rng.randrange(1, 60))  # kept elsewhere, inconsistent
            notes = ""
            if rng.random() < 0.2:
                notes = "Chased by email.\nReply promised\u00a0by the end of the month."
            rec_id = uuid.uuid4()
            ref = f"PCC-{made.isoformat()}/{n:02d}"
            refs.append(ref)
            recs.append(
                {
                    "id": rec_id,
                    "ref": ref,
                    "kind": rng.choice(KINDS),
                    "text": text,
                    "context": "The Committee heard evidence on this. " + text,
                    "theme_id": theme_ids[rng.choice(THEMES)],
                    "addressee": rng.choice(ADDRESSEES),
                    "document_id": doc_id,
                    "ordinal": n,
                    "made": made,
                    "original_due": due,
                    "due": due,
                    "status": "awaiting-response",
                    "priority": rng.choice(PRIORITIES),
                    "notes": notes,
                }
            )
            changes.append(
                {
                    "id": uuid.uuid4(),
                    "recommendation_id": rec_id,
                    "from_status": None,
                    "to_status": "awaiting-response",
                    "changed_at": now,
                    "changed_by": "clerk",
                    "note": "Imported",
                }
            )
    _location, engine = storage.open_database(path)
    with Session(engine) as session, session.begin():
        session.execute(insert(Document), documents)
        session.execute(insert(Theme), themes)
        session.execute(insert(Recommendation), recs)
        session.execute(insert(StatusChange), changes)
    engine.dispose()
    return refs
