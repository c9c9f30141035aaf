"""Implementation dates and progress updates: a target date given in a response and revised with
reasons (kept like due-date revisions), progress updates as a kind of response, the next update due
at the Committee's cadence, the list of updates due; through the services, undo, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from pcc_desk.errors import InvalidInput
from pcc_desk.model import Assessment, Implementation, Position, ResponseKind, Status
from pcc_desk.services import Desk, follow_up, register, search, undo
from pcc_desk.services import settings as committee_settings

MADE = dt.date(2023, 3, 17)
BOTH = pytest.mark.backends("sqlite", "postgresql")
FIXTURES = Path(__file__).parent / "fixtures" / "db"


def _ask(desk, text="Publish the timescales", made=MADE):
    return register.add_recommendation(desk, text, made=made, addressee="MPS").ref


def _respond(desk, ref, received, **kw):
    values = {"position": Position.ACCEPTED, "text": "We accept."} | kw
    return register.log_response(desk, ref, received=received, **values)


@BOTH
def test_a_response_gives_the_target_date_and_revisions_keep_each_reason(desk):
    ref = _ask(desk)
    _respond(desk, ref, dt.date(2023, 5, 2), target=dt.date(2023, 12, 31))
    detail = register.get_recommendation(desk, ref)
    assert (detail.original_target, detail.target) == (dt.date(2023, 12, 31),) * 2
    assert detail.due == dt.date(2023, 5, 17)  # the response due date is apart
    (given,) = detail.target_revisions
    assert (given.old_target, given.new_target) == (None, dt.date(2023, 12, 31))
    assert given.reason == "Given in the response of 2 May 2023"
    assert given.response_id == detail.responses[0].id
    register.revise_target(desk, ref, dt.date(2024, 6, 30), "New IT system delayed")
    register.revise_target(desk, ref, dt.date(2024, 9, 30), "Procurement")
    detail = register.get_recommendation(desk, ref)
    assert (detail.original_target, detail.target) == (dt.date(2023, 12, 31), dt.date(2024, 9, 30))
    assert [(r.old_target, r.new_target, r.reason) for r in detail.target_revisions[1:]] == [
        (dt.date(2023, 12, 31), dt.date(2024, 6, 30), "New IT system delayed"),
        (dt.date(2024, 6, 30), dt.date(2024, 9, 30), "Procurement"),
    ]
    with pytest.raises(InvalidInput, match="already"):
        register.revise_target(desk, ref, dt.date(2024, 9, 30), "Same")
    with pytest.raises(InvalidInput, match="before"):
        register.revise_target(desk, ref, dt.date(2020, 1, 1), "Too early")
    with pytest.raises(InvalidInput, match="reason"):
        register.revise_target(desk, ref, dt.date(2025, 1, 1), "  ")


@BOTH
def test_undoing_a_target_revision_appends_one_back_and_redo_applies_it_again(desk):
    ref = _ask(desk)
    register.revise_target(desk, ref, dt.date(2024, 1, 31), "Given by phone")
    register.revise_target(desk, ref, dt.date(2024, 3, 31), "Slipped")
    undo.undo(desk)
    detail = register.get_recommendation(desk, ref)
    assert detail.target == dt.date(2024, 1, 31)
    assert len(detail.target_revisions) == 3  # nothing rewritten: a revision back is appended
    undo.undo(desk)  # the first target: there is none again, nor an original
    detail = register.get_recommendation(desk, ref)
    assert (detail.target, detail.original_target) == (None, None)
    undo.redo(desk)
    detail = register.get_recommendation(desk, ref)
    assert (detail.target, detail.original_target) == (dt.date(2024, 1, 31),) * 2


@BOTH
def test_undoing_a_response_takes_back_the_target_it_gave(desk):
    ref = _ask(desk)
    _respond(desk, ref, dt.date(2023, 5, 2), target=dt.date(2023, 12, 31))
    undo.undo(desk)
    detail = register.get_recommendation(desk, ref)
    assert detail.responses == () and detail.status is Status.AWAITING_RESPONSE
    assert (detail.target, detail.original_target) == (None, None)
    assert [r.reason for r in detail.target_revisions] == [
        "Given in the response of 2 May 2023",
        "Response of 2 May 2023 removed",
    ]


@BOTH
def test_a_progress_update_is_a_response_that_keeps_the_position_and_moves_the_next_update(desk):
    ref = _ask(desk)
    _respond(
        desk,
        ref,
        dt.date(2023, 5, 2),
        assessment=Assessment.PARTLY_ADDRESSED,
        implementation=Implementation.NOT_STARTED,
    )
    detail = register.get_recommendation(desk, ref)
    assert detail.status is Status.FOLLOW_UP_NEEDED
    assert detail.next_update_due == dt.date(2023, 11, 2)  # six months (the default cadence)
    update = register.log_response(
        desk,
        ref,
        received=dt.date(2023, 10, 20),
        position=None,
        text="Pilot running in two boroughs.",
        implementation=Implementation.IN_PROGRESS,
        kind=ResponseKind.PROGRESS_UPDATE,
        target=dt.date(2024, 4, 30),
    )
    assert update.kind is ResponseKind.PROGRESS_UPDATE and update.position is Position.ACCEPTED
    detail = register.get_recommendation(desk, ref)
    assert detail.status is Status.FOLLOW_UP_NEEDED  # an update leaves the status as it was
    assert [r.kind for r in detail.responses] == [ResponseKind.RESPONSE, update.kind]
    assert detail.next_update_due == dt.date(2024, 4, 20)
    assert detail.target_revisions[0].reason == "Given in the progress update of 20 October 2023"
    # the Committee asks more often: the next update comes sooner
    committee_settings.update_settings(desk, {"update_cadence_months": "3"})
    assert register.get_recommendation(desk, ref).next_update_due == dt.date(2024, 1, 20)
    with pytest.raises(InvalidInput, match="1 to 36 months"):
        committee_settings.update_settings(desk, {"update_cadence_months": "0"})
    with pytest.raises(InvalidInput, match="number of months"):
        committee_settings.update_settings(desk, {"update_cadence_months": "six"})
    # reported done: no more updates are asked for
    register.log_response(
        desk,
        ref,
        received=dt.date(2024, 1, 5),
        position=None,
        text="Rolled out everywhere.",
        implementation=Implementation.REPORTED_COMPLETE,
        kind=ResponseKind.PROGRESS_UPDATE,
    )
    assert register.get_recommendation(desk, ref).next_update_due is None
    with pytest.raises(InvalidInput, match="position"):
        register.log_response(desk, ref, received=dt.date(2024, 1, 6), position=None, text="x")


@BOTH
def test_updates_due_lists_accepted_open_asks_at_the_cadence(desk):
    today = dt.date(2024, 6, 30)
    due = _ask(desk, "Due ask")  # accepted 1 Dec 2023: update due 1 Jun 2024
    _respond(desk, due, dt.date(2023, 12, 1), target=dt.date(2024, 3, 31))
    soon = _ask(desk, "Soon ask")  # partly accepted 15 Jan 2024: due 15 Jul 2024
    _respond(desk, soon, dt.date(2024, 1, 15), position=Position.PARTLY_ACCEPTED)
    refused = _ask(desk, "Refused ask")
    _respond(desk, refused, dt.date(2023, 6, 1), position=Position.NOT_ACCEPTED)
    done = _ask(desk, "Done ask")
    _respond(desk, done, dt.date(2023, 6, 1), implementation=Implementation.REPORTED_COMPLETE)
    closed = _ask(desk, "Closed ask")
    _respond(desk, closed, dt.date(2023, 6, 1))
    register.change_status(desk, closed, Status.CLOSED_IMPLEMENTED, "Verified")
    _ask(desk, "Unanswered ask")
    rows = follow_up.updates_due(desk, today)
    assert [(u.ref, u.next_update, u.target, u.target_passed) for u in rows] == [
        (due, dt.date(2024, 6, 1), dt.date(2024, 3, 31), True)
    ]
    assert [u.ref for u in follow_up.updates_due(desk, today, within_days=15)] == [due, soon]
    assert [u.ref for u in follow_up.progress_updates(desk, today)] == [due, soon]


def test_updates_due_and_target_commands(cli, db_path, desk):
    ref = _ask(desk)
    cli(
        "respond", ref, "--received", "2023-05-02", "--position", "accepted",
        "--text", "Accepted.", "--target", "2023-12-31", db=db_path, check_rc=0,
    )  # fmt: skip
    out = cli("target", ref, "2024-03-31", "--reason", "Slipped", db=db_path, check_rc=0)
    assert out.stdout.strip() == f"{ref}: target 2023-12-31 -> 2024-03-31"
    done = cli(
        "respond", ref, "--update", "--received", "2023-11-01", "--text", "Halfway.",
        "--implementation", "in-progress", db=db_path, check_rc=0,
    )  # fmt: skip
    assert "progress update of 1 November 2023 logged" in done.stdout
    shown = json.loads(cli("show", ref, "--json", db=db_path, check_rc=0).stdout)
    assert shown["target"] == "2024-03-31" and shown["original_target"] == "2023-12-31"
    assert shown["next_update_due"] == "2024-05-01"
    assert [r["kind"] for r in shown["responses"]] == ["response", "progress-update"]
    assert [t["reason"] for t in shown["target_revisions"]] == [
        "Given in the response of 2 May 2023",
        "Slipped",
    ]
    text = cli("show", ref, db=db_path).stdout
    assert "Target date 31 December 2023 → 31 March 2024: Slipped" in text
    assert "Next progress update due: 1 May 2024" in text
    rows = json.loads(cli("updates-due", "--json", "--today", "2024-06-30", db=db_path).stdout)
    assert [(r["ref"], r["next_update"], r["target_passed"]) for r in rows] == [
        (ref, "2024-05-01", True)
    ]
    table = cli("updates-due", "--today", "2024-06-30", db=db_path, check_rc=0).stdout
    assert table.splitlines()[1].split()[:4] == [ref, "2024-05-01", "2023-11-01", "2024-03-31"]
    none = cli("updates-due", "--today", "2024-01-01", db=db_path, check_rc=0).stdout
    assert none.strip() == "No progress updates are due."
    bad = cli("respond", ref, "--received", "2024-01-02", "--text", "No position.", db=db_path)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "position" in bad.stderr


def test_a_register_at_the_previous_schema_upgrades_with_its_responses_searchable(tmp_path):
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURES / "register-0005.sqlite3", path)
    with Desk.open(path) as desk:
        rows = register.list_recommendations(desk)
        detail = register.get_recommendation(desk, rows[0].ref)
        assert [r.kind for r in detail.responses] == [ResponseKind.RESPONSE]
        assert (detail.target, detail.target_revisions) == (None, ())
        assert [h.kind for h in search.search(desk, "accept")] == ["response"]
        register.revise_target(desk, rows[0].ref, dt.date(2024, 1, 1), "Given later")
        _respond(desk, rows[1].ref, dt.date(2023, 5, 3), text="Newly logged reply")
        assert [h.ref for h in search.search(desk, "newly logged")] == [rows[1].ref]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT kind FROM responses ORDER BY received").fetchall() == [
        ("response",),
        ("response",),
    ]


@BOTH
def test_a_request_for_progress_updates_is_drafted_through_the_letter_writer(desk, tmp_path):
    from support import docx_readback as rb
    from support import follow_register

    from pcc_desk.services.letters import Selection, draft_letter, outline_letter

    today = follow_register.TODAY
    with pytest.raises(InvalidInput, match="No progress updates are due"):
        draft_letter(desk, Selection(updates_due=True), tmp_path / "none.docx", today=today)
    assert not (tmp_path / "none.docx").exists()
    refs = follow_register.build(desk)
    register.revise_target(desk, refs["A1"], dt.date(2024, 3, 31), "Given by letter")
    # A1 (accepted, in progress, last heard of on 1 March 2023) is the only update due
    result = draft_letter(desk, Selection(updates_due=True), tmp_path / "updates.docx", today=today)
    assert result.refs == (refs["A1"],)
    _doc, paras, _notes = rb.read(result.path)
    text = [p.text for p in paras]
    recap = next(i for i, t in enumerate(text) if "“Ask A1”" in t)
    assert text[recap + 1].startswith("The response from The Met of 1 March 2023 stated:")
    assert text[recap + 2] == "The date given for completing this work is 31 March 2024."
    assert text[recap + 3] == (
        "The Committee asks for an update on the progress made against this recommendation."
    )
    outline = outline_letter(desk, Selection(updates_due=True), today=today)
    assert [p.text for p in outline if p.ask] == [text[recap + 3]]
    with pytest.raises(InvalidInput, match="one way"):
        draft_letter(desk, Selection(updates_due=True, overdue=True), tmp_path / "x.docx")


def test_draft_letter_updates_due_command(cli, db_path, desk, tmp_path):
    from support import follow_register

    follow_register.build(desk)
    out = tmp_path / "request.docx"
    cli(
        "draft-letter", "--updates-due", "--out", str(out), "--today", "2024-06-30",
        db=db_path, check_rc=0,
    )  # fmt: skip
    assert out.exists()
    early = cli(
        "draft-letter", "--updates-due", "--out", str(tmp_path / "e.docx"), "--today",
        "2023-06-01", db=db_path,
    )  # fmt: skip
    assert early.returncode == 2 and "No progress updates are due" in early.stderr
