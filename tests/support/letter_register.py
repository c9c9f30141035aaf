"""A realistic register for the letter tests, built through the ORM in one session.

It mirrors the Committee's letter of 17 March 2023 on the Met's draft Turnaround Plan (the sample in
``resources/samples``): the letter as a Document, its themes in order, eight of its asks with the
footnotes they cite, the 12 October 2022 meeting's transcript with quotes attached, and responses
logged through ``register.log_response`` (the way a clerk logs them).
"""

from __future__ import annotations

import datetime as dt

from pcc_desk.model import (
    Assessment,
    Document,
    DocumentKind,
    Footnote,
    Implementation,
    Position,
    Quote,
    Recommendation,
    RecommendationQuote,
    Segment,
    StatusChange,
    Theme,
    Transcript,
)
from pcc_desk.services import register
from pcc_desk.services.register import default_due

LETTER_DATE = dt.date(2023, 3, 17)
SUBJECT = "Police and Crime Committee Response to the Metropolitan Police draft Turnaround Plan"
PLAN = "https://www.met.police.uk/turnaround-plan"
TRANSCRIPT_URL = "https://www.london.gov.uk/moderngov/ieListDocuments.aspx?CId=240&MId=7077"

THEMES = [
    "Delivering the mission",
    "Core policing activities",
    "Neighbourhood policing",
    "Effective service to victims and other members of the public",
    "Raising standards",
    "Data driven and evidence based delivery",
]

# number → (text, urls, meeting date)
FOOTNOTES = {
    1: ("MPS Turnaround Plan 2023-2025 (met.police.uk)", [PLAN], None),
    2: ("MPS Turnaround Plan 2023-2025 (met.police.uk)", [PLAN], None),
    4: (
        "Police and Crime Committee, 11 January 2023 – transcript",
        [TRANSCRIPT_URL],
        dt.date(2023, 1, 11),
    ),
    6: ("Police and Crime Committee, 12 October 2022 – transcript", [], dt.date(2022, 10, 12)),
    10: ("Police and Crime Committee, 12 October 2022 – transcript", [], dt.date(2022, 10, 12)),
    22: ("MPS Turnaround Plan 2023-2025 (met.police.uk)", [PLAN], None),
    31: ("Police and Crime Committee, 25 January 2023 – transcript", [], dt.date(2023, 1, 25)),
    36: ("Police and Crime Committee, 25 January 2023 – transcript", [], dt.date(2023, 1, 25)),
}

# (theme index, ask, footnote numbers), in the letter's order
ASKS = [
    (
        0,
        "further detail on timescales and how the Met will report on these measures of success is needed to allow for effective monitoring and scrutiny of the Met’s reform.",
        [1],
    ),
    (
        1,
        "further information on how the Met will increase collaboration with partners, including youth services, mental health and communities, to achieve this is needed in the final Plan.",
        [2],
    ),
    (
        1,
        "Met will need to establish new partnerships and strengthen work with MOPAC to speed up vetting in order to ensure it has the expertise it needs to meet the threats of the future.",
        [4],
    ),
    (
        2,
        "The Committee seeks reassurance that in order to meet recruitment targets, the Met does not lower its recruitment standards.",
        [6],
    ),
    (
        2,
        "The Committee would welcome further information in the final Turnaround Plan on the Met's plans to strengthen neighbourhood policing resources, the deployment of officers and how it will manage abstractions.",
        [10],
    ),
    (
        3,
        "The Committee would welcome further information on the specific steps the Met is taking to ensure this programme of work remains on track.",
        [22],
    ),
    (
        4,
        "urge you to ensure the Met removes corrupt officers at pace and takes every opportunity to tell Londoners about this work.",
        [31],
    ),
    (
        5,
        "asks that the Met ensures the Board is open and transparent and publishes regular updates on its work.",
        [36],
    ),
]

SEGMENTS = [
    (
        "Susan Hall AM (Chairman)",
        "Susan Hall",
        "Chairman",
        "Commissioner, what is your ambition for the size of the Met?",
    ),
    (
        "Sir Mark Rowley QPM (Commissioner of Police of the Metropolis)",
        "Sir Mark Rowley",
        "Commissioner of Police of the Metropolis",
        "My ambition is that we have the biggest force we ever had. We are recruiting hard, but we will not cut corners on vetting to get there.",
    ),
    (
        "Sir Mark Rowley QPM (Commissioner of Police of the Metropolis)",
        "Sir Mark Rowley",
        "Commissioner of Police of the Metropolis",
        "I would like us to get back to the strongest neighbourhood policing that we have ever had. It goes to making sure that abstractions are not too high, which is not the case at the moment.",
    ),
]
# (ask index, segment index, quoted span)
QUOTES = [
    (3, 1, "ambition is that we have the biggest force we ever had"),
    (
        4,
        2,
        "would like us to get back to the strongest neighbourhood policing that we have ever had",
    ),
    (
        4,
        2,
        "It goes to making sure that abstractions are not too high, which is not the case at the moment",
    ),
]
CITATION = "Police and Crime Committee, 12 October 2022 – transcript"


