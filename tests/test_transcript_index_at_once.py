"""A transcript's turns are indexed at once when all are written (issue 16: the .txt import of a decade),
not by a trigger a turn: the keys and the index are the very ones the trigger made, and a failed
import leaves the trigger, the index and the register as they were."""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3

import pytest
from support.name_samples import generate, write_docx, write_meetings, write_txt

from pcc_desk import search
from pcc_desk.services import Desk, register, transcripts
from pcc_desk.services import search as search_service


def _meetings(seed: int, folder) -> tuple[list, object]:
    """Generated meetings as .txt and .docx, two of them on one day, and a day that already holds a
    recommendation's key."""
    corpus = generate(seed, meetings=3, turns=12 + seed % 7)
    folder.mkdir()
    paths = write_meetings(corpus, folder, "txt")
    first = corpus.meetings[0]
    same_day = dataclasses.replace(first, title=f"{first.title} (afternoon)")
    paths.append(write_docx(same_day, folder / "same-day.docx"))
    paths.append(write_txt(corpus.meetings[1], folder / "again-as-text.txt"))  # a copy: refused
    return paths, first.date


def _import(db, paths, day) -> None:
    with Desk.open(db) as desk:
        register.add_recommendation(desk, "The Met should publish its plan.", made=day)
        for path in paths:
            transcripts.import_transcript(desk, path)
        assert search_service.check_index(desk) == []


def _index(db) -> tuple[list, list]:
    conn = sqlite3.connect(db)
    docs = conn.execute(f"SELECT * FROM {search.DOCS} ORDER BY doc_id").fetchall()
    text = conn.execute(f"SELECT rowid, * FROM {search.INDEX} ORDER BY rowid").fetchall()
    conn.close()
    return docs, text


@pytest.mark.parametrize("seed", [2, 9, 30])
def test_the_turns_indexed_at_once_are_keyed_and_indexed_as_by_the_trigger(
    seed, tmp_path, template_db, monkeypatch
):
    paths, day = _meetings(seed, tmp_path / "files")
    at_once, by_trigger = tmp_path / "at-once.sqlite3", tmp_path / "by-trigger.sqlite3"
    at_once.write_bytes(template_db.read_bytes())
    by_trigger.write_bytes(template_db.read_bytes())
    _import(at_once, paths, day)
    monkeypatch.setattr(search, "turns_indexed_at_once", lambda *_: contextlib.nullcontext())
    _import(by_trigger, paths, day)
    docs, text = _index(at_once)
    # ids differ between the two registers (uuid4 per import): compare what is keyed where
    same_shape = _index(by_trigger)
    assert [d[0] for d in docs] == [d[0] for d in same_shape[0]]  # the very keys, in order
    assert [d[1:2] + d[4:] for d in docs] == [d[1:2] + d[4:] for d in same_shape[0]]
    assert text == same_shape[1]
    turns = [d for d in docs if d[1] == "transcript"]
    assert len({d[3] for d in turns}) == 4  # four meetings indexed, two of them on one day
    with Desk.open(at_once) as desk:
        first = transcripts.list_transcripts(desk)[0]
        hits = search_service.search(desk, first.title.split()[-1], limit=500)
        assert any(h.kind == "transcript" for h in hits)


def test_a_failed_import_leaves_the_turn_trigger_and_the_index_as_they_were(
    tmp_path, template_db, monkeypatch
):
    paths, _ = _meetings(4, tmp_path / "files")
    db = tmp_path / "register.sqlite3"
    db.write_bytes(template_db.read_bytes())
    write_turns = transcripts._insert_segments

    def fails_after_writing(*args):
        write_turns(*args)
        raise OSError("disk gone")

    with Desk.open(db) as desk:
        transcripts.import_transcript(desk, paths[0])
        before = _index(db)
        monkeypatch.setattr(transcripts, "_insert_segments", fails_after_writing)
        with pytest.raises(OSError):
            transcripts.import_transcript(desk, paths[1])
        assert _index(db) == before
        assert len(transcripts.list_transcripts(desk)) == 1
        monkeypatch.undo()
        conn = sqlite3.connect(db)
        triggers = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        conn.close()
        assert search.TURN_TRIGGER in triggers
        assert search_service.check_index(desk) == []
        transcripts.import_transcript(desk, paths[1])  # the same file, now whole
        assert search_service.check_index(desk) == []
        assert len(_index(db)[0]) > len(before[0])
    assert _triggers(db) == _triggers(template_db)  # every search trigger is there, as made


def _triggers(db) -> dict[str, str]:
    conn = sqlite3.connect(db)
    found = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    conn.close()
    return found
