"""The labelled development set of real replies (tests/fixtures/replies/) holds together: every
labelled ask is in its letter as the letter importer reads it, every label points at a passage of the
reply as the reply importer cuts it, the rendered files are those of the sources, and the matcher runs
over all of it. Structure only: how well the matcher does is benchmarks/bench_replies.py's to say."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from support import reply_devset

from pcc_desk.importers.letters import read_letter
from pcc_desk.importers.reply import read_reply
from pcc_desk.services.reply_import import suggest
from pcc_desk.vocabulary import Position

DOCUMENTS = reply_devset.documents()
NAMES = [d.name for d in DOCUMENTS]


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def test_the_set_has_documents_held_out_and_sources_named():
    assert len(DOCUMENTS) >= 5
    splits = [d.split for d in DOCUMENTS]
    assert set(splits) == {"development", "held-out"}
    assert splits.count("held-out") >= 2
    for doc in DOCUMENTS:
        assert doc.url.startswith("https://"), doc.name
        assert "Licence" in doc.licence, doc.name
        assert doc.layout in {"special-report", "letter"}, doc.name
        assert doc.answered, doc.name
        assert len({p.ref for p in doc.pairs}) == len(doc.pairs), doc.name


@pytest.mark.parametrize("doc", DOCUMENTS, ids=NAMES)
def test_the_stored_files_are_those_the_sources_render(doc):
    assert (doc.folder / "letter.md").read_text("utf-8") == reply_devset.letter_text(doc)
    assert (doc.folder / "reply.md").read_text("utf-8") == reply_devset.reply_text(doc)[0]
    labels = json.loads((doc.folder / "labels.json").read_text("utf-8"))
    assert labels == reply_devset.labels(doc)


@pytest.mark.parametrize("doc", DOCUMENTS, ids=NAMES)
def test_every_labelled_ask_is_in_its_letter_in_order(doc):
    letter = read_letter(doc.folder / "letter.md")
    labels = json.loads((doc.folder / "labels.json").read_text("utf-8"))
    assert len(letter.asks) == len(labels["asks"]) == len(doc.pairs)
    for ask, label, pair in zip(letter.asks, labels["asks"], doc.pairs, strict=True):
        assert label["ref"] == pair.ref
        assert _same(ask.text, pair.ask), pair.ref
        assert ask.text.startswith(label["opens"])
    assert letter.head.date == dt.date.fromisoformat(doc.published)


@pytest.mark.parametrize("doc", DOCUMENTS, ids=NAMES)
def test_labels_point_at_passages_of_the_reply_that_hold_the_answer(doc):
    reply = read_reply(doc.folder / "reply.md")
    labels = json.loads((doc.folder / "labels.json").read_text("utf-8"))
    texts = [p.text for p in reply.passages]
    assert reply.head.date == dt.date.fromisoformat(doc.published)
    used: set[int] = set()
    for label, pair in zip(labels["asks"], doc.pairs, strict=True):
        assert bool(label["passages"]) == bool(pair.response), pair.ref
        if not pair.response:
            assert label["position"] == ""
            continue
        assert Position(label["position"]) in Position
        held = "\n\n".join(texts[i] for i in label["passages"])
        for paragraph in pair.response:
            assert " ".join(paragraph.split()) in " ".join(held.split()), pair.ref
        assert not used & set(label["passages"]), "a passage labelled for two asks"
        used |= set(label["passages"])
    for i, text in zip(labels["covering"], doc.covering, strict=True):
        assert _same(texts[i], text)
    # every passage is an answer or covering text: nothing of the reply is unlabelled
    assert used | set(labels["covering"]) == set(range(len(texts)))


@pytest.mark.parametrize("doc", DOCUMENTS, ids=NAMES)
def test_the_matcher_runs_over_each_reply_and_gives_one_suggestion_an_ask(doc):
    reply = read_reply(doc.folder / "reply.md")
    asks = reply_devset.letter_asks(doc, f"{doc.name}/")
    suggestions, _in_order = suggest(
        asks, [p.text for p in reply.passages], bolds=[p.bold for p in reply.passages]
    )
    assert [s.ref for s in suggestions] == [a.ref for a in asks]
    for s in suggestions:
        assert s.chosen is None or 0 <= s.chosen < len(reply.passages)
        assert all(0 <= p.index < len(reply.passages) for p in s.passages)


def test_repeat_pairs_and_negatives_name_stored_asks():
    data = reply_devset.repeats()
    asks = data["asks"]
    assert data["repeats"] and data["negatives"]
    for pair in data["repeats"]:
        assert (
            pair["earlier"] in asks and pair["later"] in asks and pair["earlier"] != pair["later"]
        )
        assert pair["kind"] in {"repeats", "supersedes", "related"}
    for pair in data["negatives"]:
        assert pair["a"] in asks and pair["b"] in asks and pair["a"] != pair["b"]
    positives = {frozenset((p["earlier"], p["later"])) for p in data["repeats"]}
    assert not positives & {frozenset((n["a"], n["b"])) for n in data["negatives"]}
    stored = {p.ask for d in DOCUMENTS for p in d.pairs}
    for key, ask in asks.items():
        assert ask["text"].strip() and ask["url"].startswith("https://"), key
        # an ask taken from a document of the set is that document's text, word for word
        if ask["url"] in {d.url for d in DOCUMENTS}:
            assert ask["text"] in stored, key
