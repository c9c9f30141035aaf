"""More merging rules of a sync, on a real PostgreSQL with real laptop files: due-date revisions made
on both sides are both kept and the due date is the latest of the merged history; the Committee's
details merge detail by detail, a detail both sides changed differently being a conflict like a
field's; the conflict check is made in the transaction that applies the change, so a colleague's
write cannot slip in between."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import threading

import pytest
from support.register_dump import busy_register
from support.sync_support import records
from support.undo_samples import WORDS

from pcc_desk.services import Desk, offline, quotes, register, settings, sync, undo
from pcc_desk.vocabulary import Assessment, Position, Status

pytestmark = pytest.mark.backends("postgresql")


@pytest.fixture
def team(pg_register, tmp_path):
    with Desk.open(pg_register) as desk:
        busy_register(desk, tmp_path / "server-files", 2)
    laptop = tmp_path / "laptop.sqlite3"
    sync.checkout(pg_register, laptop)
    return pg_register, laptop


@pytest.mark.parametrize(
    ("first", "same"), [("laptop", False), ("server", False), ("laptop", True), ("server", True)]
)
def test_due_date_revisions_on_both_sides_are_both_kept_and_the_latest_gives_the_date(
    team, first, same
):
    url, laptop = team
    rng = random.Random(f"{first}{same}")
    with Desk.open(laptop) as desk:
        rec = rng.choice(register.list_recommendations(desk))
    start = rec.due
    dates = {
        "laptop": start + dt.timedelta(days=rng.randint(10, 60)),
        "server": start + dt.timedelta(days=rng.randint(61, 120)),
    }
    if same:
        dates["server"] = dates["laptop"]
    second = "server" if first == "laptop" else "laptop"
    for side in (first, second):  # one after the other, each not seeing the other's
        with Desk.open(laptop if side == "laptop" else url) as desk:
            register.revise_due(desk, rec.ref, dates[side], f"Extension asked at the {side}")
    with Desk.open(laptop) as desk:
        sync.sync(desk)
    for db in (url, laptop):
        with Desk.open(db) as desk:
            detail = register.get_recommendation(desk, rec.ref)
            ours = [d for d in detail.due_revisions if d.reason.startswith("Extension asked")]
            assert sorted((d.reason, d.old_due, d.new_due) for d in ours) == sorted(
                (f"Extension asked at the {side}", start, dates[side]) for side in dates
            )  # both kept, each with the date it started from
            latest = max(detail.due_revisions, key=lambda d: (d.changed_at, d.id.hex))
            assert detail.due == latest.new_due == dates[second]
    assert records(url) == records(laptop)


@pytest.mark.parametrize("keep", ["mine", "theirs"])
def test_the_committees_details_merge_detail_by_detail_and_a_clash_is_a_conflict(team, cli, keep):
    url, laptop = team
    rng = random.Random(keep)
    chair_mine, chair_theirs = (f"Chair {w} {keep}" for w in rng.sample(WORDS, 2))
    with Desk.open(laptop) as desk:  # offline: the chair and the clerk's email
        settings.update_settings(desk, {"chair": chair_mine, "clerk_email": "me@example.org"})
    with Desk.open(url) as server:  # at the office: the chair too, and the clerk's name
        settings.update_settings(server, {"chair": chair_theirs, "clerk_name": "Sam Office"})
    cli("sync", db=laptop, check_rc=0)
    for db in (url, laptop):
        with Desk.open(db) as desk:
            now = settings.get_settings(desk)
            assert (now.chair, now.clerk_email, now.clerk_name) == (
                chair_theirs,  # both changed it: the server's stays
                "me@example.org",  # only the laptop changed it: it arrives
                "Sam Office",  # only the office changed it: it stays
            )
    listed = json.loads(cli("conflicts", "--json", db=laptop, check_rc=0).stdout)
    assert [(c["ref"], c["field"], c["mine"], c["theirs"]) for c in listed] == [
        ("The Committee's details", "chair", chair_mine, chair_theirs)
    ]
    out = cli("resolve", listed[0]["id"][:8], "--keep", keep, db=laptop, check_rc=0)
    assert "Committee's details" in out.stdout
    cli("sync", db=laptop, check_rc=0)
    chosen = chair_mine if keep == "mine" else chair_theirs
    for db in (url, laptop):
        with Desk.open(db) as desk:
            assert settings.get_settings(desk).chair == chosen
    assert json.loads(cli("conflicts", "--json", db=laptop).stdout) == []
    assert records(url) == records(laptop)


def test_a_colleagues_write_cannot_slip_between_the_conflict_check_and_the_edit(team, monkeypatch):
    """The colleague saves the same notes just after the sync compared them: their save waits for
    the sync's transaction and comes after it (the last word is theirs, on both sides); it is never
    overwritten by a value compared with what the server held before it."""
    url, laptop = team
    with Desk.open(laptop) as desk:
        ref = random.Random(5).choice(register.list_recommendations(desk)).ref
        register.edit_recommendation(desk, ref, notes="laptop's notes")
    colleague: list[threading.Thread] = []

    def colleague_saves() -> None:
        with Desk.open(url) as server:
            register.edit_recommendation(server, ref, notes="colleague's notes")

    real = register.stored_field

    def compared(rec, name):  # the moment the sync has read the server's value
        value = real(rec, name)
        if name == "notes" and not colleague:
            colleague.append(threading.Thread(target=colleague_saves))
            colleague[0].start()
            colleague[0].join(timeout=3)  # done here unless it waits for the sync's lock
        return value

    monkeypatch.setattr(register, "stored_field", compared)
    with Desk.open(laptop) as desk:
        sync.sync(desk)
    colleague[0].join()
    monkeypatch.undo()
    with Desk.open(url) as server:
        assert register.get_recommendation(server, ref).notes == "colleague's notes"
        history = [
            op.summary for op in sync.undo.recent(server, limit=5, everyone=True)
        ]  # the colleague's edit came after the laptop's
        assert history[0].startswith(f"Edit {ref}") and history[1].startswith(f"Edit {ref}")
    with Desk.open(laptop) as desk:
        sync.sync(desk)
        assert register.get_recommendation(desk, ref).notes == "colleague's notes"
    assert records(url) == records(laptop)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_refused_change_is_listed_and_the_changes_not_building_on_it_are_still_sent(
    team, cli, seed
):
    url, laptop = team
    rng = random.Random(seed)
    made = dt.date(2025, 4, 1) + dt.timedelta(days=seed)
    with Desk.open(url) as server:  # a recommendation the laptop will see, then a colleague removes
        doomed = register.add_recommendation(server, "Soon taken out", theme="T", made=made).ref
    with Desk.open(laptop) as desk:
        sync.sync(desk)
        others = [r.ref for r in register.list_recommendations(desk) if r.ref != doomed]
        register.edit_recommendation(desk, doomed, notes="edited offline")  # refused: removed
        typed = f"PCC-TYPED-{seed}"
        register.add_recommendation(desk, "Typed ref, offline", theme="T", made=made, ref=typed)
        register.log_response(  # builds on the refused addition: not sent
            desk,
            typed,
            received=made,
            position=Position.ACCEPTED,
            assessment=Assessment.ADDRESSED,
            text="On the refused one",
        )
        independent = rng.choice(others)  # does not: sent
        register.change_status(desk, independent, Status.FOLLOW_UP_NEEDED, f"Chased {seed}")
        added = register.add_recommendation(desk, f"Sent anyway {seed}", theme="T", made=made)
    with Desk.open(url) as server:  # meanwhile at the office
        register.remove_recommendation(server, doomed)
        register.add_recommendation(server, "The office's own", theme="T", made=made, ref=typed)
    out = cli("sync", db=laptop)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 3
    assert doomed in lines[0] and typed in lines[1] and "builds on" in lines[2]
    assert "2 change(s) sent" in out.stdout  # the status change and the addition
    with Desk.open(url) as server:
        assert register.get_recommendation(server, independent).status == Status.FOLLOW_UP_NEEDED
        assert register.get_recommendation(server, typed).text == "The office's own"
        assert register.get_recommendation(server, typed).responses == ()
        sent = [r for r in register.list_recommendations(server) if r.id == added.id]
        assert len(sent) == 1
    with Desk.open(laptop) as desk:
        assert sync.refusals(desk) == lines  # listed for the clerk
        refs = {r.text: r.ref for r in register.list_recommendations(desk)}
        assert refs["The office's own"] == typed  # the server's record holds the reference
        assert refs["Typed ref, offline"] == f"{typed} (not synced)"  # the refused one, marked
        assert "Soon taken out" not in refs  # the colleague took it out (its number reused)
    listed = cli("conflicts", db=laptop, check_rc=0).stdout
    assert "Not sent to the team register" in listed and all(line in listed for line in lines)
    again = cli("sync", "--json", db=laptop)
    assert again.returncode == 0 and '"pushed": 0' in again.stdout  # not sent again
    with Desk.open(laptop) as desk:  # the clerk has seen them: one dismissed, then the rest
        assert offline.status(desk).not_sent == 3
        assert sync.dismiss_refusals(desk, [lines[seed]]) == 1
        assert sync.refusals(desk) == [line for line in lines if line != lines[seed]]
    gone = cli("conflicts", "--dismiss-not-sent", db=laptop, check_rc=0).stdout
    assert "2 change(s) no longer listed" in gone
    assert "Not sent" not in cli("conflicts", db=laptop, check_rc=0).stdout
    quiet = cli("sync", "--json", db=laptop)
    assert quiet.returncode == 0 and '"pushed": 0' in quiet.stdout  # still not sent
    with Desk.open(laptop) as desk:  # and nothing on the laptop was undone
        assert offline.status(desk).not_sent == 0 and sync.refusals(desk) == []
        refs = {r.text: r.ref for r in register.list_recommendations(desk)}
        assert refs["Typed ref, offline"] == f"{typed} (not synced)"


def _awaited_ask_to_one(desk: Desk):
    """An ask still awaiting its response, to one addressee."""
    return next(
        r
        for r in register.list_recommendations(desk)
        if r.status is Status.AWAITING_RESPONSE and not r.addressee_lines
    )


@pytest.mark.parametrize("server_too", [True, False])
def test_a_response_logged_and_undone_offline_is_taken_out_on_the_server_as_on_the_laptop(
    team, server_too
):
    """The undo moves the status back and withdraws the target on the laptop: applied at the sync,
    it appends the same changes on the server, whatever the office changed there since (the status
    then follows the merged history: the latest change, by time)."""
    url, laptop = team
    with Desk.open(laptop) as desk:
        rec = _awaited_ask_to_one(desk)
        detail = register.get_recommendation(desk, rec.ref)
        start_target = detail.target
        given = (detail.target or rec.made) + dt.timedelta(days=90)
        register.log_response(
            desk,
            rec.ref,
            received=rec.made + dt.timedelta(days=20),
            position=Position.ACCEPTED,
            assessment=Assessment.ADDRESSED,
            text="Accepted, to be done in three months",
            new_status=Status.RESPONSE_RECEIVED,
            target=given,
        )
        undo.undo(desk)
        assert register.get_recommendation(desk, rec.ref).status is Status.AWAITING_RESPONSE
    if server_too:  # the office, meanwhile (later in time)
        with Desk.open(url) as desk:
            register.change_status(desk, rec.ref, Status.FOLLOW_UP_NEEDED, "Chased")
    with Desk.open(laptop) as desk:
        sync.sync(desk)
    shown = {}
    for db in (url, laptop):
        with Desk.open(db) as desk:
            shown[db] = register.get_recommendation(desk, rec.ref)
    for detail in shown.values():
        links = [(c.from_status, c.to_status) for c in detail.history]
        for (_, before), (after_from, _) in itertools.pairwise(links):
            assert after_from == before, links
        assert links[-2 if server_too else -1] == (
            Status.RESPONSE_RECEIVED,
            Status.AWAITING_RESPONSE,
        ), links
        targets = [(t.old_target, t.new_target) for t in detail.target_revisions]
        assert targets[-2:] == [(start_target, given), (given, start_target)], targets
        assert detail.target == start_target
        expected = Status.FOLLOW_UP_NEEDED if server_too else Status.AWAITING_RESPONSE
        assert detail.status is expected
    assert records(url) == records(laptop)


def test_target_revisions_on_both_sides_are_both_kept_and_the_latest_gives_the_target(team):
    """As for due dates: each revision keeps the target it started from where it was made, and the
    target is the one the latest revision of the merged history gives (by time)."""
    url, laptop = team
    with Desk.open(laptop) as desk:
        rec = register.list_recommendations(desk)[0]
        start = register.get_recommendation(desk, rec.ref).target
        ours = rec.made + dt.timedelta(days=100)
        register.revise_target(desk, rec.ref, ours, "Agreed at the meeting")
    theirs = ours + dt.timedelta(days=30)
    with Desk.open(url) as desk:  # the office, later
        register.revise_target(desk, rec.ref, theirs, "Agreed by letter")
    with Desk.open(laptop) as desk:
        sync.sync(desk)
    for db in (url, laptop):
        with Desk.open(db) as desk:
            detail = register.get_recommendation(desk, rec.ref)
        kept = [(t.reason, t.old_target, t.new_target) for t in detail.target_revisions]
        assert kept[-2:] == [
            ("Agreed at the meeting", start, ours),
            ("Agreed by letter", start, theirs),
        ]
        assert detail.target == theirs
    assert records(url) == records(laptop)


@pytest.mark.parametrize("server_undid", [False, True])
def test_an_edit_undone_offline_leaves_the_value_the_office_wrote_meanwhile_on_both(
    team, server_undid
):
    """The office writes some notes; offline, the clerk writes the same notes, then undoes that.
    Sent, the laptop's edit changes nothing on the server (the same value) and its undo brings back
    what the server held before it: the office's notes, which stay (nothing the office typed is
    lost), and the laptop takes them too: it no longer keeps its own value for a field its own
    edit and the undo of that edit (both sent) changed."""
    url, laptop = team
    with Desk.open(laptop) as desk:
        rec = random.Random(7).choice(register.list_recommendations(desk))
        seeded = register.get_recommendation(desk, rec.ref).notes
    office = "The office's notes"
    with Desk.open(url) as server:
        register.edit_recommendation(server, rec.ref, notes=office)
        if server_undid:  # and took them back, and wrote them again later
            undo.undo(server)
    with Desk.open(laptop) as desk:
        register.edit_recommendation(desk, rec.ref, notes=office)
        undo.undo(desk)
        assert register.get_recommendation(desk, rec.ref).notes == seeded
    if server_undid:
        with Desk.open(url) as server:
            register.edit_recommendation(server, rec.ref, notes=office)
    with Desk.open(laptop) as desk:
        sync.sync(desk)
    for db in (url, laptop):
        with Desk.open(db) as desk:
            assert register.get_recommendation(desk, rec.ref).notes == office
    assert records(url) == records(laptop)


def test_a_quote_attached_offline_after_the_office_took_its_attach_back_keeps_the_laptops_time(
    team,
):
    """The office attaches a quote to a recommendation and undoes that; offline, the clerk attaches
    the same quote to it. The link is the laptop's on the server (the office's is gone); pulled,
    the office's attach finds the laptop's link and gives it its earlier time (attached on two
    registers: the earlier time), and its undo gives the link the laptop's time back: the same
    link, of the same time, on both."""
    url, laptop = team
    with Desk.open(url) as server:
        quote, attached = quotes.list_quotes(server)[0]
        ref = next(r.ref for r in register.list_recommendations(server) if r.ref not in attached)
        quotes.attach_quote(server, quote.id, [ref])
        undo.undo(server)
    with Desk.open(laptop) as desk:
        quotes.attach_quote(desk, quote.id, [ref])
        sync.sync(desk)
    for db in (url, laptop):
        with Desk.open(db) as desk:
            assert ref in dict((q.id, refs) for q, refs in quotes.list_quotes(desk))[quote.id]
    assert records(url) == records(laptop)


def test_an_edit_the_server_kept_nothing_of_undone_offline_is_not_refused(team):
    """Offline, the clerk edits notes the office changed too (a conflict: nothing of the edit is
    applied on the server), then undoes the edit. The undo has nothing to take back there: it is
    not refused (the clerk took their value back already), and the conflict is settled with the
    office's value, on both sides."""
    url, laptop = team
    with Desk.open(laptop) as desk:
        rec = random.Random(7).choice(register.list_recommendations(desk))
    with Desk.open(url) as server:
        register.edit_recommendation(server, rec.ref, notes="The office's notes")
    with Desk.open(laptop) as desk:
        register.edit_recommendation(desk, rec.ref, notes="The laptop's notes")
        undo.undo(desk)
        done = sync.sync(desk)
        assert done.refused == () and sync.refusals(desk) == []
        assert sync.conflicts(desk) == []  # settled: the office's notes kept
        (settled,) = sync.conflicts(desk, include_resolved=True)
        assert (settled.mine, settled.theirs, settled.resolution) == (
            "The laptop's notes",
            "The office's notes",
            "theirs",
        )
        assert sync.sync(desk).refused == ()  # and not sent again
    for db in (url, laptop):
        with Desk.open(db) as desk:
            assert register.get_recommendation(desk, rec.ref).notes == "The office's notes"
    assert records(url) == records(laptop)


