"""A follow-up letter quoting evidence given to another committee names that committee: "At the Home
Affairs Committee’s meeting on 19 April 2023, Sir Mark Rowley said:", not "At the Committee’s meeting".
Transcripts are generated in the London Assembly and Commons select committee styles (text and Word),
imported, quoted, and the letter is written and read back with python-docx."""

from __future__ import annotations

import datetime as dt
import random

import docx
import pytest
from support import docx_readback as rb

from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput
from pcc_desk.letters import writer
from pcc_desk.letters.writer import inner_quote
from pcc_desk.model import Status
from pcc_desk.services import quotes, register, settings, transcripts
from pcc_desk.services.letters import Selection, draft_letter

RECIPIENT = "Sir Mark Rowley"
OTHER_WITNESS = "Sophie Linden"
# the Committee's name in Settings, as different clerks write it
OUR_NAMES = [
    "Police and Crime Committee",
    "London Assembly Police and Crime Committee",
    "The London Assembly’s Police & Crime Committee",
]
# (committee as the transcript's header names it, style, is it ours?)
MEETINGS = [
    ("Police and Crime Committee", "assembly", True),
    ("Home Affairs Committee", "commons", False),
    ("Justice Committee", "commons", False),
    ("Public Accounts Committee", "commons", False),
    ("Budget and Performance Committee", "assembly", False),
    ("London Assembly (Plenary)", "assembly", False),
]


def _assembly_lines(committee: str, day: dt.date, said: dict[str, str]) -> list[str]:
    body = committee.removeprefix("London Assembly ").strip("()") if "Plenary" in committee else ""
    head = "London Assembly" + (f" ({body})" if body else "")
    lines = [head]
    lines.append(f"{committee if not body else head} – {house_date(day)}")
    lines.append("Transcript of Agenda Item 4 – Question and Answer Session on policing in London")
    lines.append("")
    lines.append("Susan Hall AM (Chairman): Good morning, and welcome to our guests.")
    lines.append("")
    lines.append(f"{RECIPIENT} QPM (Commissioner of Police of the Metropolis): {said[RECIPIENT]}")
    lines.append("")
    lines.append("Caroline Russell AM: And what does MOPAC say?")
    lines.append("")
    lines.append(f"{OTHER_WITNESS} (Deputy Mayor for Policing and Crime): {said[OTHER_WITNESS]}")
    lines.append("")
    lines.append("Susan Hall AM (Chairman): Thank you. That concludes this item.")
    return lines


def _commons_lines(committee: str, day: dt.date, said: dict[str, str], q: int) -> list[str]:
    return [
        committee,
        f"Oral evidence: Policing in London, HC {100 + q}",
        f"{day:%A} {house_date(day)}",
        "",
        "Members present: Dame Diana Johnson (Chair); Tim Loughton.",
        "",
        f"Questions {q}-{q + 3}",
        "",
        f"Witnesses: {RECIPIENT}, Commissioner of Police of the Metropolis; {OTHER_WITNESS}, "
        "Deputy Mayor for Policing and Crime.",
        "",
        f"Q{q} Chair: Thank you for coming. How far has the plan got?",
        "",
        f"{RECIPIENT}: {said[RECIPIENT]}",
        "",
        f"Q{q + 1} Tim Loughton: And MOPAC?",
        "",
        f"{OTHER_WITNESS}: {said[OTHER_WITNESS]}",
        "",
        f"Q{q + 2} Chair: And the budget?",
        "",
        f"{OTHER_WITNESS}: It is set for the year.",  # (a plain name is read as a speaker once
        "",  # it recurs; see the transcript importer)
        f"Q{q + 3} Chair: Thank you both.",
    ]


