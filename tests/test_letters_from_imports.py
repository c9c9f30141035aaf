"""The whole path a clerk takes: the sample letter imported, responses logged, a transcript imported
and quotes attached, then the follow-up letter drafted and read back (and opened by LibreOffice)."""

from __future__ import annotations

import datetime as dt

import docx_readback as rb
import pytest
from letter_fixtures import SAMPLE_ASKS, SAMPLE_THEMES, write_letter_docx
from transcript_samples import write_la_txt

from pcc_desk.letters.writer import inner_quote
from pcc_desk.model import Assessment, Implementation, Position
from pcc_desk.services import letter_import, quotes, register, transcripts
from pcc_desk.services.letters import Selection, draft_letter

# a laptop's file and a team register (PostgreSQL)
pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = dt.date(2023, 7, 14)
QUOTED = (
    "We will rebuild trust in the Met’s neighbourhood policing",
    "put more officers back into wards",
)


@pytest.fixture
def imported(desk, tmp_path):
    source = write_letter_docx(tmp_path / "pcc-letter-2023-03-17-turnaround-plan.docx")
    result = letter_import.commit(desk, letter_import.preview(desk, source))
    refs = result.refs
    assert len(refs) == len(SAMPLE_ASKS)
    register.log_response(
        desk,
        refs[0],
        received=dt.date(2023, 5, 2),
        position=Position.PARTLY_ACCEPTED,
        text="The final Turnaround Plan sets out our performance framework.",
        assessment=Assessment.PARTLY_ADDRESSED,
        implementation=Implementation.IN_PROGRESS,
        today=TODAY,
    )
    register.log_response(
        desk,
        refs[4],
        received=dt.date(2023, 5, 9),
        position=Position.ACCEPTED,
        text="We are not lowering our standards.",
        assessment=Assessment.ADDRESSED,
        today=TODAY,
    )
    transcript = transcripts.import_transcript(desk, write_la_txt(tmp_path)).transcript
    made = [quotes.create_quote(desk, transcript.id, words, refs=[refs[5]]) for words in QUOTED]
    return desk, refs, made


def test_follow_up_letter_from_the_imported_sample_letter(imported, tmp_path):
    desk, refs, made = imported
    letter = draft_letter(
        desk,
        Selection(refs=tuple(refs)),
        tmp_path / "follow-up.docx",
        letter_date=TODAY,
        today=TODAY,
    )
    document, paras, notes = rb.read(letter.path)
    full = "\n".join(p.text for p in paras)

    # every ask once, in the letter's order, under its theme's heading, themes in the letter's order
    asks = [register.get_recommendation(desk, ref) for ref in refs]
    at = [full.index(inner_quote(a.text)) for a in asks]
    assert at == sorted(at)
    assert all(full.count(inner_quote(a.text)) == 1 for a in asks)
    assert [p.text for p in paras if p.style == "Theme Heading"] == list(SAMPLE_THEMES)
    assert [p for p in paras if p.bold_text] and len([p for p in paras if p.bold_text]) == len(refs)

    # each quote followed by a real footnote carrying the transcript's citation
    quoted = [p for p in paras if p.style == "Quotation"]
    assert [q.text for q in quoted] == [f"“{inner_quote(q.text)}”" for q in made]
    assert made[0].citation == "Police and Crime Committee, 12 October 2022 – transcript"
    assert all(q.ends_with_ref and notes[q.refs[-1]] == made[0].citation for q in quoted)
    intro = paras[[p.text for p in paras].index(quoted[0].text) - 1].text
    assert (
        intro == "At the Committee’s meeting on 12 October 2022, you told us:"
    )  # Sir Mark, the recipient, spoke

    # the original letter's footnotes carried over, except the one the quotes' meeting replaces
    recap_first = next(p for p in paras if inner_quote(asks[0].text) in p.text)
    assert [notes[r] for r in recap_first.refs] == [
        "MPS Turnaround Plan 2023-2025 (met.police.uk) https://www.met.police.uk/turnaround-plan"
    ]
    recap_quoted = next(p for p in paras if inner_quote(asks[5].text) in p.text)
    assert recap_quoted.refs == ()  # its footnote 10 cites the 12 October 2022 meeting, now quoted

    # footnote ids: 1..n in order, matching the footnotes part
    referenced = [r for p in paras for r in p.refs]
    assert referenced == list(range(1, len(referenced) + 1)) == sorted(notes)

    assert (
        "The response of 2 May 2023 stated: “The final Turnaround Plan sets out our performance framework”."
        in full
    )
    assert full.count("The Committee has not yet received a response") == len(refs) - 2
    assert all(p.text.strip() for p in paras) and rb.formatting_noise(document) == []

    if rb.have_office():
        pdf = rb.to_pdf([letter.path], tmp_path)[0]
        printed = rb.pdf_footnotes(rb.pdf_text(pdf))
        assert sorted(printed) == sorted(notes)
        assert all(notes[n].startswith(printed[n]) for n in notes)
        markdown = rb.pandoc_markdown(letter.path)
        assert all(f"[^{n}]:" in markdown for n in notes)


def test_neighbouring_footnote_references_are_separated_by_a_comma(imported, tmp_path):
    """An ask whose paragraph cites two notes (the sample's ¹⁸ and ¹⁹) reads ¹,² in the letter, not ¹²."""
    import docx
    from docx.oxml.ns import qn

    desk, refs, _made = imported
    two = next(r for r in refs if len(register.get_recommendation(desk, r).footnotes) == 2)
    out = draft_letter(
        desk, Selection(refs=(two,)), tmp_path / "two-notes.docx", letter_date=TODAY, today=TODAY
    ).path
    body = docx.Document(str(out)).element.body
    for p in body.iter(qn("w:p")):
        runs = list(p.iter(qn("w:r")))
        marks = [i for i, r in enumerate(runs) if r.find(qn("w:footnoteReference")) is not None]
        if len(marks) == 2:
            between = runs[marks[0] + 1 : marks[1]]
            assert ["".join(t.text for t in r.iter(qn("w:t"))) for r in between] == [","]
            assert (
                between[0].find(qn("w:rPr")).find(qn("w:rStyle")).get(qn("w:val"))
                == "FootnoteReference"
            )
            return
    pytest.fail("no paragraph with two footnote references")
