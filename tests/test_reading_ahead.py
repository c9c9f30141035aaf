"""A folder's transcripts read ahead in a child process (pcc_desk.importers.reading_ahead): the same
turns as reading each file in turn, the same refusals, a child that stops or is slow never loses or
holds up a file, and a cancel is taken at once. Real files, a real child process (spawned)."""

from __future__ import annotations

import datetime as dt
import functools
import time

import pytest
from sqlalchemy import select
from support.batch_folders import transcript_docx, transcript_txt
from support.slow_reading import read_slowly_in_the_child, waiting_for_the_child

from pcc_desk.errors import Cancelled, ImportRejected
from pcc_desk.importers import reading_ahead
from pcc_desk.importers.reading_ahead import ReadingAhead
from pcc_desk.importers.transcript import parse_transcript
from pcc_desk.model import Segment, Transcript
from pcc_desk.services import Desk, batch_import
from pcc_desk.services.batch_import import CancelToken, Outcome

READ = functools.partial(parse_transcript, committee="Police and Crime Committee")


def _folder(root, n, *, kinds=("docx", "txt")):
    root.mkdir()
    paths = []
    for k in range(n):
        day = dt.date(2022, 1 + k % 12, 1 + k)
        path = root / f"meeting-{k:02d}.{kinds[k % len(kinds)]}"
        if path.suffix == ".docx":
            transcript_docx(path, day, f"Topic {k}", 4 + k)
        else:
            path.write_text(transcript_txt(day, f"Topic {k}", 4 + k), encoding="utf-8")
        paths.append(path)
    return paths


def test_files_read_by_the_child_are_those_read_in_turn(tmp_path):
    paths = _folder(tmp_path / "meetings", 6)
    with ReadingAhead(READ, paths) as ahead:
        assert ahead.wait_ready(60)
        taken = [ahead.take(path) for path in paths]
        assert ahead.read_by_child == 5  # all but the first (asked for while the first was taken)
    assert taken == [READ(path) for path in paths]
    assert [len(t.segments) for t in taken] == [4 + k for k in range(6)]
    assert ahead.exitcode == 0  # told to end, it ended


def test_a_file_the_child_cannot_read_is_refused_in_the_same_words(tmp_path):
    paths = _folder(tmp_path / "meetings", 4)
    paths[2].write_bytes(b"PK\x03\x04 not really a Word file" * 40)
    with pytest.raises(ImportRejected) as in_turn:
        READ(paths[2])
    with ReadingAhead(READ, paths) as ahead:
        assert ahead.wait_ready(60)
        assert ahead.take(paths[0]) == READ(paths[0])
        assert ahead.take(paths[1]) == READ(paths[1])
        with pytest.raises(ImportRejected) as ahead_error:
            ahead.take(paths[2])
        assert ahead.take(paths[3]) == READ(paths[3])
        assert ahead.read_by_child == 2  # the second and the fourth; the third was read here
    assert str(ahead_error.value) == str(in_turn.value)


def test_a_child_that_stops_loses_no_file(tmp_path):
    paths = _folder(tmp_path / "meetings", 6)
    with ReadingAhead(READ, paths) as ahead:
        assert ahead.wait_ready(60)
        first = ahead.take(paths[0])
        ahead._process.kill()  # (the system ends it, say, for memory)
        ahead._process.join(10)
        rest = [ahead.take(path) for path in paths[1:]]
    assert [first, *rest] == [READ(path) for path in paths]


def test_files_the_caller_keeps_and_a_short_folder_are_read_here(tmp_path):
    paths = _folder(tmp_path / "meetings", 6)
    keep = {paths[1], paths[2]}  # (a PDF: read in a sandbox process of its own)
    with ReadingAhead(READ, paths, for_child=lambda path: path not in keep) as ahead:
        assert ahead.wait_ready(60)
        taken = [ahead.take(path) for path in paths]
        assert ahead.read_by_child == 3  # the fourth to sixth
    assert taken == [READ(path) for path in paths]
    with ReadingAhead(READ, paths[:2]) as two:  # too few for a child to be worth starting
        assert not two.wait_ready(0.5)
        assert [two.take(path) for path in paths[:2]] == [READ(path) for path in paths[:2]]
        assert two.read_by_child == 0


def test_a_cancel_is_taken_while_a_file_is_awaited_from_the_child(tmp_path):
    paths = [tmp_path / f"file-{n}.txt" for n in range(4)]
    for path in paths:
        path.write_text(path.stem, encoding="utf-8")
    cancelled = []
    ahead = ReadingAhead(read_slowly_in_the_child, paths, cancelled=lambda: bool(cancelled))
    try:
        assert ahead.wait_ready(60)
        assert ahead.take(paths[0]) == "file-0"  # read here; the child sleeps on the second
        cancelled.append(True)
        started = time.monotonic()
        with pytest.raises(Cancelled):
            ahead.take(paths[1])
        assert time.monotonic() - started < 30  # at once, not when the child is done
    finally:
        ahead.close()
    assert ahead.exitcode is not None and ahead.exitcode < 0  # ended (killed) though it was reading


def test_a_folder_import_reads_ahead_and_writes_what_an_import_in_turn_writes(
    tmp_path, template_db, monkeypatch
):
    paths = _folder(tmp_path / "meetings", 7)
    paths[3].write_bytes(b"\x00\x01 not a transcript \xff" * 30)
    used = waiting_for_the_child(monkeypatch)

    def contents(db):
        with Desk.open(db) as desk:
            batch = batch_import.import_transcripts(desk, [paths[0].parent])
            with desk.reading() as session:
                rows = session.execute(
                    select(
                        Transcript.title,
                        Transcript.meeting_date,
                        Segment.ordinal,
                        Segment.speaker_name,
                        Segment.text,
                    )
                    .join(Segment, Segment.transcript_id == Transcript.id)
                    .order_by(Transcript.meeting_date, Segment.ordinal)
                ).all()
        return [(r.outcome, r.reason) for r in batch.results], rows

    ahead_db, turn_db = tmp_path / "ahead.sqlite3", tmp_path / "turn.sqlite3"
    for db in (ahead_db, turn_db):
        db.write_bytes(template_db.read_bytes())
    ahead_results, ahead_rows = contents(ahead_db)
    assert used and used[0].read_by_child == 5  # all but the first, and the one it could not read
    monkeypatch.setattr(reading_ahead, "AT_LEAST", 100)  # no child: one file after the other
    monkeypatch.setattr(batch_import, "ReadingAhead", ReadingAhead)
    turn_results, turn_rows = contents(turn_db)
    assert ahead_results == turn_results
    assert [outcome for outcome, _ in ahead_results] == [Outcome.IMPORTED] * 3 + [
        Outcome.REFUSED
    ] + [Outcome.IMPORTED] * 3
    assert ahead_rows == turn_rows and len(ahead_rows) == sum(4 + k for k in range(7) if k != 3)


def test_cancelling_a_folder_import_ends_the_reading_and_keeps_the_files_saved(
    tmp_path, desk, monkeypatch
):
    paths = _folder(tmp_path / "meetings", 6)
    children = waiting_for_the_child(monkeypatch)
    token = CancelToken()

    def progress(done, total):
        if done == 2:
            token.cancel()  # the clerk presses Cancel while the third file is written

    batch = batch_import.import_transcripts(
        desk, [paths[0].parent], progress=progress, cancel=token
    )
    assert [r.outcome for r in batch.results] == [Outcome.IMPORTED] * 3 + [Outcome.CANCELLED] * 3
    assert children and children[0].exitcode is not None  # ended with the import