@pytest.mark.parametrize("what", ["status", "due", "target"])
def test_a_change_undone_offline_after_the_office_changed_it_too_is_not_refused(team, what):
    """Offline, the clerk moves a status (or a due or target date) and takes it back; meanwhile the
    office moved it too. The undo appends a change back, which merges by time like any change: it
    is not refused at the sync, both histories hold all three, and both registers end the same (the
    latest by time gives the value: the clerk's change back)."""
    url, laptop = team
    with Desk.open(laptop) as desk:
        rec = _awaited_ask_to_one(desk)
        before = register.get_recommendation(desk, rec.ref)
    day = dt.timedelta(days=1)

    def move(desk, n: int, words: str) -> None:
        if what == "status":
            new = [Status.FOLLOW_UP_NEEDED, Status.CLOSED_IMPLEMENTED][n]
            register.change_status(desk, rec.ref, new, words)
        elif what == "due":
            register.revise_due(desk, rec.ref, before.due + (n + 1) * 30 * day, words)
        else:
            register.revise_target(desk, rec.ref, rec.made + (n + 1) * 90 * day, words)

    with Desk.open(laptop) as desk:
        move(desk, 0, "Moved on the laptop")
    with Desk.open(url) as server:
        move(server, 1, "Moved by the office")
    with Desk.open(laptop) as desk:
        undo.undo(desk)
        done = sync.sync(desk)
        assert done.refused == () and sync.refusals(desk) == []
    for db in (url, laptop):
        with Desk.open(db) as desk:
            shown = register.get_recommendation(desk, rec.ref)
        if what == "status":
            assert shown.status is before.status
            assert [c.note for c in shown.history[-3:]][:2] == [
                "Moved on the laptop",
                "Moved by the office",
            ]
        elif what == "due":
            assert (
                shown.due == before.due
                and len(shown.due_revisions) == len(before.due_revisions) + 3
            )
        else:
            assert shown.target == before.target
            assert len(shown.target_revisions) == len(before.target_revisions) + 3
    assert records(url) == records(laptop)


