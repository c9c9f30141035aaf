"""A laptop copy without old transcripts (`pcc-desk team checkout URL FILE
--without-transcripts-older-than N`), on a real PostgreSQL: the copy lacks exactly the old transcripts
no quote comes from (with their turns, documents and stored files) and keeps a quoted old one; the
clerk is told; search on the laptop does not find them; sync both ways still works afterwards,
including a colleague quoting and deleting left-out transcripts at the office; the laptop's checks
pass."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select
from support import sync_support
from support.register_dump import busy_register
from support.transcript_samples import write_meeting_txt

from pcc_desk import storage
from pcc_desk.model import Document, Quote, Segment, StoredFile, Transcript
from pcc_desk.services import Desk, quotes, register, search, sync, transcripts
from pcc_desk.vocabulary import Status

pytestmark = pytest.mark.backends("postgresql")

TODAY = dt.date.today()


def _transcript(desk, folder, name: str, date: dt.date, word: str):
    """A transcript of a meeting on ``date`` whose turns say ``word`` (a word no other file has)."""
    return transcripts.import_transcript(
        desk, write_meeting_txt(folder, name, date, word)
    ).transcript


def _ids(db, model) -> set[str]:
    with Desk.open(db) as desk, desk.reading() as session:
        return {str(i) for i in session.scalars(select(model.__table__.primary_key.columns[0]))}


def _without(dump: dict, ids: set[str]) -> dict:
    """``dump`` without the rows whose id (or sha256) is in ``ids``, nor those pointing at one."""
    plain = {i.replace("-", "") for i in ids}
    return {
        name: [row for row in rows if not any(str(v).replace("-", "") in plain for _k, v in row)]
        for name, rows in dump.items()
    }


@pytest.fixture
def team(pg_register, tmp_path):
    """A team register with a quoted transcript of 2022 (the busy register's), two old unquoted
    ones, an old one quoted, and a recent one."""
    folder = tmp_path / "server-files"
    with Desk.open(pg_register) as desk:
        busy_register(desk, folder, 1)
        old = [
            _transcript(
                desk, folder, f"old-{n}", TODAY.replace(year=TODAY.year - 8 - n), f"w{n}ord"
            )
            for n in range(2)
        ]
        quoted = _transcript(desk, folder, "quoted", TODAY.replace(year=TODAY.year - 9), "quoted")
        ref = register.list_recommendations(desk)[0].ref
        quotes.create_quote(desk, quoted.id, "We will report on quoted", refs=[ref])
        recent = _transcript(desk, folder, "recent", TODAY.replace(year=TODAY.year - 1), "recent")
    return pg_register, old, quoted, recent


def test_a_copy_without_old_transcripts_syncs_both_ways(team, tmp_path, cli):
    url, old, quoted, recent = team
    laptop = tmp_path / "laptop.sqlite3"
    refused = cli("team", "checkout", url, str(laptop), "--without-transcripts-older-than", "0")
    assert refused.returncode == 2 and "Give 1 or more" in refused.stderr
    assert not laptop.exists()
    out = cli(
        "team", "checkout", url, str(laptop), "--without-transcripts-older-than", "3", "--json"
    )
    assert out.returncode == 0, out.stderr
    assert "2 transcripts older than 3 years left out" in json.loads(out.stdout)["message"]

    # exactly the old unquoted transcripts are left out, with their turns, documents and files
    gone = {str(t.id) for t in old}
    assert _ids(url, Transcript) - _ids(laptop, Transcript) == gone
    assert str(quoted.id) in _ids(laptop, Transcript) and str(recent.id) in _ids(laptop, Transcript)
    with Desk.open(url) as server, server.reading() as session:
        turns = {
            str(i)
            for i in session.scalars(
                select(Segment.id).where(Segment.transcript_id.in_([t.id for t in old]))
            )
        }
        docs = {
            str(t.document_id)
            for t in session.scalars(
                select(Transcript).where(Transcript.id.in_([t.id for t in old]))
            )
        }
        files = {
            str(s) for s in session.scalars(select(Document.sha256).where(Document.id.in_(docs)))
        }
    assert turns and _ids(url, Segment) - _ids(laptop, Segment) == turns
    assert _ids(url, Document) - _ids(laptop, Document) == docs
    assert _ids(url, StoredFile) - _ids(laptop, StoredFile) == files
    left = gone | turns | docs | files
    assert sync_support.dump(laptop) == _without(sync_support.dump(url), left)
    with Desk.open(laptop) as desk:
        assert search.search(desk, "w0ord") == [] and search.search(desk, "w1ord") == []
        assert search.search(desk, "recent") != []
        assert search.check_index(desk) == []
    assert storage.thorough_check(laptop) == []

    # a day's work on both sides; at the office a colleague quotes one left-out transcript (then
    # deletes that quote) and deletes the other
    with Desk.open(laptop) as desk:
        mine = register.add_recommendation(desk, "Offline ask", theme="Trust", made=TODAY).ref
        register.change_status(desk, mine, Status.CLOSED_NOT_ACCEPTED, "Done")
    with Desk.open(url) as server:
        theirs = register.add_recommendation(server, "Office ask", theme="T", made=TODAY).ref
        ref = register.list_recommendations(server)[1].ref
        quote = quotes.create_quote(server, old[0].id, "We will report on w0ord", refs=[ref])
        quotes.delete_quote(server, quote.id, force=True)
        quotes.create_quote(server, old[0].id, "We turn to w0ord", refs=[ref])
        transcripts.delete_transcript(server, old[1].id)
    with Desk.open(laptop) as desk:
        done = sync.sync(desk)
        assert done.pushed == 2 and done.refused == ()
        refs = {r.ref for r in register.list_recommendations(desk)}
        assert theirs in refs
        assert sync.pending_count(desk) == 0
        assert sync.sync(desk).pulled == 0  # nothing left over
    with Desk.open(url) as server:
        refs = {r.ref for r in register.list_recommendations(server)}
        assert any(r.text == "Offline ask" for r in register.list_recommendations(server))
    # the laptop sent no deletion of what it left out; the colleague's changes are on the server
    assert str(old[0].id) in _ids(url, Transcript) and str(old[1].id) not in _ids(url, Transcript)
    with Desk.open(url) as server, server.reading() as session:
        office_quotes = {
            str(q.id)
            for q in session.scalars(select(Quote).where(Quote.transcript_id == old[0].id))
        }
    assert len(office_quotes) == 1
    assert not office_quotes & _ids(laptop, Quote)
    # apart from what is left out (and the quote on a left-out transcript), the same records
    ignore = left | office_quotes
    assert sync_support.records(laptop) == _without(sync_support.records(url), ignore)
    assert storage.thorough_check(laptop) == []
    with Desk.open(laptop) as desk:
        assert search.check_index(desk) == []
