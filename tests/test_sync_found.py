"""Merging cases the sync's state machine (tests/test_sync_properties.py) found, kept as plain tests
on a real PostgreSQL and real laptop files: each failed before its fix."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from support.sync_world import history_ids, records, seed_team_register
from support.transcript_samples import write_la_txt
from support.undo_samples import WORDS, write_letter

from pcc_desk.services import Desk, letter_import, quotes, register, sync, transcripts, undo
from pcc_desk.vocabulary import Assessment, Position, RecordKind

pytestmark = pytest.mark.backends("postgresql")


@pytest.fixture
def seeded(pg_register, tmp_path):
    seed_team_register(pg_register, tmp_path / "seed", seed=5, size=3)
    return pg_register


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            (Position.ACCEPTED, Assessment.NOT_YET_ASSESSED),
            (Position.ACCEPTED, Assessment.ADDRESSED),
        ),
        (
            (Position.NOT_ACCEPTED, Assessment.NOT_ADDRESSED),
            (Position.OTHER, Assessment.NOT_YET_ASSESSED),
        ),
        ((Position.PARTLY_ACCEPTED, Assessment.PARTLY_ADDRESSED),) * 2,
    ],
)
def test_responses_logged_on_two_laptops_keep_both_status_changes_everywhere(
    seeded, tmp_path, first, second
):
    """Each laptop's response moved the status there (a status change each); on the server the
    second found the status moved already. Both changes must be in every history, the same rows."""
    laptops = [tmp_path / f"laptop-{n}.sqlite3" for n in (1, 2)]
    for laptop in laptops:
        sync.checkout(seeded, laptop)
    made = []
    for n, (laptop, (position, assessment)) in enumerate(
        zip(laptops, (first, second), strict=True)
    ):
        with Desk.open(laptop) as desk:
            ref = register.list_recommendations(desk)[0].ref
            register.log_response(
                desk,
                ref,
                received=dt.date(2025, 10, 1 + n),
                position=position,
                assessment=assessment,
                text=f"Response {n} on laptop {n}",
            )
            made.append(history_ids(desk)[RecordKind.STATUS_CHANGE])
    for laptop in [*laptops, laptops[0]]:
        with Desk.open(laptop) as desk:
            sync.sync(desk)
    with Desk.open(seeded) as server:
        there = history_ids(server)[RecordKind.STATUS_CHANGE]
        history = register.history(server, ref)
        assert set().union(*made) <= there
        latest = max(history, key=lambda h: (h.changed_at, h.id.hex))
        assert register.get_recommendation(server, ref).status == latest.to_status
    for laptop in laptops:  # the same rows everywhere, each change's starting status too
        assert records(laptop) == records(seeded)


@pytest.mark.parametrize("undone", [False, True])
@pytest.mark.parametrize("elsewhere", ["server", "other laptop"])
def test_a_quote_attached_on_both_sides_then_undone_on_the_laptop_syncs(
    seeded, tmp_path, elsewhere, undone
):
    """The laptop attaches a quote the other side attached too: on the server that attach changes
    nothing, but it must still be known there by its id (the laptop's undo of it names it)."""
    laptops = [tmp_path / f"laptop-{n}.sqlite3" for n in (1, 2)]
    for laptop in laptops:
        sync.checkout(seeded, laptop)
    other = seeded if elsewhere == "server" else laptops[1]
    with Desk.open(other) as desk:
        (quote, _refs), *_ = quotes.list_quotes(desk)
        ref = register.list_recommendations(desk)[-1].ref
        quotes.attach_quote(desk, quote.id, [ref])
    if elsewhere != "server":
        with Desk.open(other) as desk:
            sync.sync(desk)
    with Desk.open(laptops[0]) as desk:
        quotes.attach_quote(desk, quote.id, [ref])
        if undone:
            undo.undo(desk)
        mine = {e["id"] for e in undo.export(desk)}
        sync.sync(
            desk
        )  # refused before: "That undo or redo concerns a change this register does not have"
    for laptop in reversed(laptops):
        with Desk.open(laptop) as desk:
            sync.sync(desk)
    with Desk.open(seeded) as server:
        assert mine <= {e["id"] for e in undo.export(server)}
        assert ref in dict((q.id, refs) for q, refs in quotes.list_quotes(server))[quote.id]
    for laptop in laptops:
        assert records(laptop) == records(seeded)


@pytest.mark.parametrize("n", [1, 2])
def test_imports_made_on_the_other_side_sync_though_their_files_are_not_there(seeded, tmp_path, n):
    """A transcript imported at the office is brought down, and a letter imported on the laptop
    is sent up, after their files are gone from where they were read: applying an import reads
    the copy the register keeps, which must travel with it."""
    laptop = tmp_path / "laptop.sqlite3"
    sync.checkout(seeded, laptop)
    office, train = tmp_path / "office", tmp_path / "train"
    office.mkdir()
    train.mkdir()
    with Desk.open(seeded) as server:
        text = write_la_txt(office, f"meeting-{n}.txt")
        text.write_text(
            text.read_text(encoding="utf-8").replace("12 October 2022", f"{10 + n} May 2023"),
            encoding="utf-8",
        )
        transcripts.import_transcript(server, text)
    with Desk.open(laptop) as desk:
        asks = [f"the Met should {' '.join(WORDS[k : k + 4 + n])}" for k in range(n + 1)]
        letter = write_letter(train, "offline.md", dt.date(2025, 6, n), [("Offline", asks)])
        letter_import.commit(desk, letter_import.preview(desk, letter))
    shutil.rmtree(office)
    shutil.rmtree(train)
    with Desk.open(laptop) as desk:
        done = sync.sync(desk)  # refused before: "the copy kept of the file is gone"
        assert done.pulled >= 1 and done.pushed >= 1
        assert len(transcripts.list_transcripts(desk)) == 2
    assert records(laptop) == records(seeded)


@pytest.mark.parametrize("field", ["notes", "addressee", "context"])
def test_an_office_edit_the_laptop_agreed_with_and_then_changed_again_is_not_brought_back(
    seeded, tmp_path, field
):
    """The office and the laptop set a field to the same value (no conflict); the laptop then
    changed it again. On the server the laptop's later edit comes after the office's: brought
    down, the office's edit must not take the laptop's field back to the older value."""
    laptop = tmp_path / "laptop.sqlite3"
    sync.checkout(seeded, laptop)
    with Desk.open(seeded) as server:
        ref = register.list_recommendations(server)[1].ref
        register.edit_recommendation(server, ref, **{field: f"agreed {field}"})
    with Desk.open(laptop) as desk:
        register.edit_recommendation(desk, ref, **{field: f"agreed {field}"})
        register.edit_recommendation(desk, ref, **{field: f"later {field}"})
        sync.sync(desk)
        assert getattr(register.get_recommendation(desk, ref), field) == f"later {field}"
    with Desk.open(seeded) as server:
        assert getattr(register.get_recommendation(server, ref), field) == f"later {field}"
    assert records(laptop) == records(seeded)
