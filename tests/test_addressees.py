"""Several addressees per ask: each with its own responses, position, clock and status; the ask's
combined status; adding and taking off addressees through the one door (journalled, undoable); the
command line; the upgrade of a register whose asks had one addressee each."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from pcc_desk.errors import Conflict, InvalidInput
from pcc_desk.model import Assessment, Position, Status
from pcc_desk.services import Desk, journal, register, undo

BOTH = pytest.mark.backends("sqlite", "postgresql")
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "db"
MADE = dt.date(2024, 1, 10)
POOL = ["the Met", "MOPAC", "the Mayor", "the Commissioner", "the Home Office", "City Hall"]


def _names(seed: int) -> list[str]:
    rng = random.Random(seed)
    return rng.sample(POOL, rng.randint(2, 4))


def _respond(desk, ref, who, *, position=Position.ACCEPTED, days=20, **kw):
    return register.log_response(
        desk,
        ref,
        received=MADE + dt.timedelta(days=days),
        position=position,
        text=f"Reply from {who or 'someone'}",
        addressee=who,
        **kw,
    )


def _ops(desk):
    with desk.reading() as session:
        return journal.entries_after(session)


def _by_name(detail):
    return {a.name: a for a in detail.addressees}


@BOTH
@pytest.mark.parametrize("seed", range(3))
def test_each_addressee_answers_for_itself_and_the_ask_is_open_until_all_have(desk, seed):
    names = _names(seed)
    ref = register.add_recommendation(desk, "Publish the data", addressees=names, made=MADE).ref
    detail = register.get_recommendation(desk, ref)
    assert [a.name for a in detail.addressees] == names
    assert detail.addressee == "; ".join(names)
    assert all(a.status is Status.AWAITING_RESPONSE for a in detail.addressees)
    with pytest.raises(InvalidInput) as refused:  # which of them answered?
        _respond(desk, ref, None)
    assert all(n in str(refused.value) for n in names) and "\n" not in str(refused.value)
    with pytest.raises(InvalidInput, match="not one of them"):
        _respond(desk, ref, "Someone Else")
    assert register.get_recommendation(desk, ref).responses == ()
    for i, name in enumerate(names):
        position = Position.NOT_ACCEPTED if i == 0 else Position.ACCEPTED
        _respond(desk, ref, name.upper(), position=position, days=10 + i)  # any case
        detail = register.get_recommendation(desk, ref)
        rows = _by_name(detail)
        answered, waiting = names[: i + 1], names[i + 1 :]
        assert [rows[n].status for n in answered] == [Status.RESPONSE_RECEIVED] * len(answered)
        assert all(rows[n].status is Status.AWAITING_RESPONSE for n in waiting)
        assert [r.addressee for r in rows[name].responses] == [name]
        assert rows[name].position is position
        # the combined status: the least advanced addressee's
        want = Status.AWAITING_RESPONSE if waiting else Status.RESPONSE_RECEIVED
        assert detail.status is want
    assert len(detail.responses) == len(names)
    # a status given to the ask is every addressee's; closed only when all are
    register.change_status(desk, ref, Status.CLOSED_IMPLEMENTED, "All done")
    detail = register.get_recommendation(desk, ref)
    assert {a.status for a in detail.addressees} == {Status.CLOSED_IMPLEMENTED}


@BOTH
def test_a_one_addressee_ask_takes_responses_as_before(desk):
    ref = register.add_recommendation(desk, "Ask", addressee="The Met", made=MADE).ref
    _respond(desk, ref, None, assessment=Assessment.NOT_ADDRESSED, from_whom="Sir Mark Rowley")
    detail = register.get_recommendation(desk, ref)
    (only,) = detail.addressees
    assert (only.name, only.status, detail.status) == (
        "The Met",
        Status.FOLLOW_UP_NEEDED,
        Status.FOLLOW_UP_NEEDED,
    )
    assert detail.responses[0].from_whom == "Sir Mark Rowley"
    assert detail.responses[0].addressee == "The Met"
    register.revise_due(desk, ref, dt.date(2024, 6, 1), "Extension")
    assert register.get_recommendation(desk, ref).addressees[0].due == dt.date(2024, 6, 1)


@BOTH
def test_a_response_taken_out_gives_its_addressee_its_status_back(desk):
    ref = register.add_recommendation(desk, "Ask", addressees=["the Met", "MOPAC"], made=MADE).ref
    met = _respond(desk, ref, "the Met", target=dt.date(2024, 12, 31))
    mopac = _respond(desk, ref, "MOPAC", assessment=Assessment.PARTLY_ADDRESSED)
    detail = register.get_recommendation(desk, ref)
    rows = _by_name(detail)
    assert (rows["the Met"].target, rows["MOPAC"].target) == (dt.date(2024, 12, 31), None)
    assert rows["MOPAC"].status is Status.FOLLOW_UP_NEEDED
    assert detail.status is Status.FOLLOW_UP_NEEDED  # before response-received in the order
    register.remove_response(desk, mopac.id)
    detail = register.get_recommendation(desk, ref)
    assert _by_name(detail)["MOPAC"].status is Status.AWAITING_RESPONSE
    assert detail.status is Status.AWAITING_RESPONSE
    assert detail.history[-1].to_status is Status.AWAITING_RESPONSE
    register.remove_response(desk, met.id)
    rows = _by_name(register.get_recommendation(desk, ref))
    assert {r.status for r in rows.values()} == {Status.AWAITING_RESPONSE}


@BOTH
def test_adding_and_taking_off_addressees_is_journalled_and_undone(desk):
    ref = register.add_recommendation(desk, "Ask", addressee="the Met", made=MADE).ref
    _respond(desk, ref, None)
    assert register.get_recommendation(desk, ref).status is Status.RESPONSE_RECEIVED
    before = len(_ops(desk))
    register.add_addressee(desk, ref, "MOPAC")
    detail = register.get_recommendation(desk, ref)
    assert [a.name for a in detail.addressees] == ["the Met", "MOPAC"]
    assert detail.addressee == "the Met; MOPAC"
    assert detail.status is Status.AWAITING_RESPONSE  # MOPAC has not answered
    assert "MOPAC added" in detail.history[-1].note
    assert len(_ops(desk)) == before + 1
    with pytest.raises(InvalidInput, match="already addressed"):
        register.add_addressee(desk, ref, "mopac")
    with pytest.raises(Conflict) as refused:  # the Met has a response
        register.remove_addressee(desk, ref, "the Met")
    assert "\n" not in str(refused.value) and "take them out first" in str(refused.value)
    register.remove_addressee(desk, ref, "MOPAC")
    detail = register.get_recommendation(desk, ref)
    assert [a.name for a in detail.addressees] == ["the Met"]
    assert detail.status is Status.RESPONSE_RECEIVED
    (outcome,) = undo.undo(desk)  # MOPAC back, with its clock and status
    assert "MOPAC" in outcome.message
    detail = register.get_recommendation(desk, ref)
    assert [(a.name, a.status) for a in detail.addressees] == [
        ("the Met", Status.RESPONSE_RECEIVED),
        ("MOPAC", Status.AWAITING_RESPONSE),
    ]
    assert detail.status is Status.AWAITING_RESPONSE
    undo.redo(desk)
    assert [a.name for a in register.get_recommendation(desk, ref).addressees] == ["the Met"]
    lone = register.add_recommendation(desk, "Other", addressee="the Met", made=MADE).ref
    with pytest.raises(InvalidInput, match="only addressee"):
        register.remove_addressee(desk, lone, "the Met")


@BOTH
def test_an_ask_without_an_addressee_is_named_by_the_first_one_added(desk):
    ref = register.add_recommendation(desk, "Ask", made=MADE).ref
    (unnamed,) = register.get_recommendation(desk, ref).addressees
    assert unnamed.name == ""
    register.add_addressee(desk, ref, "the Mayor")
    (named,) = register.get_recommendation(desk, ref).addressees
    assert (named.id, named.name) == (unnamed.id, "the Mayor")
    undo.undo(desk)
    detail = register.get_recommendation(desk, ref)
    assert [a.name for a in detail.addressees] == [""] and detail.addressee == ""


@BOTH
def test_undoing_an_added_addressee_that_has_answered_is_refused(desk):
    ref = register.add_recommendation(desk, "Ask", addressee="the Met", made=MADE).ref
    register.add_addressee(desk, ref, "MOPAC")
    _respond(desk, ref, "MOPAC")
    ops = _ops(desk)
    added = next(o for o in ops if o.kind.value == "add-addressee")
    with pytest.raises(Conflict) as refused:
        undo.undo(desk, [added.id])
    assert "\n" not in str(refused.value)
    assert len(register.get_recommendation(desk, ref).addressees) == 2


def test_the_command_line_adds_answers_and_shows_each_addressee(cli, db_path):
    ref = cli(
        "add",
        "--text",
        "Publish it",
        "--addressee",
        "the Met",
        "--addressee",
        "MOPAC",
        "--made",
        "2024-01-10",
        db=db_path,
        check_rc=0,
    ).stdout.strip()
    reply = ("respond", ref, "--received", "2024-02-01", "--position", "accepted", "--text", "Yes")
    bad = cli(*reply, db=db_path)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert "the Met, MOPAC" in bad.stderr
    cli(
        *reply,
        "--from",
        "mopac",
        "--target",
        "2024-09-30",
        db=db_path,
        check_rc=0,
    )
    cli("addressees", ref, "--add", "the Mayor", db=db_path, check_rc=0)
    refused = cli("addressees", ref, "--remove", "MOPAC", db=db_path)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    shown = json.loads(cli("show", ref, "--json", db=db_path, check_rc=0).stdout)
    assert shown["status"] == "awaiting-response"
    rows = {a["name"]: a for a in shown["addressees"]}
    assert list(rows) == ["the Met", "MOPAC", "the Mayor"]
    mopac = rows["MOPAC"]
    assert (mopac["status"], mopac["position"], mopac["target"], mopac["due"]) == (
        "response-received",
        "accepted",
        "2024-09-30",
        "2024-03-10",
    )
    assert mopac["next_update_due"] == "2024-08-01"
    assert [r["text"] for r in mopac["responses"]] == ["Yes"]
    assert rows["the Met"]["responses"] == [] and rows["the Met"]["next_update_due"] is None
    listed = cli("addressees", ref, db=db_path, check_rc=0).stdout
    assert "MOPAC: Response received" in listed and "the Mayor: Awaiting response" in listed
    cli("addressees", ref, "--remove", "the Mayor", db=db_path, check_rc=0)
    again = json.loads(cli("addressees", ref, "--json", db=db_path, check_rc=0).stdout)
    assert [a["name"] for a in again] == ["the Met", "MOPAC"]


def test_a_register_of_one_addressee_asks_upgrades_with_each_asks_clock_and_status(tmp_path):
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURES / "register-0010.sqlite3", path)
    old = sqlite3.connect(path)
    before = old.execute(
        "SELECT id, addressee, due, original_due, target, status FROM recommendations"
    ).fetchall()
    answered = old.execute("SELECT recommendation_id FROM responses").fetchall()
    old.close()
    assert before and answered
    with Desk.open(path) as desk:
        for rec in register.list_recommendations(desk):
            detail = register.get_recommendation(desk, rec.ref)
            (only,) = detail.addressees
            assert (only.name, only.due, only.original_due, only.target, only.status) == (
                detail.addressee,
                detail.due,
                detail.original_due,
                detail.target,
                detail.status,
            )
            assert [r.id for r in only.responses] == [r.id for r in detail.responses]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM responses WHERE addressee_id IS NULL").fetchone() == (
        0,
    )
    assert conn.execute("SELECT count(*) FROM addressees").fetchone() == (len(before),)


@BOTH
@pytest.mark.parametrize("seed", range(2))
def test_statistics_by_addressee_count_each_addressee_for_itself(desk, seed):
    from pcc_desk.services import statistics

    first, second = random.Random(seed).sample(POOL, 2)
    made = dt.date(2024, 1, 1)  # due 1 March 2024
    both = register.add_recommendation(desk, "Both", addressees=[first, second], made=made).ref
    register.add_recommendation(desk, "One", addressee=first, made=made)
    register.log_response(
        desk,
        both,
        received=dt.date(2024, 2, 1),
        position=Position.ACCEPTED,
        text="Yes",
        addressee=first,
    )
    register.log_response(
        desk,
        both,
        received=dt.date(2024, 4, 1),
        position=Position.NOT_ACCEPTED,
        text="No",
        addressee=second,
    )
    stats = statistics.compute(desk, by="addressee", today=dt.date(2024, 6, 1))
    groups = {g.group: g for g in stats.groups}
    assert set(groups) == {first, second}
    a, b = groups[first], groups[second]
    # the first: two asks, one answered in 31 days (on time), the other overdue
    assert (a.asks, a.answered, a.deadline_passed, a.answered_on_time, a.overdue) == (2, 1, 2, 1, 1)
    assert (a.median_days_to_respond, a.accepted, a.not_accepted) == (31.0, 1, 0)
    # the second: one ask, answered late (1 January to 1 April 2024: 91 days), not accepted
    assert (b.asks, b.answered, b.answered_on_time, b.overdue) == (1, 1, 0, 0)
    assert (b.median_days_to_respond, b.not_accepted) == (91.0, 1)
    assert stats.total.asks == 2  # each ask once in the total


@BOTH
@pytest.mark.parametrize("seed", range(2))
def test_updates_due_calendar_and_tracker_paper_have_a_row_for_each_addressee(desk, tmp_path, seed):
    import icalendar

    from pcc_desk.services import calendar_export, follow_up, tracker_paper

    first, second, third = random.Random(seed).sample(POOL, 3)
    made = dt.date(2024, 1, 1)
    ref = register.add_recommendation(
        desk, "Three ways", addressees=[first, second, third], made=made
    ).ref
    # the first accepts (an update due 6 months on, target passed by the meeting); the second
    # answers, not accepting; the third is silent (response due 1 March 2024)
    register.log_response(
        desk,
        ref,
        received=dt.date(2024, 2, 1),
        position=Position.ACCEPTED,
        text="Yes",
        addressee=first,
        target=dt.date(2024, 5, 31),
    )
    register.log_response(
        desk,
        ref,
        received=dt.date(2024, 2, 2),
        position=Position.NOT_ACCEPTED,
        text="No",
        addressee=second,
    )
    updates = follow_up.updates_due(desk, today=dt.date(2024, 9, 1))
    assert [(u.ref, u.addressee, u.next_update) for u in updates] == [
        (ref, first, dt.date(2024, 8, 1))
    ]
    assert updates[0].target_passed
    events = calendar_export.calendar_events(desk)
    assert sorted((e.kind, e.day) for e in events) == sorted(
        [
            (calendar_export.RESPONSE_DUE, dt.date(2024, 3, 1)),
            (calendar_export.TARGET, dt.date(2024, 5, 31)),
            (calendar_export.NEXT_UPDATE, dt.date(2024, 8, 1)),
        ]
    )
    by_kind = {e.kind: e for e in events}
    assert by_kind[calendar_export.RESPONSE_DUE].summary.endswith(f"({third})")
    assert by_kind[calendar_export.TARGET].summary.endswith(f"({first})")
    out = calendar_export.export_calendar(desk, tmp_path / "dates.ics").path
    uids = [str(c["UID"]) for c in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")]
    assert len(uids) == len(set(uids)) == 3
    paper = tracker_paper.paper_for(desk, dt.date(2024, 7, 10))
    (group,) = paper.groups
    rows = {r.addressee: r for r in group.rows}
    assert set(rows) == {first, second, third}
    assert (rows[first].rag, rows[first].rag_note) == ("Red", "target date passed")
    assert (rows[second].rag, rows[second].position) == ("Red", "Not accepted")
    assert (rows[third].rag, rows[third].rag_note) == ("Red", "response overdue")
    assert "overdue" in rows[third].age and "overdue" not in rows[first].age
    assert paper.close == ()


# (how the ask names its addressees, the names the register gives them)
NAMINGS = [
    ("the Met and MOPAC should", ("the Met", "MOPAC")),
    ("The Mayor and the Commissioner must", ("the Mayor", "the Commissioner")),
    (
        "the Metropolitan Police Service, MOPAC and the Home Office should",
        (
            "the Met",
            "MOPAC",
            "the Home Office",
        ),
    ),
    ("the MPS & the Mayor's Office for Policing and Crime need to", ("the Met", "MOPAC")),
    ("in future, the IOPC and the Met should jointly", ("the IOPC", "the Met")),
]
SINGLE = ["the Met should", "the Met and its partners should", "MOPAC should work with the Met to"]


@pytest.mark.parametrize("seed", range(3))
def test_a_letter_naming_several_addressees_suggests_them_and_the_import_records_them(
    cli, db_path, tmp_path, seed
):
    from support.undo_samples import WORDS, write_letter

    rng = random.Random(seed)
    several = rng.sample(NAMINGS, 3)
    singles = rng.sample(SINGLE, 2)
    asks = [f"{lead} {' '.join(rng.sample(WORDS, 4))}" for lead, _ in several] + [
        f"{lead} {' '.join(rng.sample(WORDS, 4))}" for lead in singles
    ]
    rng.shuffle(asks)
    letter = write_letter(tmp_path, f"joint-{seed}.md", dt.date(2024, 3, 1), [("Joint work", asks)])
    shown = json.loads(
        cli("import-letter", str(letter), "--dry-run", "--json", db=db_path, check_rc=0).stdout
    )
    by_lead = {lead: list(names) for lead, names in several}
    for entry in shown["recommendations"]:
        lead = next((k for k in by_lead if entry["text"].startswith(k)), None)
        assert entry["addressees"] == (by_lead[lead] if lead else []), entry["text"]
    assert len(shown["recommendations"]) == len(asks)
    cli("import-letter", str(letter), db=db_path, check_rc=0)
    with Desk.open(db_path) as desk:
        for rec in register.list_recommendations(desk):
            detail = register.get_recommendation(desk, rec.ref)
            lead = next((k for k in by_lead if detail.text.startswith(k)), None)
            names = [a.name for a in detail.addressees]
            if lead:
                assert names == by_lead[lead] and detail.addressee == "; ".join(by_lead[lead])
            else:  # the letter's recipient, as before
                assert names == [detail.addressee] and detail.addressee


@pytest.mark.parametrize("seed", [21, 22])
def test_a_reply_to_a_joint_ask_is_its_senders_when_the_sender_names_one_addressee(
    desk, tmp_path, seed
):
    from support.letter_fixtures import SAMPLE
    from support.replies import make_reply, write_reply

    from pcc_desk.services import letter_import, reply_import

    letter_import.commit(desk, letter_import.preview(desk, SAMPLE))
    asks = [r.text for r in register.list_recommendations(desk)]
    path = write_reply(tmp_path / "reply.md", make_reply(asks, seed=seed))
    preview = reply_import.preview(desk, path)
    answered = [s.ref for s in preview.suggestions if s.chosen is not None]
    joint = answered[0]
    recipient = register.get_recommendation(desk, joint).addressee  # the letter's: Sir Mark Rowley
    register.add_addressee(desk, joint, "MOPAC")
    assert preview.sender.startswith(recipient)  # "Sir Mark Rowley QPM"
    reply_import.commit(desk, reply_import.preview(desk, path), today=dt.date(2024, 1, 1))
    rows = _by_name(register.get_recommendation(desk, joint))
    assert len(rows[recipient].responses) == 1 and rows["MOPAC"].responses == ()
    assert rows[recipient].status is not Status.AWAITING_RESPONSE
    assert rows["MOPAC"].status is Status.AWAITING_RESPONSE


@BOTH
@pytest.mark.parametrize("seed", range(2))
def test_one_addressees_due_date_is_revised_alone_and_undone(desk, seed):
    names = _names(seed)
    ref = register.add_recommendation(desk, "Ask", addressees=names, made=MADE).ref
    due = register.get_recommendation(desk, ref).due  # 10 March 2024
    later = due + dt.timedelta(days=30 + seed)
    rev = register.revise_due(desk, ref, later, "Asked for more time", addressee=names[-1].upper())
    assert (rev.old_due, rev.new_due) == (due, later)
    assert rev.reason == f"{names[-1]}: Asked for more time"
    detail = register.get_recommendation(desk, ref)
    rows = _by_name(detail)
    assert rows[names[-1]].due == later and rows[names[-1]].original_due == due
    assert all(rows[n].due == due for n in names[:-1])
    assert detail.due == due  # the others are still due then
    for name in names[:-1]:  # the others answer: the ask is due when the last one awaited is
        _respond(desk, ref, name)
    register.revise_due(desk, ref, later + dt.timedelta(days=1), "Again", addressee=names[-1])
    assert register.get_recommendation(desk, ref).due == later + dt.timedelta(days=1)
    undo.undo(desk)
    detail = register.get_recommendation(desk, ref)
    assert _by_name(detail)[names[-1]].due == later and detail.due == later
    with pytest.raises(InvalidInput, match="not addressed to"):
        register.revise_due(desk, ref, later, "Why", addressee="Nobody")


def test_the_command_line_revises_one_addressees_due_date(cli, db_path):
    ref = cli(
        "add", "--text", "Ask", "--addressee", "the Met", "--addressee", "MOPAC",
        "--made", "2024-01-10", db=db_path, check_rc=0,
    ).stdout.strip()  # fmt: skip
    cli("due", ref, "2024-04-30", "--reason", "Extension", "--addressee", "mopac", db=db_path,
        check_rc=0)  # fmt: skip
    rows = {
        a["name"]: a
        for a in json.loads(cli("show", ref, "--json", db=db_path, check_rc=0).stdout)["addressees"]
    }
    assert (rows["MOPAC"]["due"], rows["the Met"]["due"]) == ("2024-04-30", "2024-03-10")


@BOTH
def test_undoing_a_status_given_to_the_whole_ask_gives_each_addressee_its_own_back(desk):
    from pcc_desk.services import tracker_paper

    names = ["the Met", "MOPAC", "the Mayor"]
    ref = register.add_recommendation(desk, "Ask", addressees=names, made=MADE).ref
    _respond(desk, ref, "the Met")
    _respond(desk, ref, "MOPAC", assessment=Assessment.NOT_ADDRESSED)
    before = [(a.name, a.status) for a in register.get_recommendation(desk, ref).addressees]
    assert [s for _n, s in before] == [
        Status.RESPONSE_RECEIVED,
        Status.FOLLOW_UP_NEEDED,
        Status.AWAITING_RESPONSE,
    ]
    register.change_status(desk, ref, Status.SUPERSEDED, "Overtaken")
    rows = register.get_recommendation(desk, ref).addressees
    assert {a.status for a in rows} == {Status.SUPERSEDED}
    undo.undo(desk)
    detail = register.get_recommendation(desk, ref)
    assert [(a.name, a.status) for a in detail.addressees] == before
    assert detail.status is Status.AWAITING_RESPONSE
    tracker_paper.close(desk, [ref], dt.date(2024, 7, 10), "7")  # the Committee closes it
    assert {a.status.is_open for a in register.get_recommendation(desk, ref).addressees} == {False}
    undo.undo(desk)
    assert [(a.name, a.status) for a in register.get_recommendation(desk, ref).addressees] == before