def write_transcript(folder, n: int, committee: str, style: str, day: dt.date, rng) -> tuple:
    said = {
        RECIPIENT: f"We will publish the plan for meeting {n} by the end of the year, "
        f"and we will report on {rng.choice(['vetting', 'recruitment', 'stop and search'])}.",
        OTHER_WITNESS: f"MOPAC will hold the Met to account on item {n} every quarter.",
    }
    if style == "assembly":
        lines = _assembly_lines(committee, day, said)
    else:
        lines = _commons_lines(committee, day, said, q=rng.randrange(1, 300))
    if rng.random() < 0.5:
        path = folder / f"meeting-{n}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        path = folder / f"meeting-{n}.docx"
        document = docx.Document()
        for line in lines:
            if line:
                document.add_paragraph(line)
        document.save(str(path))
    return path, said


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_quotes_from_another_committees_meeting_name_that_committee(desk, tmp_path, seed):
    rng = random.Random(seed)
    ours = rng.choice(OUR_NAMES)
    settings.update_settings(desk, {"committee": ours})
    made = dt.date(2023, 1, 10) + dt.timedelta(days=rng.randrange(0, 200))
    meetings = rng.sample(MEETINGS, 4)
    if not any(is_ours for _c, _s, is_ours in meetings):
        meetings[0] = MEETINGS[0]
    expected = []  # (quoted words, intro, citation) in letter order
    for n, (committee, style, is_ours) in enumerate(meetings, start=1):
        day = made - dt.timedelta(days=30 * n + rng.randrange(0, 20))
        path, said = write_transcript(tmp_path, n, committee, style, day, rng)
        transcript = transcripts.import_transcript(desk, path).transcript
        assert transcript.date == day
        stored = transcript.committee
        ref = register.add_recommendation(
            desk,
            f"The Met should publish the plan discussed at meeting {n}.",
            theme="Delivering the mission",
            addressee=RECIPIENT,
            made=made,
        ).ref
        for speaker in (RECIPIENT, OTHER_WITNESS):
            words = said[speaker].split(",")[0]
            quote = quotes.create_quote(desk, transcript.id, words, refs=[ref])
            who = "you told us" if speaker == RECIPIENT else f"{speaker} told us"
            if is_ours:
                intro = f"At the Committee’s meeting on {house_date(day)}, {who}:"
            else:
                name = writer.committee_name(stored)
                assert name and "Committee’s" not in name
                who = who.replace("told us", "said")
                intro = f"At the {name}’s meeting on {house_date(day)}, {who}:"
            expected.append((inner_quote(quote.text), intro, quote.citation))

    out = tmp_path / "follow-up.docx"
    draft_letter(desk, Selection(status=Status.AWAITING_RESPONSE), out, recipient=RECIPIENT)
    _document, paras, notes = rb.read(out)
    texts = [p.text for p in paras]
    for words, intro, citation in expected:
        at = texts.index(f"“{words}”")
        assert texts[at - 1] == intro
        assert notes[paras[at].refs[-1]] == citation
    # each other committee is named by the name its transcript gave
    for committee, _style, is_ours in meetings:
        if not is_ours:
            assert any(writer.committee_name(committee) in t for t in texts if "meeting on" in t)
    assert sum("At the Committee’s meeting on" in t for t in texts) == 2 * sum(
        is_ours for _c, _s, is_ours in meetings
    )


@pytest.mark.parametrize(
    "meeting_committee, ours, intro",
    [
        ("HOME AFFAIRS COMMITTEE", "Police and Crime Committee", "At the Home Affairs Committee’s"),
        ("The Justice Committee", "Police and Crime Committee", "At the Justice Committee’s"),
        (
            "House of Commons Home Affairs Select Committee",
            "Police and Crime Committee",
            "At the House of Commons Home Affairs Select Committee’s",
        ),
        (
            "POLICE AND CRIME COMMITTEE",
            "London Assembly Police and Crime Committee",
            "At the Committee’s",
        ),
        ("Police & Crime Committee", "Police and Crime Committee", "At the Committee’s"),
        ("", "Police and Crime Committee", "At the Committee’s"),  # not known: ours
        (
            "London Assembly",
            "London Assembly Police and Crime Committee",
            "At the London Assembly’s",
        ),
        ("London Assembly (Plenary)", "Police and Crime Committee", "At the London Assembly’s"),
    ],
)
def test_the_intro_names_the_meetings_committee_unless_it_is_the_letters_own(
    meeting_committee, ours, intro
):
    day = dt.date(2022, 10, 12)
    item = writer.ItemInput(
        ref="PCC-2023-03-17/01",
        theme="Delivering the mission",
        ask="The Met should publish its plan.",
        made=dt.date(2023, 3, 17),
        due=dt.date(2023, 5, 17),
        quotes=(
            writer.QuoteInput(
                text="We will publish it",
                speaker="Jane Doe",
                meeting=day,
                committee=meeting_committee,
            ),
        ),
    )
    letter = writer.LetterInput(
        committee=ours,
        sender="Chair",
        sender_role="",
        recipient=RECIPIENT,
        recipient_role="",
        date=dt.date(2023, 7, 14),
        items=(item,),
    )
    texts = [b.text for b in writer.compose(letter)]
    at = texts.index("“We will publish it”")
    assert texts[at - 1].startswith(f"{intro} meeting on 12 October 2022, Jane Doe ")
    citation = next(b for b in writer.compose(letter) if b.text == texts[at]).parts[-1].text
    named = writer.committee_name(meeting_committee) if intro != "At the Committee’s" else ours
    assert citation == f"{named}, 12 October 2022 – transcript"


def test_the_clerk_can_reword_the_other_committee_intro(desk, tmp_path):
    settings.set_wording(
        desk,
        "quote_intro_other_speaker",
        "In evidence to the {meeting_committee} on {meeting}, {speaker} said:",
    )
    with pytest.raises(InvalidInput, match="meeting_committee"):
        settings.set_wording(desk, "quote_intro_speaker", "To the {meeting_committee}:")
