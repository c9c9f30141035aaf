"""Two clerks, one record: every record a clerk edits carries a version; an edit made from a version
that is no longer the record's is refused with who changed it, when, their value and yours, and
nothing is saved. On both backends, with two Desks open on one register."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import func, select
from support.transcript_samples import LA_TURNS, write_la_txt

from pcc_desk.errors import VersionConflict
from pcc_desk.model import Operation, Priority, RecordKind, Status
from pcc_desk.services import Desk, journal, quotes, register, settings, transcripts, undo

MADE = dt.date(2024, 3, 14)

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def two_desks(register_db):
    """Two Desks on the same register, as two clerks' computers have it open."""
    alice, bob = Desk.open(register_db), Desk.open(register_db)
    alice.user, bob.user = "alice", "bob"
    yield alice, bob
    alice.close()
    bob.close()


def _journal_size(desk: Desk) -> int:
    with desk.reading() as session:
        return session.scalar(select(func.count()).select_from(Operation))


def _version_noted(desk: Desk, rec_id) -> int | None:
    """The version the newest journal row noted as replaced for ``rec_id``."""
    with desk.reading() as session:
        row = session.scalars(select(Operation).order_by(Operation.seq.desc()).limit(1)).one()
        entry = next(e for e in row.records if e["id"] == str(rec_id) and e["role"] == "changed")
        return entry.get("version")


def test_every_change_of_a_recommendation_raises_its_version_and_the_journal_keeps_the_one_replaced(
    desk,
):
    added = register.add_recommendation(desk, "Publish the timescales", made=MADE)
    seen = [register.get_recommendation(desk, added.ref).version]
    assert seen == [1]
    steps = [
        lambda: register.edit_recommendation(desk, added.ref, text="Publish the new timescales"),
        lambda: register.change_status(desk, added.ref, Status.FOLLOW_UP_NEEDED, "Chased"),
        lambda: register.revise_due(desk, added.ref, MADE + dt.timedelta(days=90), "Agreed"),
        lambda: register.edit_recommendation(desk, added.ref, priority=Priority.HIGH),
        lambda: undo.undo(desk),  # an undo changes the row too
    ]
    for step in steps:
        step()
        now = register.get_recommendation(desk, added.ref).version
        assert now == seen[-1] + 1
        assert _version_noted(desk, added.id) == seen[-1]
        seen.append(now)


@pytest.mark.parametrize("seed", range(3))
def test_two_desks_editing_the_same_recommendation_from_the_same_version_one_wins(two_desks, seed):
    alice, bob = two_desks
    rng = random.Random(seed)
    words = ["timescales", "neighbourhood", "officers", "vetting", "stop and search", "training"]
    ref = register.add_recommendation(alice, "Publish the plan", theme="Trust", made=MADE).ref
    shown = register.get_recommendation(bob, ref)  # both clerks have version 1 on screen
    field = rng.choice(["text", "notes", "addressee", "theme"])
    theirs = f"{field} by alice: {' '.join(rng.sample(words, 3))}"
    yours = f"{field} by bob: {' '.join(rng.sample(words, 3))}"
    won = register.edit_recommendation(
        alice, ref, expected_version=shown.version, **{field: theirs}
    )
    assert won.version == shown.version + 1
    before = _journal_size(bob)

    with pytest.raises(VersionConflict) as refused:
        register.edit_recommendation(bob, ref, expected_version=shown.version, **{field: yours})

    error = refused.value
    assert error.exit_code == 3
    assert (error.by, error.seen, error.now, error.ref) == (
        "alice",
        shown.version,
        won.version,
        ref,
    )
    assert error.at is not None
    (clash,) = error.fields
    assert (clash.name, clash.theirs, clash.yours) == (field, theirs, yours)
    assert clash.changed_by_them
    assert error.their_fields == (field,)
    day, clock = journal.when(error.at).split(", ")
    assert str(error) == (
        f"{ref} was changed by alice at {clock} on {day} since version {shown.version}; "
        "nothing was saved."
    )
    # nothing was saved: alice's value stands and the journal has no row of bob's
    assert getattr(register.get_recommendation(bob, ref), field) == theirs
    assert _journal_size(bob) == before

    # "keep mine": saved over theirs from the version now shown, as a new recorded edit
    kept = register.edit_recommendation(bob, ref, expected_version=error.now, **{field: yours})
    assert getattr(kept, field) == yours and kept.version == error.now + 1
    assert _journal_size(bob) == before + 1
    assert _version_noted(bob, kept.id) == error.now
    assert undo.recent(bob, limit=1, everyone=True)[0].actor == "bob"


def test_a_change_of_another_field_is_still_a_conflict_naming_what_they_changed(two_desks):
    alice, bob = two_desks
    ref = register.add_recommendation(alice, "Publish the plan", made=MADE).ref
    seen = register.get_recommendation(bob, ref).version
    register.change_status(alice, ref, Status.FOLLOW_UP_NEEDED, "Chased by letter")

    with pytest.raises(VersionConflict) as refused:
        register.edit_recommendation(bob, ref, expected_version=seen, text="Publish it now")

    error = refused.value
    assert error.by == "alice" and error.their_fields == ("status",)
    (clash,) = error.fields
    assert (clash.theirs, clash.yours, clash.changed_by_them) == (
        "Publish the plan",
        "Publish it now",
        False,
    )


