"""Search on a team register (PostgreSQL's tsvector) finds what search on a laptop's file (FTS5)
finds: the same generated meetings, letters and responses in both, and for each of many queries made
from their own words (whole words, unfinished words, quoted phrases, names, filters, hostile text)
the same records, with the matched words marked in every snippet."""

from __future__ import annotations

import pytest
from support.search_corpus import corpus_queries, fill_register

from pcc_desk.services import Desk
from pcc_desk.services.search import search


def _found(desk: Desk, text: str, criteria: dict) -> set[tuple]:
    hits = search(desk, text, limit=500, **criteria)
    for hit in hits:
        assert hit.snippet, (text, hit)
    # records compared by what they are, not by their ids (each register made its own)
    return {(h.kind, h.title, h.ref, h.ordinal, h.date, h.speaker) for h in hits}


@pytest.mark.parametrize("seed", [5, 19])
def test_a_team_register_finds_what_a_laptops_file_finds(db_path, pg_register, tmp_path, seed):
    with Desk.open(db_path) as laptop, Desk.open(pg_register) as team:
        fill_register(laptop, seed, tmp_path / "laptop")
        fill_register(team, seed, tmp_path / "team")
        queries = corpus_queries(seed)
        assert len(queries) > 50
        found_any = 0
        for text, criteria in queries:
            on_file = _found(laptop, text, criteria)
            on_server = _found(team, text, criteria)
            assert on_server == on_file, (text, criteria, on_file ^ on_server)
            found_any += bool(on_file)
        assert found_any > len(queries) // 2  # the queries do find things
