"""A register of generated meetings, letters and responses (:func:`fill_register`) and many queries
made from their own words (:func:`corpus_queries`: whole words, unfinished words, quoted phrases,
names, filters, hostile text), for the search tests that compare two ways of searching."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from pcc_desk.model import Assessment, Position
from pcc_desk.services import Desk, letter_import, register, transcripts
from support.name_samples import generate, letters, tokens, write_letter, write_meetings

HOSTILE = [
    '"',
    "*",
    "O'Brien",
    "-word",
    "a-b",
    "re:",
    "OR NOT",
    "NEAR(",
    "((",
    "😀",
    "'",
    "\\",
    "%_",
]


def fill_register(desk: Desk, seed: int, folder: Path) -> None:
    corpus = generate(seed)
    folder.mkdir()
    for path in write_meetings(corpus, folder, "txt"):
        transcripts.import_transcript(desk, path)
    for i, letter in enumerate(letters(seed, corpus.people)):
        path = write_letter(letter, folder / f"letter-{i}.md")
        letter_import.commit(desk, letter_import.preview(desk, path))
    refs = [r.ref for r in register.list_recommendations(desk)]
    for i, ref in enumerate(refs[:3]):
        register.log_response(
            desk,
            ref,
            received=dt.date(2025, 1, 10 + i),
            position=Position.PARTLY_ACCEPTED,
            assessment=Assessment.PARTLY_ADDRESSED,
            text=f"{corpus.people[i].name} replied that the plan for response {i} is under review.",
        )


def corpus_queries(seed: int) -> list[tuple[str, dict]]:
    """Queries of every sort (see the module's docstring) made of the register's own words (read back from a hit-free listing of its text)."""
    rng = random.Random(seed)
    corpus = generate(seed)
    words = sorted({w for t in corpus.turns for w in tokens(t.text) if len(w) > 2})
    names = [p.name for p in corpus.people]
    texts = [t.text for t in corpus.turns]
    queries: list[tuple[str, dict]] = []
    for _ in range(12):
        queries.append((rng.choice(words), {}))  # a whole word, typed so far
        word = rng.choice(words)
        queries.append((word[: rng.randint(2, max(2, len(word) - 1))], {}))  # unfinished
        spoken = tokens(rng.choice(texts))
        if len(spoken) > 3:
            start = rng.randrange(len(spoken) - 2)
            queries.append(('"' + " ".join(spoken[start : start + 2]) + '"', {}))  # a phrase
        queries.append((f"{rng.choice(words)} {rng.choice(words)} ", {}))  # two finished words
    for name in names[:4]:
        queries.append((name, {}))
        queries.append((rng.choice(words), {"speaker": name.split()[-1]}))
    queries += [("plan", {"kinds": ["response"]}), ("plan", {"date_from": dt.date(2025, 1, 11)})]
    queries += [(text, {}) for text in HOSTILE]
    return queries
