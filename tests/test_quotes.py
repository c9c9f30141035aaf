"""Quotes: exact spans of one turn, cited in the house style, attached to and detached from
recommendations, shown in meeting order, surviving edits elsewhere."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select
from support.transcript_samples import UK_TEXT, write_la_txt

from pcc_desk.errors import InvalidInput, NotFound
from pcc_desk.model import Segment
from pcc_desk.services import quotes, register, transcripts

MADE = dt.date(2023, 3, 17)


pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def meeting(desk, tmp_path):
    t = transcripts.import_transcript(desk, write_la_txt(tmp_path)).transcript
    refs = [
        register.add_recommendation(desk, text, made=MADE).ref
        for text in ("Publish the plan", "Rebuild trust")
    ]
    return t, refs


def _segment_text(desk, segment_id):
    with desk.reading() as s:
        return s.get(Segment, segment_id).text


def test_quote_records_the_exact_span_speaker_and_house_style_citation(desk, meeting):
    t, _ = meeting
    q = quotes.create_quote(desk, t.id, "We will rebuild trust in the Met’s neighbourhood policing")
    text = _segment_text(desk, q.segment_id)
    assert (
        text[q.start : q.end]
        == q.text
        == "We will rebuild trust in the Met’s neighbourhood policing"
    )
    assert q.start == text.index("We will rebuild")
    assert q.speaker == "Sir Mark Rowley"
    assert q.citation == "Police and Crime Committee, 12 October 2022 – transcript"
    assert q.transcript_id == t.id and q.segment_ordinal == 2


def test_straight_quotes_and_extra_spaces_typed_by_the_clerk_still_find_the_transcripts_words(
    desk, meeting
):
    t, _ = meeting
    q = quotes.create_quote(desk, t.id, 'That is the "new era"   I promised Londoners.')
    assert q.text == "That is the “new era” I promised Londoners."
    assert _segment_text(desk, q.segment_id)[q.start : q.end] == q.text


def test_words_not_in_the_transcript_or_across_two_turns_are_refused(desk, meeting):
    t, _ = meeting
    with pytest.raises(
        NotFound, match="not in the transcript of Police and Crime Committee, 12 October 2022"
    ):
        quotes.create_quote(desk, t.id, "We will abolish the Met")
    with pytest.raises(NotFound):  # end of one turn + start of the next
        quotes.create_quote(desk, t.id, "Londoners. Commissioner, on stop and search")
    with pytest.raises(InvalidInput):
        quotes.create_quote(desk, t.id, "   ")
    assert quotes.list_quotes(desk) == []


def test_words_said_more_than_once_need_an_occurrence(desk, meeting):
    t, _ = meeting
    with pytest.raises(InvalidInput, match=r"occur 2 times.*--occurrence 1 to 2"):
        quotes.create_quote(desk, t.id, "by the end of the year")
    first = quotes.create_quote(desk, t.id, "by the end of the year", occurrence=1)
    second = quotes.create_quote(desk, t.id, "by the end of the year", occurrence=2)
    assert (first.segment_ordinal, second.segment_ordinal) == (2, 6)
    assert (
        _segment_text(desk, second.segment_id)[second.start : second.end]
        == "by the end of the year"
    )
    with pytest.raises(InvalidInput, match="only 2"):
        quotes.create_quote(desk, t.id, "by the end of the year", occurrence=3)


def test_a_quote_attaches_to_several_recommendations_and_detaches_again(desk, meeting):
    t, (a, b) = meeting
    q = quotes.create_quote(desk, t.id, "We will rebuild trust", refs=[a])
    quotes.attach_quote(desk, q.id, [b, a])  # attaching again changes nothing
    assert [x.id for x in register.get_recommendation(desk, a).quotes] == [q.id]
    assert [x.id for x in register.get_recommendation(desk, b).quotes] == [q.id]
    quotes.detach_quote(desk, q.id, [a])
    assert register.get_recommendation(desk, a).quotes == ()
    assert [x.id for x in register.get_recommendation(desk, b).quotes] == [q.id]
    with pytest.raises(NotFound):
        quotes.detach_quote(desk, q.id, [a])
    # quoting the same span again gives the same quote
    assert quotes.create_quote(desk, t.id, "We will rebuild trust", refs=[a]).id == q.id


def test_a_recommendations_quotes_come_in_meeting_order(desk, meeting, tmp_path):
    t, (a, _) = meeting
    uk_path = tmp_path / "hac.txt"
    uk_path.write_text(UK_TEXT, encoding="utf-8")
    uk = transcripts.import_transcript(desk, uk_path).transcript
    later = quotes.create_quote(desk, uk.id, "re-checking every officer’s vetting", refs=[a])
    last_turn = quotes.create_quote(desk, t.id, "Only that we will publish", refs=[a])
    early = quotes.create_quote(desk, t.id, "I’ll be candid", refs=[a])
    assert [q.id for q in quotes.quotes_for(desk, a)] == [early.id, last_turn.id, later.id]


def test_quotes_survive_edits_to_the_recommendation_and_other_imports(desk, meeting, tmp_path):
    t, (a, _) = meeting
    q = quotes.create_quote(desk, t.id, "We will rebuild trust", refs=[a])
    register.edit_recommendation(desk, a, text="Rebuild trust in neighbourhood policing")
    from pcc_desk.model import Assessment, Position

    register.log_response(
        desk,
        a,
        received=dt.date(2023, 5, 2),
        position=Position.ACCEPTED,
        assessment=Assessment.ADDRESSED,
        text="Done.",
    )
    uk_path = tmp_path / "hac.txt"
    uk_path.write_text(UK_TEXT, encoding="utf-8")
    transcripts.import_transcript(desk, uk_path)
    kept = register.get_recommendation(desk, a).quotes
    assert [(x.id, x.text, x.start, x.end) for x in kept] == [(q.id, q.text, q.start, q.end)]


def test_unknown_transcript_and_recommendation_are_refused_without_writing(desk, meeting):
    t, _ = meeting
    with pytest.raises(NotFound):
        quotes.create_quote(desk, "ffffffff", "We will rebuild trust")
    with pytest.raises(InvalidInput):
        quotes.create_quote(desk, "not-an-id!", "We will rebuild trust")
    with pytest.raises(NotFound, match="PCC-1999"):
        quotes.create_quote(desk, t.id, "We will rebuild trust", refs=["PCC-1999-01-01/01"])
    with desk.reading() as s:
        from pcc_desk.model import Quote

        assert list(s.scalars(select(Quote))) == []


def test_cli_quote_finds_the_words_and_reports_clear_errors(cli, tmp_path, register_db):
    db = register_db
    imported = json.loads(
        cli("import-transcript", str(write_la_txt(tmp_path)), "--json", db=db, check_rc=0).stdout
    )
    tid = imported["transcript"]["id"][:8]
    cli("add", "--text", "Publish the plan", "--made", "2023-03-17", db=db, check_rc=0)
    out = cli(
        "quote",
        "PCC-2023-03-17/01",
        "--transcript",
        tid,
        "--text",
        "I’ll be candid with the Committee",
        "--json",
        db=db,
        check_rc=0,
    )
    quote = json.loads(out.stdout)
    assert quote["citation"] == "Police and Crime Committee, 12 October 2022 – transcript"
    shown = json.loads(cli("show", "PCC-2023-03-17/01", "--json", db=db, check_rc=0).stdout)
    assert [q["text"] for q in shown["quotes"]] == ["I’ll be candid with the Committee"]
    out = cli(
        "quote",
        "PCC-2023-03-17/01",
        "--transcript",
        tid,
        "--text",
        "by the end of the year",
        db=db,
        check_rc=2,
    )
    assert "--occurrence" in out.stderr and out.stderr.count("\n") == 1
    cli(
        "quote",
        "PCC-2023-03-17/01",
        "--transcript",
        tid,
        "--text",
        "by the end of the year",
        "--occurrence",
        "2",
        db=db,
        check_rc=0,
    )
    out = cli("delete-transcript", tid, db=db, check_rc=2)
    assert "quote" in out.stderr
    cli("detach-quote", quote["id"], "PCC-2023-03-17/01", db=db, check_rc=0)
    shown = json.loads(cli("show", "PCC-2023-03-17/01", "--json", db=db, check_rc=0).stdout)
    assert [q["text"] for q in shown["quotes"]] == ["by the end of the year"]
    cli("delete-transcript", tid, "--force", db=db, check_rc=0)
    assert json.loads(cli("transcripts", "--json", db=db, check_rc=0).stdout) == []


def test_list_and_delete_quotes(desk, meeting):
    t, (a, b) = meeting
    late = quotes.create_quote(desk, t.id, "Only that we will publish", refs=[a, b])
    early = quotes.create_quote(desk, t.id, "I’ll be candid")
    listed = quotes.list_quotes(desk, str(t.id)[:8])
    assert [(q.id, refs) for q, refs in listed] == [
        (early.id, ()),
        (late.id, tuple(sorted([a, b]))),
    ]
    from pcc_desk.errors import Conflict

    with pytest.raises(Conflict, match="attached to"):
        quotes.delete_quote(desk, late.id)
    quotes.delete_quote(desk, late.id, force=True)
    quotes.delete_quote(desk, early.id)
    assert quotes.list_quotes(desk) == []
    assert register.get_recommendation(desk, a).quotes == ()


def test_quoting_a_selected_span_of_a_turn(desk, meeting):
    t, (a, _) = meeting
    turn = transcripts.get_transcript(desk, t.id).segments[1]
    start = turn.text.index("We will rebuild")
    q = quotes.quote_span(desk, turn.id, start - 1, start + len("We will rebuild trust "), refs=[a])
    assert (q.start, q.end, q.text) == (
        start,
        start + len("We will rebuild trust"),
        "We will rebuild trust",
    )
    assert (
        quotes.create_quote(desk, t.id, "We will rebuild trust").id == q.id
    )  # the same span, the same quote
    assert [x.id for x in register.get_recommendation(desk, a).quotes] == [q.id]
    with pytest.raises(InvalidInput):
        quotes.quote_span(desk, turn.id, 5, 5)
    with pytest.raises(InvalidInput):
        quotes.quote_span(desk, turn.id, 0, len(turn.text) + 1)
