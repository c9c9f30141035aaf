"""The labelled development set of real replies (tests/fixtures/replies/<name>/), read and rendered.

Each document folder holds, as published (see tests/fixtures/replies/README.md for sources and
licences):

- ``source.json``: the texts as taken from the source, by hand: the asks (``ref``, ``ask``), each
  ask's answer (``response``: its paragraphs, separated by a blank line; absent when the source
  does not answer it), the position it states (labelled by a person reading it, not by the
  position reader), the covering paragraphs (text that answers no ask), and ``split``
  ("development" or "held-out");
- ``letter.md``: the asks as a letter the letter importer reads (each ask in bold);
- ``reply.md``: the reply as the reply importer reads it, in the source's layout: a select
  committee's special report (``layout`` "special-report": each ask repeated in bold, the answer in
  plain type after it, so one passage an ask) or a letter (``layout`` "letter": the answers only,
  a passage a paragraph);
- ``labels.json``: for each ask, the passages of ``reply.md`` (as the reply importer cuts it, from
  0) that answer it, and the position stated; the covering passages.

``python tests/support/reply_devset.py`` writes letter.md, reply.md and labels.json again from
source.json (run it after editing a source.json)."""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pcc_desk.importers.letters import read_letter
from pcc_desk.importers.reply import read_reply
from pcc_desk.services.reply_import import Ask, suggest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "replies"
REPEATS = FIXTURES / "repeats.json"


@dataclass(frozen=True)
class Pair:
    ref: str
    ask: str
    response: tuple[str, ...]  # the answer's paragraphs; () when the source does not answer it
    position: str  # accepted | partly-accepted | other | not-accepted ('' when not answered)


@dataclass(frozen=True)
class Document:
    name: str
    folder: Path
    title: str
    url: str
    published: str
    licence: str
    split: str  # development | held-out
    layout: str  # special-report | letter
    committee: str  # who made the asks
    respondent: str  # who answered
    pairs: tuple[Pair, ...]
    covering: tuple[str, ...]

    @property
    def answered(self) -> tuple[Pair, ...]:
        return tuple(p for p in self.pairs if p.response)


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split("\n\n") if p.strip())


def load(folder: Path) -> Document:
    data = json.loads((folder / "source.json").read_text("utf-8"))
    pairs = tuple(
        Pair(
            str(p["ref"]),
            p["ask"],
            _paragraphs(p.get("response", "")),
            p.get("position", "") if p.get("response") else "",
        )
        for p in data["pairs"]
    )
    return Document(
        folder.name,
        folder,
        data["title"],
        data["url"],
        data["published"],
        data["licence"],
        data["split"],
        data["layout"],
        data["committee"],
        data["respondent"],
        pairs,
        tuple(data.get("covering", ())),
    )


def documents() -> list[Document]:
    return [load(f) for f in sorted(FIXTURES.iterdir()) if (f / "source.json").is_file()]


