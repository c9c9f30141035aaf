"""The full-text index's own FTS5 settings (issue 16: ``automerge`` 8, so that an import pays for
less merging of the index's segments): a fresh register, every stored older register once upgraded
and a rebuilt index all have them; a register whose index merges eight segments at a time finds the
very hits (records, scores, snippets, titles) that one merging two or four at a time finds, or one
merged into a single segment, for many queries made from generated meetings, letters and responses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from support.search_corpus import corpus_queries, fill_register
from support.transcript_samples import write_meeting_txt

from pcc_desk import search, storage
from pcc_desk.search import sqlite as fts5
from pcc_desk.services import Desk, transcripts
from pcc_desk.services import search as search_service

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "db"
OLDER = sorted(
    p.name
    for p in FIXTURE_DIR.glob("*.sqlite3")
    if storage.stored_revision(p) != storage.HEAD_REVISION
)


def _settings(path: Path) -> dict[str, object]:
    """The index's FTS5 settings ({} when the register has no index yet)."""
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute(f"SELECT k, v FROM {fts5.INDEX}_config"))
    except sqlite3.OperationalError:
        return {}
    finally:
        conn.close()


def _set_automerge(path: Path, value: int) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(f"INSERT INTO {fts5.INDEX}({fts5.INDEX}, rank) VALUES ('automerge', {value})")
    conn.close()


def test_a_fresh_register_merges_its_index_eight_segments_at_a_time(tmp_path):
    path = tmp_path / "new" / "register.sqlite3"
    with Desk.open(path):
        pass
    assert _settings(path)["automerge"] == fts5.AUTOMERGE == 8


@pytest.mark.parametrize("fixture", OLDER)
def test_an_upgraded_register_gets_the_setting_and_still_finds_turns(tmp_path, fixture):
    rng = random.Random(fixture)
    path = tmp_path / fixture
    shutil.copyfile(FIXTURE_DIR / fixture, path)
    assert "automerge" not in _settings(path)  # made by a version before the setting
    word = "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4))
    title = f"{rng.choice(['Custody', 'Vetting', 'Stop and search'])} {word.title()}"
    day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700))
    with Desk.open(path) as desk:
        meeting = write_meeting_txt(tmp_path, title, day, word)
        imported = transcripts.import_transcript(desk, meeting)
        by_word = search_service.search(desk, word)
        by_title = search_service.search(desk, f"{title.split()[0]} agenda")
    assert storage.stored_revision(path) == storage.HEAD_REVISION
    assert _settings(path)["automerge"] == fts5.AUTOMERGE
    turns = {s.id for s in imported.segments}
    assert {h.id for h in by_word} == turns  # both turns say the word
    assert {h.id for h in by_title} >= turns  # the meeting's title is on every turn


def test_a_rebuilt_or_reinstalled_index_keeps_the_setting(tmp_path, template_db):
    path = tmp_path / "register.sqlite3"
    shutil.copyfile(template_db, path)
    with Desk.open(path) as desk:
        transcripts.import_transcript(
            desk, write_meeting_txt(tmp_path, "Knife crime", dt.date(2024, 3, 5), "knives")
        )
        search_service.rebuild_index(desk)
    assert _settings(path)["automerge"] == fts5.AUTOMERGE
    conn = sqlite3.connect(path)
    with conn:
        search.reinstall(conn)
    conn.close()
    assert _settings(path)["automerge"] == fts5.AUTOMERGE
    with Desk.open(path) as desk:
        assert len(search_service.search(desk, "knives")) == 2


def _hits(desk: Desk, text: str, criteria: dict) -> list[tuple]:
    found = search_service.find(desk, text, limit=50, **criteria)
    ignored = {"id", "transcript_id"}  # the records' ids differ between two registers
    return [
        tuple(v for k, v in dataclasses.asdict(h).items() if k not in ignored) for h in found.hits
    ] + [found.notes]


VOCABULARY = [
    "custody",
    "vetting",
    "knives",
    "patrols",
    "trust",
    "burglary",
    "drones",
    "bail",
    "stop",
    "search",
    "officers",
    "warrants",
    "youth",
    "victims",
    "domestic",
    "abuse",
    "charging",
    "courts",
]


def _more_meetings(desk: Desk, seed: int, folder: Path, count: int = 24) -> list[str]:
    """``count`` generated meetings of about a thousand words, each imported in its own transaction
    (a segment of the index each, enough for FTS5 to merge them); returns a few queries of their words."""
    rng = random.Random(seed)
    folder.mkdir()
    made = [f"{rng.choice(VOCABULARY)[:4]}{rng.choice('aeiou')}{n}" for n in range(300)]
    words = VOCABULARY + made
    for i in range(count):
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(900))
        lines = [f"Police and Crime Committee – {day.day} {day:%B %Y}", f"Meeting {i}", ""]
        for _ in range(10):
            said = " ".join(rng.choice(words) for _word in range(rng.randint(60, 140)))
            who = rng.choice(["Susan Hall AM (Chairman)", "Unmesh Desai AM", "Sir Mark Rowley"])
            lines += [f"{who}: {said}.", ""]
        (folder / f"meeting-{i}.txt").write_text("\n".join(lines), encoding="utf-8")
        transcripts.import_transcript(desk, folder / f"meeting-{i}.txt")
    return [rng.choice(made) for _ in range(8)] + [w[:3] for w in rng.sample(made, 6)]


def _layout(path: Path) -> bytes:
    """The index's structure record: its segments, level by level."""
    conn = sqlite3.connect(path)
    try:
        return bytes(
            conn.execute(f"SELECT block FROM {fts5.INDEX}_data WHERE id = 10").fetchone()[0]
        )
    finally:
        conn.close()


@pytest.mark.parametrize("seed", [4, 9])
def test_an_index_merged_eight_segments_at_a_time_finds_the_same_hits(tmp_path, template_db, seed):
    paths = {}
    for automerge in (2, 4, fts5.AUTOMERGE):
        path = tmp_path / f"automerge-{automerge}" / "register.sqlite3"
        path.parent.mkdir()
        shutil.copyfile(template_db, path)
        _set_automerge(path, automerge)
        with Desk.open(path) as desk:
            fill_register(desk, seed, path.parent / "files")
            more = _more_meetings(desk, seed, path.parent / "meetings")
        paths[automerge] = path
    # and the index of the one at eight merged into a single segment ("optimize")
    merged = tmp_path / "merged.sqlite3"
    shutil.copyfile(paths[fts5.AUTOMERGE], merged)
    conn = sqlite3.connect(merged)
    with conn:
        conn.execute(f"INSERT INTO {fts5.INDEX}({fts5.INDEX}) VALUES ('optimize')")
    conn.close()
    assert _layout(merged) != _layout(paths[fts5.AUTOMERGE])
    paths[1] = merged
    queries = corpus_queries(seed) + [(text, {}) for text in more]
    desks = {automerge: Desk.open(path) for automerge, path in paths.items()}
    try:
        found = 0
        for text, criteria in queries:
            expected = _hits(desks[fts5.AUTOMERGE], text, criteria)
            found += len(expected) > 1
            for automerge in (1, 2, 4):
                assert _hits(desks[automerge], text, criteria) == expected, (automerge, text)
        assert found > len(queries) // 2
    finally:
        for desk in desks.values():
            desk.close()
