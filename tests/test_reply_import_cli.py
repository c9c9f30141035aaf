"""``pcc-desk import-response``: --dry-run --json in the issue's shape, changing nothing; without
--dry-run one transaction and one undoable operation."""

from __future__ import annotations

import json

from support.letter_fixtures import SAMPLE
from support.replies import make_reply, write_reply

from pcc_desk.services import Desk, letter_import


def _register(tmp_path):
    db = tmp_path / "r.sqlite3"
    desk = Desk.open(db)
    try:
        preview = letter_import.preview(desk, SAMPLE)
        letter_import.commit(desk, preview)
        return db, [a.text for a in preview.letter.asks]
    finally:
        desk.close()


def test_dry_run_json_has_the_documented_shape_and_saves_nothing(cli, tmp_path):
    db, asks = _register(tmp_path)
    reply = make_reply(asks, seed=7, skip=(4,))
    path = write_reply(tmp_path / "reply.pdf", reply)
    out = json.loads(
        cli("import-response", str(path), "--dry-run", "--json", db=db, check_rc=0).stdout
    )
    assert set(out) == {"letter", "received", "matches", "unanswered", "unmatched_passages"}
    assert set(out["letter"]) == {"document_id", "title", "date"}
    assert out["letter"]["date"] == "2023-03-17" and out["received"] == "2023-05-12"
    first = out["matches"][0]
    assert set(first) == {"ref", "passages", "position", "confidence"}
    assert set(first["passages"][0]) == {"text", "score"}
    assert len(first["passages"]) <= 4
    scores = [p["score"] for p in first["passages"][1:]]
    assert scores == sorted(scores, reverse=True)
    # the ask left out is listed as not answered, or its best passage is at most a weak match
    skipped = [m for m in out["matches"] if m["ref"] == "PCC-2023-03-17/04"]
    assert "PCC-2023-03-17/04" in out["unanswered"] or skipped[0]["confidence"] == "low"
    assert set(out["unanswered"]) <= {"PCC-2023-03-17/04"}
    assert any("Thank you for your letter" in t for t in out["unmatched_passages"])
    listed = json.loads(cli("list", "--json", db=db, check_rc=0).stdout)
    assert all(r["status"] == "awaiting-response" for r in listed)


def test_import_then_undo_in_one_step(cli, tmp_path):
    db, asks = _register(tmp_path)
    path = write_reply(tmp_path / "reply.md", make_reply(asks, seed=8))
    done = cli("import-response", str(path), "--received", "2023-05-20", db=db, check_rc=0)
    assert "response(s) logged" in done.stdout and "20 May 2023" in done.stdout
    listed = json.loads(cli("list", "--json", db=db, check_rc=0).stdout)
    assert sum(r["status"] != "awaiting-response" for r in listed) >= 18
    again = cli("import-response", str(path), db=db, check_rc=0)
    assert "already imported on" in again.stdout and "nothing was added" in again.stdout
    cli("undo", db=db, check_rc=0)
    listed = json.loads(cli("list", "--json", db=db, check_rc=0).stdout)
    assert all(r["status"] == "awaiting-response" for r in listed)


def test_a_letter_that_is_not_in_the_register_is_one_line(cli, tmp_path):
    db, asks = _register(tmp_path)
    path = write_reply(tmp_path / "reply.md", make_reply(asks, seed=9))
    failed = cli("import-response", str(path), "--letter", "PCC-1999", db=db)
    assert failed.returncode == 2
    assert failed.stderr.count("\n") == 1 and "PCC-1999" in failed.stderr