def _date_line(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def letter_text(doc: Document) -> str:
    """The asks as a letter: the committee's head, then each ask in bold, in the source's order."""
    lines = [
        doc.committee,
        "",
        doc.respondent,
        "",
        _date_line(doc.published),
        "",
        "Dear Sir or Madam,",
        "",
        doc.title,
        "",
        "The conclusions and recommendations are set out below.",
        "",
    ]
    for p in doc.pairs:
        lines += [f"**{_bold_safe(p.ask)}**", ""]
    lines += ["Yours sincerely,", "", doc.committee, ""]
    return "\n".join(lines)


def _bold_safe(text: str) -> str:
    return text.replace("*", "")


def reply_text(doc: Document) -> tuple[str, dict[str, list[int]], list[int]]:
    """The reply in the source's layout, with the passages each ask's answer becomes (in a special
    report the bold ask opens a passage that runs on to the next bold ask; in a letter each
    paragraph is a passage) and the covering passages."""
    lines = [
        doc.respondent,
        "",
        doc.committee,
        "",
        _date_line(doc.published),
        "",
        "Dear Chair,",
        "",
        "Response to the recommendations",
        "",
    ]
    covering = []
    for n, text in enumerate(doc.covering):
        lines += [text, ""]
        covering.append(n)
    answers: dict[str, list[int]] = {}
    index = len(doc.covering)
    for p in doc.answered:
        if doc.layout == "special-report":
            lines += [f"**{_bold_safe(p.ask)}**", ""]
        for paragraph in p.response:
            lines += [paragraph, ""]
        if doc.layout == "special-report":
            answers[p.ref] = [index]
            index += 1
        else:
            answers[p.ref] = list(range(index, index + len(p.response)))
            index += len(p.response)
    lines += ["Yours sincerely,", "", doc.respondent, ""]
    return "\n".join(lines), answers, covering


def labels(doc: Document) -> dict[str, object]:
    _text, answers, covering = reply_text(doc)
    return {
        "reply": "reply.md",
        "letter": "letter.md",
        "asks": [
            {
                "ref": p.ref,
                "number": n,
                "passages": answers.get(p.ref, []),
                "position": p.position,
                "opens": " ".join(p.ask.split()[:8]),
            }
            for n, p in enumerate(doc.pairs, start=1)
        ],
        "covering": covering,
    }


def write(doc: Document) -> None:
    (doc.folder / "letter.md").write_text(letter_text(doc), "utf-8")
    (doc.folder / "reply.md").write_text(reply_text(doc)[0], "utf-8")
    text = json.dumps(labels(doc), indent=1, ensure_ascii=False) + "\n"
    (doc.folder / "labels.json").write_text(text, "utf-8")


def repeats() -> dict[str, Any]:
    """The asks (``asks``: id -> source, url, text), repeated-ask pairs (``repeats``: an earlier ask
    and the same ask made again later, ``kind`` repeats or related) and hard negatives
    (``negatives``: two different asks on the same theme)."""
    data: dict[str, Any] = json.loads(REPEATS.read_text("utf-8"))
    return data


# --- measuring the matcher on the set ----------------------------------------------------------


@dataclass
class Tally:
    """Counts over answered asks (top-1, top-3, positions) and unanswered asks (listed as such)."""

    asks: int = 0
    top1: int = 0
    top3: int = 0
    positions: int = 0  # right, among the asks whose passage was found
    found: int = 0
    confused: int = 0  # accepted read as not accepted, or the reverse
    unanswered: int = 0
    unanswered_listed: int = 0
    documents: set[str] = field(default_factory=set)

    def add(self, other: Tally) -> None:
        for name in ("asks", "top1", "top3", "positions", "found", "confused", "unanswered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.unanswered_listed += other.unanswered_listed
        self.documents |= other.documents


def letter_asks(doc: Document, prefix: str = "") -> list[Ask]:
    """The asks as the letter importer reads letter.md, with the source's references."""
    letter = read_letter(doc.folder / "letter.md")
    refs = [p.ref for p in doc.pairs]
    return [
        Ask(f"{prefix}{ref}", n, a.text, a.context)
        for n, (ref, a) in enumerate(zip(refs, letter.asks, strict=True), start=1)
    ]


def answers_only(doc: Document) -> tuple[list[str], dict[str, list[int]]]:
    """The reply as a letter without the asks quoted: the covering paragraphs, then each answer's
    paragraphs (a passage each), and the passages answering each ask."""
    passages = list(doc.covering)
    truth: dict[str, list[int]] = {}
    for p in doc.answered:
        truth[p.ref] = list(range(len(passages), len(passages) + len(p.response)))
        passages += p.response
    return passages, truth


def shuffled(
    passages: list[str], truth: dict[str, list[int]], seed: int
) -> tuple[list[str], dict[str, list[int]]]:
    order = list(range(len(passages)))
    random.Random(seed).shuffle(order)
    where = {old: new for new, old in enumerate(order)}
    return [passages[i] for i in order], {r: [where[i] for i in ix] for r, ix in truth.items()}


def score(
    docs: list[Document],
    asks: list[Ask],
    passages: list[str],
    truth: dict[str, list[int]],
    bolds: list[str] | None = None,
) -> Tally:
    """The suggestions for ``asks`` among ``passages`` against the labels (``truth``: ask reference
    -> the passages answering it; an ask not in it is not answered in this reply)."""
    suggestions, _ordered = suggest(asks, passages, bolds=bolds)
    wanted = {f"{d.name}/{p.ref}": p.position for d in docs for p in d.pairs}
    tally = Tally(documents={d.name for d in docs})
    for s in suggestions:
        right = truth.get(s.ref)
        if not right:
            tally.unanswered += 1
            tally.unanswered_listed += s.chosen is None
            continue
        tally.asks += 1
        listed = [p.index for p in s.passages]
        tally.top1 += s.chosen in right
        tally.top3 += any(j in right for j in listed[:3])
        if s.chosen in right:
            want = wanted[s.ref]
            tally.found += 1
            tally.positions += s.position.value == want
            tally.confused += {s.position.value, want} == {"accepted", "not-accepted"}
    return tally


def published(doc: Document) -> Tally:
    """The reply as published (reply.md, read by the reply importer), with the labels."""
    labels = json.loads((doc.folder / "labels.json").read_text("utf-8"))
    reply = read_reply(doc.folder / "reply.md")
    truth = {f"{doc.name}/{a['ref']}": a["passages"] for a in labels["asks"]}
    return score(
        [doc],
        letter_asks(doc, f"{doc.name}/"),
        [p.text for p in reply.passages],
        truth,
        [p.bold for p in reply.passages],
    )


def pooled(docs: list[Document], seed: int | None) -> Tally:
    """Every document's answers without the asks quoted, pooled into one reply (in the documents'
    order, or shuffled with ``seed``), and every document's asks against them."""
    asks: list[Ask] = []
    passages: list[str] = []
    truth: dict[str, list[int]] = {}
    for doc in docs:
        mine, answers = answers_only(doc)
        for ask in letter_asks(doc, f"{doc.name}/"):
            asks.append(Ask(ask.ref, len(asks) + 1, ask.text, ask.context))
        for ref, ix in answers.items():
            truth[f"{doc.name}/{ref}"] = [len(passages) + i for i in ix]
        passages += mine
    if seed is not None:
        passages, truth = shuffled(passages, truth, seed)
    return score(docs, asks, passages, truth)


if __name__ == "__main__":
    for document in documents():
        write(document)
        print(f"{document.name}: {len(document.answered)} answered asks", file=sys.stderr)
