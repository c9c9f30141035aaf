"""A search on a laptop's file is one statement (issue 16): FTS5 ranks by its own ``rank`` (the
weighted bm25 given in ``rank MATCH``) and the top hits' labels are joined to them in the same query.
On generated registers (meetings, letters with footnotes, responses) and many queries made from their
own words, it finds the very hits, scores, snippets and titles that the weighted ``bm25()`` ordered
by the sorter, with the labels read afterwards through the ORM, found."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from support.letter_corpus import write_letters
from support.search_corpus import corpus_queries, fill_register

from pcc_desk import search as fts
from pcc_desk.search import sqlite as fts5
from pcc_desk.services import Desk, letter_import
from pcc_desk.services import search as search_service

EXTRA = ["transcript", "Police and Crime", "vetting", "custody", "letter", "Committee", "the"]


def _request(text: str, criteria: dict, limit: int) -> fts.SearchRequest:
    return fts.SearchRequest(
        text=text,
        speaker=criteria.get("speaker"),
        date_from=criteria.get("date_from"),
        date_to=criteria.get("date_to"),
        kinds=tuple(criteria.get("kinds", ())),
        limit=limit,
    )


def _bm25_sorted(conn: sqlite3.Connection, request: fts.SearchRequest) -> list[tuple]:
    """The ranked query as it was before: bm25() with the weights, ordered by SQLite's sorter, over
    the same window of newest matches; (record, score, snippet) of each hit."""
    backend = fts5.SqliteFts5Backend()
    match = backend.match_expression(request)
    if match is None:
        return []
    where, params = backend._filters(request)
    extra = "".join(f" AND {w}" for w in where)
    params["match"] = match
    seen, oldest = conn.execute(
        f"SELECT count(*), min(rowid) FROM (SELECT rowid FROM {fts5.INDEX} WHERE {fts5.INDEX} "
        f"MATCH :match{extra} ORDER BY rowid DESC LIMIT {fts5.RANK_WINDOW + 1})",
        params,
    ).fetchone()
    window = f" AND {fts5.INDEX}.rowid > {oldest}" if seen > fts5.RANK_WINDOW else ""
    weights = ", ".join(str(fts5.WEIGHTS[c]) for c in fts5.COLUMNS)
    rows = conn.execute(
        f"SELECT d.record_id, bm25({fts5.INDEX}, {weights}) AS score, {fts5._snippet_expr()} "
        f"FROM {fts5.INDEX} JOIN {fts5.DOCS} d ON d.doc_id = {fts5.INDEX}.rowid "
        f"WHERE {fts5.INDEX} MATCH :match{window}{extra} ORDER BY score LIMIT {request.limit}",
        params,
    ).fetchall()
    return [(r, round(-s, 4), " ".join((snip or "").split())) for r, s, snip in rows]


@pytest.fixture(scope="module", params=[3, 11])
def register(request, tmp_path_factory, template_db):
    seed = request.param
    folder = tmp_path_factory.mktemp(f"search-one-{seed}")
    path = folder / "register.sqlite3"
    path.write_bytes(template_db.read_bytes())
    with Desk.open(path) as desk:
        fill_register(desk, seed, folder / "files")
        for letter in write_letters(folder / "letters", 2, 4, seed):  # footnotes citing meetings
            letter_import.commit(desk, letter_import.preview(desk, letter))
    return path, seed


@pytest.mark.parametrize("window", [fts5.RANK_WINDOW, 7])
def test_fts5_rank_finds_the_hits_the_weighted_bm25_found(register, window, monkeypatch):
    path, seed = register
    monkeypatch.setattr(fts5, "RANK_WINDOW", window)  # 7: most common words are ranked bounded
    backend = fts5.SqliteFts5Backend()
    conn = sqlite3.connect(path)
    compared = bounded = 0
    for text, criteria in corpus_queries(seed) + [(t, {}) for t in EXTRA]:
        for limit in (3, 50):
            request = _request(text, criteria, limit)
            outcome = backend.search(conn, request)
            if outcome.notes:  # words left out: another query, compared on its own words below
                continue
            now = [(h.record_id, h.score, h.snippet) for h in outcome.hits]
            before = _bm25_sorted(conn, request)
            # equal scores may come in either order; which records make the top is the same
            assert sorted(now, key=lambda h: (-h[1], h[0])) == sorted(
                before, key=lambda h: (-h[1], h[0])
            ), (text, criteria, limit)
            compared += bool(now)
            bounded += outcome.bounded
    conn.close()
    assert compared > 50
    assert bounded > 0 if window == 7 else bounded == 0


def test_titles_read_with_the_hits_are_those_the_orm_reads(register):
    path, seed = register
    kinds = set()
    with Desk.open(path) as desk:
        backend = fts.backend_for("sqlite")
        for text, criteria in corpus_queries(seed) + [(t, {}) for t in EXTRA]:
            request = _request(text, criteria, 50)
            with desk.reading() as session:
                conn = session.connection().connection.driver_connection
                outcome = backend.search(conn, request)
                assert outcome.labelled or not outcome.hits
                assert all(h.label is not None for h in outcome.hits)
                read_with = search_service._dress(session, outcome)
                unlabelled = dataclasses.replace(
                    outcome,
                    labelled=False,
                    hits=[dataclasses.replace(h, label=None) for h in outcome.hits],
                )
                read_after = search_service._dress(session, unlabelled)
            assert read_with == read_after, (text, criteria)
            kinds |= {h.kind for h in read_with if h.title}
    assert kinds == {"transcript", "recommendation", "response", "footnote"}
