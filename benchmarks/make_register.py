"""A generated register for the GUI benchmark and the README screenshots.

``python benchmarks/make_register.py PATH [N] [LETTERS]`` writes N recommendations (default 20,000)
with themes, responses, footnotes and status histories, made on days spread over ten years (or, with
LETTERS, on that many letters' dates, as in a register imported from letters), in batches straight
through the model (the services add one at a time, which is right for a clerk and too slow for
20,000 rows). The texts are drawn from the sample letter's real themes and asks so that the screens
look like the register a clerk keeps.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

THEMES = [
    "Delivering the mission",
    "Core policing activities",
    "Counter-terrorism and radicalisation",
    "Neighbourhood policing",
    "Public protection and safeguarding",
    "Violence against women and girls",
    "Stop and search",
    "Police misconduct and standards",
    "Call handling and response times",
    "Youth violence",
]
ASKS = [
    "The Met should publish timescales for the Turnaround Plan and say how it will report on its measures of success.",
    "The final Plan should set out how the Met will increase collaboration with partners, including youth services and mental health services.",
    "The Met should establish new partnerships with MOPAC to speed up the vetting of digital specialists in counter-terror policing.",
    "The Committee seeks reassurance that the Met does not lower its recruitment standards to meet recruitment targets.",
    "The Met should provide further information on its plans to strengthen neighbourhood policing resources and manage abstractions.",
    "The final Turnaround Plan should include a specific commitment to increase community engagement across the capital.",
    "The Met should use the final Plan to support and strengthen the role of Safer Neighbourhood Boards.",
    "The Met should write to the Committee with data on the time officers spend at A&E with people in mental health crisis.",
    "MOPAC should report on the progress of the Lord Harris review's recommendations every six months.",
    "The Met should set out how it will measure and demonstrate improvement in community engagement.",
    "The Met should publish stop and search outcomes by ward, ethnicity and age each quarter.",
    "The Met should report to the Committee on the number of misconduct cases outstanding for more than a year.",
]
ADDRESSEES = ["Sir Mark Rowley", "Sophie Linden", "Diana Luchford", "Dame Lynne Owens"]
RESPONSES = [
    "The Met accepts this recommendation and will publish an update in the next quarterly report.",
    "The Met partly accepts this recommendation; work is under way with partners and will report in the autumn.",
    "The Met does not accept this recommendation at this time, for the reasons set out in the attached letter.",
]


def build_register(
    path: Path,
    n: int = 20_000,
    seed: int = 7,
    today: dt.date | None = None,
    letters: int | None = None,
) -> Path:
    from sqlalchemy.orm import Session

    from pcc_desk import storage
    from pcc_desk.model import (
        Assessment,
        Document,
        DocumentKind,
        Footnote,
        Implementation,
        Position,
        Recommendation,
        Response,
        Status,
        StatusChange,
        Theme,
    )
    from pcc_desk.services.register import default_due

    rng = random.Random(seed)
    today = today or dt.date.today()
    location, engine = storage.open_database(path)
    start = today - dt.timedelta(days=365 * 10)
    with Session(engine) as session, session.begin():
        letter = Document(
            kind=DocumentKind.LETTER,
            title="Turnaround Plan",
            subject="Police and Crime Committee Response to the Metropolitan Police draft Turnaround Plan",
            date=dt.date(2023, 3, 17),
        )
        session.add(letter)
        session.flush()
        themes = [
            Theme(name=name, ordinal=i, document_id=letter.id) for i, name in enumerate(THEMES)
        ]
        session.add_all(themes)
        notes = [
            Footnote(
                document_id=letter.id,
                number=i + 1,
                text=f"Police and Crime Committee, {d} – transcript",
                committee="Police and Crime Committee",
                meeting_date=dt.date.fromisoformat(iso),
            )
            for i, (d, iso) in enumerate(
                [
                    ("12 October 2022", "2022-10-12"),
                    ("11 January 2023", "2023-01-11"),
                    ("30 November 2022", "2022-11-30"),
                ]
            )
        ]
        session.add_all(notes)
        session.flush()
        per_day: dict[dt.date, int] = {}
        for i in range(n):
            if letters:  # the asks of one letter share its date
                made = start + dt.timedelta(days=int((i * letters // n) * 3650 / letters))
            else:
                made = start + dt.timedelta(days=int(i * 3650 / max(n, 1)))
            per_day[made] = per_day.get(made, 0) + 1
            due = default_due(made)
            theme = themes[rng.randrange(len(themes))]
            rec = Recommendation(
                ref=f"PCC-{made.isoformat()}/{per_day[made]:02d}",
                text=rng.choice(ASKS),
                context="The Committee heard evidence on this at its meetings. " + rng.choice(ASKS),
                theme=theme,
                addressee=rng.choice(ADDRESSEES),
                made=made,
                original_due=due,
                due=due,
                status=Status.AWAITING_RESPONSE,
                ordinal=per_day[made],
                document_id=letter.id,
            )
            if i % 7 == 0:
                rec.footnotes = [notes[i % len(notes)]]
            session.add(rec)
            session.flush()
            created = dt.datetime.combine(made, dt.time(10, 0))
            session.add(
                StatusChange(
                    recommendation_id=rec.id,
                    from_status=None,
                    to_status=Status.AWAITING_RESPONSE,
                    changed_at=created,
                    changed_by="clerk",
                    note="Added to the register",
                )
            )
            roll = rng.random()
            if due < today and roll < 0.8:
                received = min(today, due - dt.timedelta(days=rng.randrange(0, 30)))
                kind = rng.randrange(3)
                assessment = [
                    Assessment.ADDRESSED,
                    Assessment.PARTLY_ADDRESSED,
                    Assessment.NOT_ADDRESSED,
                ][kind]
                resp = Response(
                    recommendation_id=rec.id,
                    received=received,
                    from_whom=rec.addressee,
                    text=RESPONSES[kind],
                    position=[Position.ACCEPTED, Position.PARTLY_ACCEPTED, Position.NOT_ACCEPTED][
                        kind
                    ],
                    implementation=[
                        Implementation.IN_PROGRESS,
                        Implementation.NOT_STARTED,
                        Implementation.NOT_STATED,
                    ][kind],
                    assessment=assessment,
                )
                session.add(resp)
                session.flush()
                new = Status.RESPONSE_RECEIVED if kind == 0 else Status.FOLLOW_UP_NEEDED
                if kind == 0 and roll < 0.5:
                    new = Status.CLOSED_IMPLEMENTED
                elif kind == 2 and roll < 0.4:
                    new = Status.CLOSED_NOT_ACCEPTED
                session.add(
                    StatusChange(
                        recommendation_id=rec.id,
                        from_status=Status.AWAITING_RESPONSE,
                        to_status=new,
                        changed_at=dt.datetime.combine(received, dt.time(11, 0)),
                        changed_by="clerk",
                        note="Response logged",
                        response_id=resp.id,
                    )
                )
                rec.status = new
    engine.dispose()
    return location.path


if __name__ == "__main__":
    target = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    letters = int(sys.argv[3]) if len(sys.argv) > 3 else None
    target.unlink(missing_ok=True)
    t0 = __import__("time").perf_counter()
    build_register(target, count, letters=letters)
    print(f"{target}: {count:,} recommendations in {__import__('time').perf_counter() - t0:.1f} s")