def test_a_status_change_undone_on_one_laptop_leaves_the_addressees_as_the_ask_on_all(
    team, tmp_path
):
    """One laptop closes an ask; another logs it as answered and takes that back; each syncs. Every
    register ends with the same status, its addressee's too: the change back restores the status
    the change started from where it was made, whatever another laptop's sync put there since."""
    url, first = team
    second = tmp_path / "second-laptop.sqlite3"
    sync.checkout(url, second)
    with Desk.open(first) as desk:
        rec = _awaited_ask_to_one(desk)
        register.change_status(desk, rec.ref, Status.CLOSED_IMPLEMENTED, "Closed offline")
    with Desk.open(second) as desk:
        register.change_status(desk, rec.ref, Status.RESPONSE_RECEIVED, "Answered offline")
        undo.undo(desk)
    for laptop in (first, second, first):
        with Desk.open(laptop) as desk:
            assert sync.sync(desk).refused == ()
    for db in (url, first, second):
        with Desk.open(db) as desk:
            shown = register.get_recommendation(desk, rec.ref)
        assert shown.status is Status.AWAITING_RESPONSE  # the change back is the latest
    assert records(url) == records(first) == records(second)


def test_a_laptop_whose_clock_runs_behind_extends_the_history_the_same_on_both(team, monkeypatch):
    """The office moves a status; the laptop brings it down, then logs a response with its clock an
    hour behind: the response's change is timed just after the office's (not an hour before it), and
    everything it wrote carries that one time on both registers after the sync."""
    from pcc_desk.services import desk as desk_module

    url, laptop = team
    with Desk.open(url) as server:
        rec = _awaited_ask_to_one(server)
        register.change_status(server, rec.ref, Status.FOLLOW_UP_NEEDED, "Chased by the office")
    with Desk.open(laptop) as desk:
        sync.sync(desk)
        behind = desk_module.utcnow
        monkeypatch.setattr(desk_module, "utcnow", lambda: behind() - dt.timedelta(hours=1))
        register.log_response(
            desk,
            rec.ref,
            received=rec.made + dt.timedelta(days=20),
            position=Position.ACCEPTED,
            text="Accepted",
            new_status=Status.RESPONSE_RECEIVED,
        )
        monkeypatch.undo()
        assert sync.sync(desk).refused == ()
    for db in (url, laptop):
        with Desk.open(db) as desk:
            shown = register.get_recommendation(desk, rec.ref)
        links = [(c.from_status, c.to_status) for c in shown.history]
        assert links[-2:] == [
            (Status.AWAITING_RESPONSE, Status.FOLLOW_UP_NEEDED),
            (Status.FOLLOW_UP_NEEDED, Status.RESPONSE_RECEIVED),
        ]
        assert shown.status is Status.RESPONSE_RECEIVED
    assert records(url) == records(laptop)