def refs() -> list[str]:
    return [f"PCC-2023-03-17/{i:02d}" for i in range(1, len(ASKS) + 1)]


def build(desk) -> list[str]:
    """Fill ``desk`` with the register; returns the references in the letter's order."""
    with desk.transaction(("recommendations",)) as s:
        letter = Document(
            kind=DocumentKind.LETTER,
            title=SUBJECT,
            subject=SUBJECT,
            date=LETTER_DATE,
            sender="Susan Hall AM",
            sender_role="Chairman of the Police and Crime Committee",
            recipient="Sir Mark Rowley",
            recipient_role="Commissioner of Police of the Metropolis",
            cc=["Sophie Linden, Deputy Mayor for Policing and Crime", "Diana Luchford, CEO, MOPAC"],
            salutation="Dear Sir Mark,",
            file_name="pcc-letter-2023-03-17-turnaround-plan.docx",
        )
        s.add(letter)
        s.flush()
        themes = [
            Theme(name=name, ordinal=i, document_id=letter.id) for i, name in enumerate(THEMES)
        ]
        notes = {
            n: Footnote(
                document_id=letter.id,
                number=n,
                text=text,
                urls=list(urls),
                meeting_date=meeting,
                committee="Police and Crime Committee" if meeting else "",
            )
            for n, (text, urls, meeting) in FOOTNOTES.items()
        }
        s.add_all([*themes, *notes.values()])
        transcript = Transcript(
            committee="Police and Crime Committee",
            meeting_date=dt.date(2022, 10, 12),
            title="Question and Answer Session with the Commissioner",
        )
        s.add(transcript)
        s.flush()
        segments = [
            Segment(
                transcript_id=transcript.id,
                ordinal=i,
                speaker=sp,
                speaker_name=name,
                speaker_role=role,
                text=text,
                page=i + 1,
            )
            for i, (sp, name, role, text) in enumerate(SEGMENTS)
        ]
        s.add_all(segments)
        recs = []
        for ordinal, ((theme, ask, numbers), ref) in enumerate(zip(ASKS, refs(), strict=True)):
            rec = Recommendation(
                ref=ref,
                text=ask,
                context=ask,
                theme=themes[theme],
                addressee="Sir Mark Rowley",
                document_id=letter.id,
                ordinal=ordinal,
                made=LETTER_DATE,
                original_due=default_due(LETTER_DATE),
                due=default_due(LETTER_DATE),
                footnotes=[notes[n] for n in numbers],
            )
            s.add(rec)
            recs.append(rec)
        s.flush()
        for rec in recs:
            s.add(
                StatusChange(
                    recommendation_id=rec.id,
                    from_status=None,
                    to_status=rec.status,
                    note="Imported",
                )
            )
        for ask_index, seg_index, span in QUOTES:
            segment = segments[seg_index]
            start = segment.text.index(span)
            quote = Quote(
                transcript_id=transcript.id,
                segment_id=segment.id,
                start=start,
                end=start + len(span),
                text=span,
                speaker=segment.speaker_name,
                citation=CITATION,
            )
            s.add(quote)
            s.flush()
            s.add(RecommendationQuote(recommendation_id=recs[ask_index].id, quote_id=quote.id))
    r = refs()
    register.log_response(
        desk,
        r[0],
        received=dt.date(2023, 5, 2),
        from_whom="",
        position=Position.PARTLY_ACCEPTED,
        text="The final Turnaround Plan sets out our performance framework. We will publish quarterly updates on our progress against the framework from the autumn.",
        assessment=Assessment.PARTLY_ADDRESSED,
        implementation=Implementation.IN_PROGRESS,
    )
    register.log_response(
        desk,
        r[3],
        received=dt.date(2023, 5, 9),
        position=Position.ACCEPTED,
        text="We are not lowering our standards: every recruit is vetted to the national standard.",
        assessment=Assessment.ADDRESSED,
    )
    register.log_response(
        desk,
        r[5],
        received=dt.date(2023, 5, 9),
        from_whom="Deputy Commissioner Dame Lynne Owens",
        position=Position.NOT_ACCEPTED,
        text="The programme is reported to the Met's Management Board.",
        assessment=Assessment.NOT_ADDRESSED,
    )
    return r
