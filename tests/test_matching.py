"""The matching core on generated variants: positions (a refusal never read as accepted), the numbers
a passage names, quoted asks, the order-preserving alignment and the one-to-one assignment."""

from __future__ import annotations

import itertools
import random

import pytest

from pcc_desk import matching
from pcc_desk.vocabulary import Position

SUBJECTS = ["this recommendation", "the Committee's recommendation", "it", "the proposal"]
WHO = ["The Met", "We", "The MPS", "MOPAC", "The Government"]


@pytest.mark.parametrize(
    ("verb", "expected"),
    [
        ("does not accept", Position.NOT_ACCEPTED),
        ("do not agree with", Position.NOT_ACCEPTED),
        ("cannot accept", Position.NOT_ACCEPTED),
        ("is unable to support", Position.NOT_ACCEPTED),
        ("rejects", Position.NOT_ACCEPTED),
        ("will not implement", Position.NOT_ACCEPTED),
        ("does not fully accept", Position.PARTLY_ACCEPTED),
        ("accepts in principle", Position.PARTLY_ACCEPTED),
        ("partly accepts", Position.PARTLY_ACCEPTED),
        ("accepts", Position.ACCEPTED),
        ("agrees with", Position.ACCEPTED),
        ("notes", Position.OTHER),
        ("will consider", Position.OTHER),
    ],
)
def test_positions_from_wording_in_many_phrasings(verb, expected):
    for who, what in itertools.product(WHO, SUBJECTS):
        text = f"{who} {verb} {what}. Work with partners will continue and we welcome the report."
        got, _words = matching.position_of(text)
        assert got == expected, text
        if expected == Position.NOT_ACCEPTED:
            assert got != Position.ACCEPTED


@pytest.mark.parametrize(
    "longer",
    ["in partnership", "in particular", "in parts of the country", "in partnerships", "in parties"],
)
def test_a_longer_word_is_not_the_qualifier_it_starts_with(longer):
    """'in part' qualifies an acceptance; 'in partnership', 'in particular' do not (a real reply:
    "she will work with policing in partnership" was read as partly accepted)."""
    rng = random.Random(longer)
    for who, what in itertools.product(WHO, SUBJECTS):
        filler = rng.choice(["Work will continue", "We will act", "Progress is reported"])
        text = f"{filler} {longer} with forces. {who} notes {what}."
        assert matching.position_of(text)[0] == Position.OTHER, text
        text = f"{who} accepts {what}. {filler} {longer} with forces."
        assert matching.position_of(text)[0] == Position.ACCEPTED, text
    assert matching.position_of(f"We accept it in part, {longer}.")[0] == Position.PARTLY_ACCEPTED


def test_a_refusal_after_welcoming_words_is_still_a_refusal():
    text = "We welcome the Committee's interest and support its aims. However, we do not accept it."
    assert matching.position_of(text)[0] == Position.NOT_ACCEPTED
    assert matching.position_of("Nothing is said about it.") == (Position.OTHER, "")


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Recommendation 3: the Met accepts.", {3}),
        ("Recommendations 4 and 5 are accepted.", {4, 5}),
        ("In response to recommendations 6-8, we agree.", {6, 7, 8}),
        ("Recommendations 2, 9 and 11", {2, 9, 11}),
        ("Recommendation 6.41 is noted.", {6}),
        ("The recommendation is noted.", set()),
    ],
)
def test_the_numbers_a_passage_names(text, numbers):
    assert matching.numbers_named(text) == numbers


def test_a_quoted_ask_is_found_and_a_short_echo_is_not():
    ask = "The Met should publish its vetting timescales for every new recruit each quarter."
    assert matching.quoted_share(ask, f"You asked that “{ask}” We agree.") == 1.0
    assert matching.quoted_share(ask, "We will publish vetting figures.") == 0.0


def _matrix(n, m, right, rng, noise=0.1):
    return [
        [(0.5 if right.get(i) == j else 0.0) + rng.random() * noise for j in range(m)]
        for i in range(n)
    ]


@pytest.mark.parametrize("seed", range(8))
def test_alignment_keeps_order_and_skips_unanswered(seed):
    rng = random.Random(seed)
    n = rng.randint(5, 15)
    answered = sorted(rng.sample(range(n), n - 2))
    right = {i: k + 1 for k, i in enumerate(answered)}  # passage 0 is covering text
    scores = _matrix(n, n, right, rng)
    got = matching.align(scores, threshold=0.2, in_order=True)
    assert got.in_order
    assert [got.chosen[i] for i in answered] == [right[i] for i in answered]
    assert all(got.chosen[i] is None for i in range(n) if i not in right)


@pytest.mark.parametrize("seed", range(8))
def test_shuffled_replies_are_matched_one_to_one(seed):
    rng = random.Random(100 + seed)
    n = rng.randint(5, 15)
    passages = list(range(n))
    rng.shuffle(passages)
    right = dict(enumerate(passages))
    scores = _matrix(n, n, right, rng)
    got = matching.align(scores, threshold=0.2)
    assert not got.in_order or sorted(passages) == passages
    assert list(got.chosen) == [right[i] for i in range(n)]


def test_repeat_index_finds_a_reworded_ask_and_not_its_neighbours():
    asks = [
        "The Met should publish stop and search outcomes by ward, ethnicity and age each quarter.",
        "The Met should report on the number of misconduct cases outstanding for more than a year.",
        "The Met should set out how it will strengthen Safer Neighbourhood Boards in every borough.",
    ]
    index = matching.RepeatIndex(asks)
    again = (
        "The Committee again asks the Met to publish stop and search outcomes by ethnicity and age."
    )
    found = index.similar(again)
    assert [n for n, _ in found] == [0]