@pytest.mark.parametrize("what", ["status", "due", "response", "quote"])
def test_a_recommendation_the_office_took_back_goes_from_the_laptop_with_the_refused_changes(
    team, what
):
    """The office adds a recommendation; the laptop brings it down and works on it offline (a status
    change, a due-date revision, a response, a quote); meanwhile the office takes its addition back.
    The laptop's change is refused (listed: the recommendation is no longer on the team register),
    and the pull takes the recommendation out of the laptop as the office did, with what the
    laptop's refused change hung on it, instead of failing at every sync from then on."""
    url, laptop = team
    made = dt.date(2025, 4, 2)
    with Desk.open(url) as server:
        added = register.add_recommendation(server, "Soon taken back", theme="T", made=made)
    with Desk.open(laptop) as desk:
        sync.sync(desk)
        if what == "status":
            register.change_status(desk, added.ref, Status.FOLLOW_UP_NEEDED, "Chased offline")
        elif what == "due":
            register.revise_due(desk, added.ref, made + dt.timedelta(days=200), "Asked offline")
        elif what == "response":
            register.log_response(
                desk,
                added.ref,
                received=made + dt.timedelta(days=9),
                position=Position.ACCEPTED,
                assessment=Assessment.ADDRESSED,
                text="Answered offline",
            )
        else:
            quote, _refs = quotes.list_quotes(desk)[0]
            quotes.attach_quote(desk, quote.id, [added.ref])
    with Desk.open(url) as server:
        undo.undo(server)  # the office takes its addition back
        assert all(r.id != added.id for r in register.list_recommendations(server))
    with Desk.open(laptop) as desk:
        done = sync.sync(desk)
        assert len(done.refused) == 1 and added.ref in done.refused[0]
        assert all(r.id != added.id for r in register.list_recommendations(desk))
        assert sync.sync(desk).refused == ()  # and the next sync goes through
    assert records(url) == records(laptop)


