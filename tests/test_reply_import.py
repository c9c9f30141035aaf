"""Importing a reply: the letter found, each ask matched to its passage, the position read, and the
import saved in one transaction and one undoable journal row (real files, a real register)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest
from support.letter_fixtures import SAMPLE
from support.replies import make_reply, write_reply

from pcc_desk.errors import DuplicateImport, ImportRejected
from pcc_desk.model import Position, Status
from pcc_desk.services import letter_import, register, reply_import, undo


@pytest.fixture
def letter(desk):
    preview = letter_import.preview(desk, SAMPLE)
    letter_import.commit(desk, preview)
    return [a.text for a in preview.letter.asks]


def _right(preview, reply) -> int:
    return sum(
        1
        for s in preview.suggestions
        if s.chosen is not None and reply.answers.get(s.number) == s.chosen
    )


@pytest.mark.parametrize(
    ("suffix", "seed", "shuffled", "labelled"),
    [
        (".md", 1, False, False),
        (".docx", 2, False, True),
        (".pdf", 3, False, False),
        (".md", 4, True, True),
        (".docx", 5, True, False),
    ],
)
def test_each_ask_gets_the_passage_that_answers_it(
    desk, letter, tmp_path, suffix, seed, shuffled, labelled
):
    reply = make_reply(letter, seed=seed, shuffled=shuffled, labelled=labelled, skip=(5, 17))
    path = write_reply(tmp_path / f"reply{suffix}", reply)
    preview = reply_import.preview(desk, path)
    assert preview.letter.date == dt.date(2023, 3, 17)
    assert "17 March 2023" in preview.letter_reason
    assert preview.received == dt.date(2023, 5, 12)
    assert len(preview.passages) == len(reply.paragraphs)
    answered = len(reply.answers)
    # the aims: 0.85 where the reply follows the letter or names the asks, 0.65 otherwise
    assert _right(preview, reply) >= (0.85 if labelled or not shuffled else 0.65) * answered
    # every ask listed as not answered was left out; those left out are listed or weak matches
    skipped = {"PCC-2023-03-17/05", "PCC-2023-03-17/17"}
    assert set(preview.unanswered) <= skipped
    for s in preview.suggestions:
        if s.ref in skipped and s.chosen is not None:
            assert s.confidence == "low"
    # the covering paragraphs answer nothing
    assert {0, 1, len(reply.paragraphs) - 1} <= set(preview.unmatched_passages)
    assert preview.in_order is not shuffled


def test_positions_are_read_and_a_refusal_is_never_accepted(desk, letter, tmp_path):
    reply = make_reply(letter, seed=11)
    preview = reply_import.preview(desk, write_reply(tmp_path / "reply.md", reply))
    by_number = {s.number: s for s in preview.suggestions}
    for number, position in reply.positions.items():
        got = by_number[number].position
        if position == "not-accepted":
            assert got == Position.NOT_ACCEPTED
        if position == "accepted":
            assert got == Position.ACCEPTED
        assert not (position == "not-accepted" and got == Position.ACCEPTED)


# the Committee's own words around an ask it quotes: each would state a position if it were the reply's
QUOTED = [
    "agrees that",
    "supports the view that",
    "notes that",
    "does not accept that",
    "accepts that",
]


@pytest.mark.parametrize("seed", [12, 13, 14])
def test_the_position_is_read_from_the_answer_not_from_the_ask_it_quotes(
    desk, letter, tmp_path, seed
):
    """A reply printing each ask in bold before its answer (as a special report does): the words
    of the quoted ask ("The Committee supports…", "…notes that…") are not the reply's position."""
    reply = make_reply(letter, seed=seed, skip=())
    rng = random.Random(seed)
    quoted = {}
    paragraphs = []
    for i, text in enumerate(reply.paragraphs):
        number = next((n for n, j in reply.answers.items() if j == i), None)
        if number is not None:
            verb = rng.choice([v for v in QUOTED if v.split()[0] not in text.lower()])
            quoted[number] = verb
            paragraphs.append(f"**The Committee {verb} {letter[number - 1]}**")
        paragraphs.append(text)
    path = write_reply(tmp_path / "reply.md", replace(reply, paragraphs=paragraphs))
    preview = reply_import.preview(desk, path)
    by_number = {s.number: s for s in preview.suggestions}
    for number, position in reply.positions.items():
        s = by_number[number]
        assert s.chosen is not None
        assert reply.paragraphs[reply.answers[number]] in preview.passages[s.chosen]
        assert s.position.value == position, (quoted[number], preview.passages[s.chosen])


@pytest.mark.backends("sqlite", "postgresql")
def test_import_logs_each_answer_in_one_undoable_operation(desk, letter, tmp_path):
    reply = make_reply(letter, seed=21, skip=(3,))
    path = write_reply(tmp_path / "reply.docx", reply)
    preview = reply_import.preview(desk, path)
    result = reply_import.commit(desk, preview, today=dt.date(2024, 1, 1))
    answered = [s for s in preview.suggestions if s.chosen is not None]
    assert len(result.refs) == len(answered)
    first = answered[0]
    detail = register.get_recommendation(desk, first.ref)
    assert len(detail.responses) == 1
    response = detail.responses[0]
    assert response.received == dt.date(2023, 5, 12)
    assert response.text == preview.passages[first.chosen]
    assert response.position == first.position
    assert detail.status != Status.AWAITING_RESPONSE
    # the same file again adds nothing
    with pytest.raises(DuplicateImport):
        reply_import.commit(desk, reply_import.preview(desk, path), today=dt.date(2024, 1, 1))
    # one undo takes every response out again, and the statuses back
    undo.undo(desk, [result.operation_id])
    for s in answered:
        again = register.get_recommendation(desk, s.ref)
        assert again.responses == ()
        assert again.status == Status.AWAITING_RESPONSE
    undo.redo(desk)
    assert len(register.get_recommendation(desk, first.ref).responses) == 1


def test_the_clerk_chooses_the_answers_and_positions(desk, letter, tmp_path):
    reply = make_reply(letter, seed=31)
    preview = reply_import.preview(desk, write_reply(tmp_path / "reply.md", reply))
    answers = [
        reply_import.Answer("PCC-2023-03-17/02", preview.passages[4], Position.NOT_ACCEPTED),
        reply_import.Answer("PCC-2023-03-17/09", "Typed by the clerk.", Position.OTHER),
    ]
    result = reply_import.commit(desk, preview, answers, received=dt.date(2023, 6, 1))
    assert result.refs == ("PCC-2023-03-17/02", "PCC-2023-03-17/09")
    nine = register.get_recommendation(desk, "PCC-2023-03-17/09").responses[0]
    assert (nine.text, nine.position, nine.received) == (
        "Typed by the clerk.",
        Position.OTHER,
        dt.date(2023, 6, 1),
    )
    assert register.get_recommendation(desk, "PCC-2023-03-17/01").responses == ()


def test_a_file_that_is_not_a_reply_is_refused_in_one_line(desk, letter, tmp_path):
    bad = tmp_path / "reply.docx"
    bad.write_bytes(b"not a zip at all")
    with pytest.raises(ImportRejected) as refused:
        reply_import.preview(desk, bad)
    assert "\n" not in str(refused.value) and "reply.docx" in str(refused.value)
