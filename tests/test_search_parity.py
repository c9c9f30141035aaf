"""Search on a team register (PostgreSQL's tsvector) finds what search on a laptop's file (FTS5)
finds: the same generated meetings, letters and responses in both, and for each of many queries made
from their own words (whole words, unfinished words, quoted phrases, names, filters, hostile text)
the same records, with the matched words marked in every snippet."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from support.name_samples import generate, letters, tokens, write_letter, write_meetings

from pcc_desk.model import Assessment, Position
from pcc_desk.services import Desk, letter_import, register, transcripts
from pcc_desk.services.search import search

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


def _fill(desk: Desk, seed: int, folder) -> None:
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


def _queries(seed: int, desk: Desk) -> list[tuple[str, dict]]:
    """Queries made of the register's own words (read back from a hit-free listing of its text)."""
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


def _found(desk: Desk, text: str, criteria: dict) -> set[tuple]:
    hits = search(desk, text, limit=500, **criteria)
    for hit in hits:
        assert hit.snippet, (text, hit)
    # records compared by what they are, not by their ids (each register made its own)
    return {(h.kind, h.title, h.ref, h.ordinal, h.date, h.speaker) for h in hits}


@pytest.mark.parametrize("seed", [5, 19])
def test_a_team_register_finds_what_a_laptops_file_finds(db_path, pg_register, tmp_path, seed):
    with Desk.open(db_path) as laptop, Desk.open(pg_register) as team:
        _fill(laptop, seed, tmp_path / "laptop")
        _fill(team, seed, tmp_path / "team")
        queries = _queries(seed, laptop)
        assert len(queries) > 50
        found_any = 0
        for text, criteria in queries:
            on_file = _found(laptop, text, criteria)
            on_server = _found(team, text, criteria)
            assert on_server == on_file, (text, criteria, on_file ^ on_server)
            found_any += bool(on_file)
        assert found_any > len(queries) // 2  # the queries do find things