@pytest.mark.parametrize("first", ["laptop", "office"])
def test_a_quote_attached_on_both_sides_keeps_its_link_and_one_time_when_the_office_undoes_its_attach(
    team, first
):
    """The clerk, offline, and the office attach the same quote to the same recommendation, one of
    them first; the laptop syncs: one link, with the earlier attach's time, on both. The office then
    undoes its attach: the link stays on both, since the clerk's attach is in effect still, with the
    clerk's attach's time on both. Before: with the clerk's attach first, the office's undo took the
    link out on the team register while the laptop kept it; with the office's first, the team
    register kept the office's time while the laptop gave it the clerk's (found by the pending-rules
    machine, 150 examples of 40 steps)."""
    url, laptop = team
    with Desk.open(url) as server:
        quote, attached = quotes.list_quotes(server)[0]
        ref = next(r.ref for r in register.list_recommendations(server) if r.ref not in attached)
    order = [laptop, url] if first == "laptop" else [url, laptop]
    for db in order:
        with Desk.open(db) as desk:
            quotes.attach_quote(desk, quote.id, [ref])
    with Desk.open(laptop) as desk:
        sync.sync(desk)
    with Desk.open(url) as server:
        undo.undo(server)
    with Desk.open(laptop) as desk:
        assert sync.sync(desk).refused == ()
    for db in (url, laptop):
        with Desk.open(db) as desk:
            assert ref in dict((q.id, refs) for q, refs in quotes.list_quotes(desk))[quote.id]
    assert records(url) == records(laptop)


