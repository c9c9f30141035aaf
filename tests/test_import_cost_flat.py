"""Importing a file costs the same on a small register and on a large one: what an import reads
from the register (the rows it loads, and the way each of its queries finds them) does not grow
with the register. Counted, not timed: the rows loaded into the session while one more letter (or
transcript) is imported, after a few letters and after many; and no query of an import scans a
table that grows with every letter."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid

import pytest
from sqlalchemy import event
from support.batch_folders import transcript_txt
from support.letter_corpus import write_letters

from pcc_desk.model import Base
from pcc_desk.model.base import new_uuid
from pcc_desk.services import Desk, batch_import, letter_import, transcripts

GROWING = ("recommendations", "footnotes", "status_changes", "journal", "segments", "quotes")


class Reads:
    """Rows loaded into sessions, and the SELECT statements run, while it is active."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.loaded = 0
        self.selects: list[tuple[str, object]] = []

    def _load(self, target, context) -> None:
        self.loaded += 1

    def _execute(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            self.selects.append((statement, parameters))

    def __enter__(self) -> Reads:
        event.listen(Base, "load", self._load, propagate=True)
        event.listen(self.desk.engine, "before_cursor_execute", self._execute)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(Base, "load", self._load)
        event.remove(self.desk.engine, "before_cursor_execute", self._execute)

    def scans(self) -> list[str]:
        """The query plans' whole-table scans of tables that grow with the register."""
        found = []
        conn = sqlite3.connect(self.desk.location.path)
        try:
            for statement, parameters in self.selects:
                plan = conn.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
                for row in plan:
                    detail = row[-1]
                    words = detail.split()
                    if words[:1] == ["SCAN"] and words[1] in GROWING:
                        found.append(f"{detail}  <-  {' '.join(statement.split())[:160]}")
        finally:
            conn.close()
        return found


def _import(desk: Desk, paths) -> None:
    result = batch_import.import_letters(desk, list(paths))
    assert [r.outcome for r in result.results] == [batch_import.Outcome.IMPORTED] * len(paths)


def _one(desk: Desk, path) -> Reads:
    with Reads(desk) as reads:
        result = letter_import.commit(desk, letter_import.preview(desk, path))
    assert result.refs
    return reads


@pytest.mark.parametrize(("asks", "seed"), [(4, 1), (9, 2)])
def test_a_letter_import_reads_no_more_on_a_larger_register(db_path, tmp_path, asks, seed):
    letters = write_letters(tmp_path / "letters", 30, asks, seed)
    probe_small, probe_large = write_letters(tmp_path / "probes", 2, asks, seed, start=500)
    with Desk.open(db_path) as desk:
        _import(desk, letters[:3])
        small = _one(desk, probe_small)
        _import(desk, letters[3:])
        large = _one(desk, probe_large)
    assert large.loaded == small.loaded, "the rows an import loads grow with the register"
    assert len(large.selects) == len(small.selects)
    assert large.scans() == []


ID_TABLES = ("recommendations", "footnotes", "status_changes", "addressees")


def _ids(desk: Desk) -> dict[str, list[str]]:
    """Every id of the tables an import writes, as SQLite stores and orders them (in index order)."""
    conn = sqlite3.connect(desk.location.path)
    try:
        return {
            table: [row[0] for row in conn.execute(f"SELECT id FROM {table} ORDER BY id")]
            for table in ID_TABLES
        }
    finally:
        conn.close()


@pytest.mark.parametrize(("asks", "seed"), [(3, 5), (8, 6)])
def test_a_letter_import_adds_its_rows_at_the_end_of_every_id_index(db_path, tmp_path, asks, seed):
    """What keeps an import's writes flat: its new rows go after every row already in the index of
    ids (one page written at the end of each index), not each to a random page of a file that
    grows (as random ids did: hundreds of pages read and written per import on a decade's register)."""
    letters = write_letters(tmp_path / "letters", 12, asks, seed)
    with Desk.open(db_path) as desk:
        before = {}
        for path in letters:
            _import(desk, [path])
            after = _ids(desk)
            for table, ids in after.items():
                new = ids[len(before.get(table, ())) :]
                assert ids[: len(ids) - len(new)] == before.get(table, []), (
                    f"{path.name}: a new id of {table} went between ids already there"
                )
                assert new, table
            before = after


@pytest.mark.parametrize("seed", [3, 4])
def test_a_transcript_import_reads_no_more_on_a_larger_register(db_path, tmp_path, seed):
    letters = write_letters(tmp_path / "letters", 30, 6, seed)
    folder = tmp_path / "transcripts"
    folder.mkdir()
    days = [dt.date(2031, 1, 7) + dt.timedelta(days=7 * n) for n in range(2)]
    paths = []
    for n, day in enumerate(days):
        path = folder / f"pcc-{day.isoformat()}.txt"
        path.write_text(transcript_txt(day, f"Topic {seed} {n}", 12 + seed), encoding="utf-8")
        paths.append(path)
    with Desk.open(db_path) as desk:
        _import(desk, letters[:3])
        with Reads(desk) as small:
            transcripts.import_transcript(desk, paths[0])
        _import(desk, letters[3:])
        with Reads(desk) as large:
            transcripts.import_transcript(desk, paths[1])
    assert large.loaded == small.loaded
    assert large.scans() == []


def test_new_ids_are_time_ordered_unique_uuids():
    ids = [new_uuid() for _ in range(20_000)]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids) and [i.hex for i in ids] == sorted(i.hex for i in ids)
    assert {i.version for i in ids} == {7} and {i.variant for i in ids} == {uuid.RFC_4122}
    assert len({i.hex[12:] for i in ids}) == len(ids)  # the random part differs, not only the time