def test_the_latest_of_several_changes_since_is_named(two_desks):
    alice, bob = two_desks
    carol = Desk.open(alice.location)
    carol.user = "carol"
    try:
        ref = register.add_recommendation(alice, "Publish the plan", made=MADE).ref
        seen = register.get_recommendation(bob, ref).version
        register.edit_recommendation(alice, ref, notes="alice's note")
        register.edit_recommendation(carol, ref, text="carol's words")
        with pytest.raises(VersionConflict) as refused:
            register.edit_recommendation(
                bob, ref, expected_version=seen, text="bob's words", notes="bob's note"
            )
    finally:
        carol.close()
    error = refused.value
    assert error.by == "carol" and error.now == seen + 2
    assert error.their_fields == ("notes", "text")
    assert {c.name: (c.theirs, c.yours) for c in error.fields} == {
        "text": ("carol's words", "bob's words"),
        "notes": ("alice's note", "bob's note"),
    }


def test_an_edit_without_a_version_or_from_the_current_one_is_saved(desk):
    ref = register.add_recommendation(desk, "Publish the plan", made=MADE).ref
    register.edit_recommendation(desk, ref, text="Publish it")  # no version given: as before
    now = register.get_recommendation(desk, ref).version
    saved = register.edit_recommendation(desk, ref, expected_version=now, notes="Checked")
    assert saved.notes == "Checked" and saved.version == now + 1


def test_responses_carry_a_version(desk):
    ref = register.add_recommendation(desk, "Publish the plan", made=MADE).ref
    from pcc_desk.model import Position

    register.log_response(
        desk, ref, received=MADE + dt.timedelta(days=30), position=Position.ACCEPTED, text="Yes."
    )
    (response,) = register.get_recommendation(desk, ref).responses
    assert response.version == 1


def test_the_committees_details_conflict_names_who_saved_them_and_each_detail(two_desks):
    alice, bob = two_desks
    shown_alice, shown_bob = settings.get_settings(alice), settings.get_settings(bob)
    assert shown_alice.version == shown_bob.version == 0  # never saved
    import dataclasses

    saved = settings.save_settings(
        alice,
        dataclasses.replace(shown_alice, chair="Susan Hall AM"),
        expected_version=shown_alice.version,
    )
    assert saved.version == 1 == settings.get_settings(bob).version
    mine = dataclasses.replace(shown_bob, chair="Marina Ahmad AM", clerk_name="Bob Clerk")

    with pytest.raises(VersionConflict) as refused:
        settings.save_settings(bob, mine, expected_version=shown_bob.version)

    error = refused.value
    assert error.by == "alice" and (error.seen, error.now) == (0, 1)
    clashes = {c.name: (c.theirs, c.yours) for c in error.fields}
    assert clashes["chair"] == ("Susan Hall AM", "Marina Ahmad AM")
    assert clashes["clerk_name"] == (shown_alice.clerk_name, "Bob Clerk")
    assert settings.get_settings(bob).chair == "Susan Hall AM"
    again = settings.save_settings(bob, mine, expected_version=error.now)
    assert again.version == 2 and settings.get_settings(alice).chair == "Marina Ahmad AM"


def test_a_record_changed_between_reading_and_writing_is_a_conflict_not_an_overwrite(
    two_desks,
):
    """The version guards the moment inside one transaction too: the UPDATE names the version it
    read, so a change committed by another clerk in between rolls this one back."""
    alice, bob = two_desks
    ref = register.add_recommendation(alice, "Publish the plan", made=MADE).ref
    with pytest.raises(VersionConflict), bob.transaction() as session:
        rec = register.recommendation_by_ref(session, ref)
        assert rec.version == 1
        if bob.location.is_server:
            register.edit_recommendation(alice, ref, text="alice's words")
        else:  # one writer at a time on a file: change the row under bob's loaded copy directly
            session.connection().exec_driver_sql("UPDATE recommendations SET version = version + 1")
        rec.text = "bob's words"
        session.flush()
    assert register.get_recommendation(alice, ref).text != "bob's words"
    assert RecordKind.RECOMMENDATION  # the kinds the journal names the records by


def test_a_quote_attached_since_is_not_taken_for_the_change(two_desks, tmp_path):
    """Attaching a quote does not change the recommendation's row (its version stays): the conflict
    names who changed the record, not who quoted for it last."""
    alice, bob = two_desks
    carol = Desk.open(alice.location)
    carol.user = "carol"
    try:
        ref = register.add_recommendation(alice, "Publish the plan", made=MADE).ref
        transcript = transcripts.import_transcript(alice, write_la_txt(tmp_path)).transcript
        seen = register.get_recommendation(bob, ref).version
        register.edit_recommendation(alice, ref, text="alice's words")
        spoken = LA_TURNS[0][1][0]  # the Chair's welcome
        quotes.create_quote(carol, transcript.id, " ".join(spoken.split()[:6]), refs=[ref])
        assert register.get_recommendation(bob, ref).version == seen + 1  # the quote left it
        with pytest.raises(VersionConflict) as refused:
            register.edit_recommendation(bob, ref, expected_version=seen, text="bob's words")
    finally:
        carol.close()
    assert refused.value.by == "alice" and refused.value.their_fields == ("text",)