def test_an_office_edit_that_won_a_conflict_and_is_undone_leaves_the_same_value_on_both(team):
    """Offline the clerk edits the notes; the office edits them too; the sync keeps the office's
    (the clerk's are listed as a conflict) and brings them down. Then the office undoes its edit:
    the team register has the notes as they were before it, and the laptop, pulling that undo, the
    same (before, it brought back the clerk's own notes, which only the conflict list holds)."""
    url, laptop = team
    with Desk.open(laptop) as desk:
        rec = random.Random(11).choice(register.list_recommendations(desk))
        before = register.get_recommendation(desk, rec.ref).notes
        register.edit_recommendation(desk, rec.ref, notes="The clerk's notes")
    with Desk.open(url) as server:
        register.edit_recommendation(server, rec.ref, notes="The office's notes")
    with Desk.open(laptop) as desk:
        sync.sync(desk)
        (conflict,) = sync.conflicts(desk)
        assert (conflict.mine, conflict.theirs) == ("The clerk's notes", "The office's notes")
    with Desk.open(url) as server:
        undo.undo(server)
    with Desk.open(laptop) as desk:
        sync.sync(desk)
    for db in (url, laptop):
        with Desk.open(db) as desk:
            assert register.get_recommendation(desk, rec.ref).notes == before
    assert records(url) == records(laptop)
