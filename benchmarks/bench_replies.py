"""How well replies are matched to asks, positions read and repeats found; and how fast.

``python benchmarks/bench_replies.py [--seeds N]`` prints:

1. **real replies** (tests/fixtures/replies/<name>/: public reports' asks and the published answers,
   labelled; see its README), the development documents and the held-out ones apart: each reply as
   published (reply.md, read by the reply importer), then every document's answers without the
   asks quoted pooled into one reply, in order and shuffled: top-1, top-3, positions, asks not
   answered listed as such; then the real repeated-ask pairs and hard negatives (repeats.json);
2. **generated replies** to the real letter in resources/samples (22 asks; tests/support/replies.py,
   each answer reusing 2 to 5 of its ask's words): top-1 and top-3 with the reply in the letter's
   order, shuffled, shuffled without references ("Recommendation N"); position accuracy and how
   often a refusal was read as accepted or the reverse;
3. **repeats**: each ask of the letter asked again in other words (a third of its words dropped,
   "The Committee again asks that" before it) among the letter's other asks (hard negatives: same
   letter, same themes): precision and recall at the threshold;
4. **speed**: repeats looked up for one ask in a register of 20,000 asks, and the reply matching of
   a 22-ask letter (median of the runs).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support import reply_devset  # noqa: E402
from support.letter_fixtures import SAMPLE  # noqa: E402
from support.replies import make_reply  # noqa: E402

from pcc_desk import matching  # noqa: E402
from pcc_desk.importers.letters import read_letter  # noqa: E402
from pcc_desk.services.reply_import import Ask, suggest  # noqa: E402

SLUG = {
    "accepted": "accepted",
    "partly-accepted": "partly-accepted",
    "other": "other",
    "not-accepted": "not-accepted",
}


def _score(asks, passages, truth, positions=None, in_order=None):
    suggestions, _ordered = suggest(asks, passages, in_order=in_order)
    top1 = top3 = pos_right = pos_total = confused = 0
    _score.unanswered = getattr(_score, "unanswered", [0, 0])
    for s in suggestions:
        right = truth.get(s.number)
        if right is None:
            _score.unanswered[0] += s.chosen is None
            _score.unanswered[1] += 1
            continue
        listed = [p.index for p in s.passages]
        top1 += s.chosen == right
        top3 += right in listed[:3]
        if positions and s.chosen == right:
            pos_total += 1
            want = positions[s.number]
            pos_right += s.position.value == want
            confused += {s.position.value, want} == {"accepted", "not-accepted"}
    return top1, top3, len(truth), pos_right, pos_total, confused


def _line(name: str, t: reply_devset.Tally) -> str:
    listed = f"  unanswered listed {t.unanswered_listed}/{t.unanswered}" if t.unanswered else ""
    return (
        f"  {name:34} top-1 {t.top1}/{t.asks}  top-3 {t.top3}/{t.asks}  "
        f"positions {t.positions}/{t.found}  accepted<->not-accepted {t.confused}{listed}"
    )


def public_set(seeds: int) -> None:
    """The labelled real replies (tests/fixtures/replies/<name>/), development and held-out apart."""
    docs = reply_devset.documents()
    for split in ("development", "held-out"):
        mine = [d for d in docs if d.split == split]
        answered = sum(len(d.answered) for d in mine)
        print(
            f"real replies, {split} ({len(mine)} documents, {answered} answered asks, "
            f"{sum(len(d.pairs) for d in mine) - answered} not answered):"
        )
        published = reply_devset.Tally()
        for doc in mine:
            published.add(reply_devset.published(doc))
        print(_line("as published, each on its own", published))
        print(_line("answers only, pooled, in order", reply_devset.pooled(mine, None)))
        shuffled = reply_devset.Tally()
        for seed in range(seeds):
            shuffled.add(reply_devset.pooled(mine, seed))
        print(_line(f"answers only, pooled, shuffled x{seeds}", shuffled))


def public_repeats() -> None:
    """The real repeated-ask pairs and hard negatives (tests/fixtures/replies/repeats.json): is the
    other ask of each pair offered at the threshold, in an index of every ask of the set?"""
    data = reply_devset.repeats()
    ids = sorted(data["asks"])
    texts = [data["asks"][i]["text"] for i in ids]
    background = [p.ask for d in reply_devset.documents() for p in d.pairs]
    index = matching.RepeatIndex(texts + [t for t in background if t not in texts])

    def offered(a: str, b: str) -> bool:
        hits = index.similar(data["asks"][a]["text"])
        return ids.index(b) in {n for n, _s in hits}

    found = sum(offered(r["later"], r["earlier"]) for r in data["repeats"])
    wrong = sum(offered(n["a"], n["b"]) or offered(n["b"], n["a"]) for n in data["negatives"])
    print(
        f"real repeats (threshold {matching.REPEAT_THRESHOLD}; {len(data['repeats'])} repeated "
        f"asks, {len(data['negatives'])} hard negatives, {len(index.vectors)} asks indexed):"
    )
    print(
        f"  repeats found {found}/{len(data['repeats'])}  "
        f"hard negatives offered {wrong}/{len(data['negatives'])}"
    )


def generated(seeds: int) -> None:
    asks_text = [a.text for a in read_letter(SAMPLE).asks]
    letter = read_letter(SAMPLE)
    asks = [Ask(f"A{n}", n, a.text, a.context) for n, a in enumerate(letter.asks, start=1)]
    print(f"generated replies ({seeds} per condition, 22 asks, 2 unanswered each):")
    for name, shuffled, labelled in (
        ("in order, with references", False, True),
        ("in order, without references", False, False),
        ("shuffled, with references", True, True),
        ("shuffled, without references", True, False),
    ):
        totals = [0] * 6
        for seed in range(seeds):
            rng = random.Random(seed)
            skip = tuple(rng.sample(range(1, 23), 2))
            reply = make_reply(
                asks_text,
                seed=seed,
                shuffled=shuffled,
                labelled=labelled,
                skip=skip,
                shared=2 + seed % 4,
            )
            got = _score(asks, reply.paragraphs, reply.answers, reply.positions)
            totals = [a + b for a, b in zip(totals, got, strict=True)]
        t1, t3, n, pr, pt, conf = totals
        listed, unanswered = _score.unanswered
        _score.unanswered = [0, 0]
        print(
            f"  {name:32} top-1 {t1 / n:.2f}  top-3 {t3 / n:.2f}  "
            f"positions {pr / max(pt, 1):.2f}  accepted<->not-accepted {conf}  "
            f"unanswered listed {listed}/{unanswered}"
        )


def repeats() -> None:
    asks = [a.text for a in read_letter(SAMPLE).asks]
    rng = random.Random(5)
    later = []
    for text in asks:
        words = text.split()
        kept = [w for w in words if rng.random() > 0.33]
        later.append("The Committee again asks that " + " ".join(kept))
    index = matching.RepeatIndex(asks)
    found = right = 0
    for n, text in enumerate(later):
        hits = index.similar(text)
        found += len(hits)
        right += any(h[0] == n for h in hits)
    wrong_pairs = found - right
    print(
        f"repeats (threshold {matching.REPEAT_THRESHOLD}; 22 repeats among 22 asks of one letter):"
    )
    print(
        f"  precision {right / max(found, 1):.2f}  recall {right / len(later):.2f}  "
        f"wrong pairs {wrong_pairs}"
    )


def speed() -> None:
    letter = read_letter(SAMPLE)
    vocabulary = sorted({w for a in letter.asks for w in a.context.split()})
    rng = random.Random(3)
    texts = [
        " ".join(rng.choice(vocabulary) for _ in range(rng.randint(15, 40))) for _ in range(20_000)
    ]
    started = time.perf_counter()
    index = matching.RepeatIndex(texts)
    built = time.perf_counter() - started
    times = []
    for ask in letter.asks:
        t = time.perf_counter()
        index.similar(ask.text)
        times.append(time.perf_counter() - t)
    asks = [Ask(f"A{n}", n, a.text, a.context) for n, a in enumerate(letter.asks, start=1)]
    reply = make_reply([a.text for a in letter.asks], seed=1)
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        suggest(asks, reply.paragraphs)
        runs.append(time.perf_counter() - t)
    print("speed:")
    print(
        f"  repeats in a register of 20,000 asks: index built in {built:.1f} s, then "
        f"{statistics.median(times) * 1000:.1f} ms an ask (median)"
    )
    print(
        f"  matching a 22-ask letter's reply: {statistics.median(runs) * 1000 / 22:.1f} ms an ask"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=30)
    args = parser.parse_args()
    public_set(args.seeds)
    public_repeats()
    generated(args.seeds)
    repeats()
    speed()


if __name__ == "__main__":
    main()
