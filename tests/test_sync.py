"""Taking the team register offline and syncing it back (`pcc-desk team checkout`, `pcc-desk sync`),
on a real PostgreSQL with real laptop files: the checkout remembers the server and how far it has
seen its journal; push applies the laptop's changes on the server once (run twice, or cut off and run
again, gives the same result); pull brings the server's changes down, deletions included; after a
sync both sides hold the same records; different schema revisions are refused with neither side
changed."""

from __future__ import annotations

import datetime as dt
import json
import random

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from support import sync_support
from support.pg_support import PG_HOST, PG_PORT, PG_USER
from support.register_dump import busy_register
from support.undo_samples import WORDS, write_letter

from pcc_desk import storage
from pcc_desk.model import Operation
from pcc_desk.services import Desk, letter_import, register, sync, undo
from pcc_desk.vocabulary import Assessment, Position, Status

pytestmark = pytest.mark.backends("postgresql")


_dump = sync_support.dump
_journal_ids = sync_support.journal_ids


@pytest.fixture(params=[1, 2])
def team(request, pg_register, tmp_path):
    """A team register with a busy register's records in it (seed: the parameter)."""
    with Desk.open(pg_register) as desk:
        busy_register(desk, tmp_path / "server-files", request.param)
    return pg_register, request.param


def _offline_work(laptop, folder, seed: int, themes: str = "") -> list[str]:
    """A clerk's day on the laptop: a letter imported, a recommendation added (then a second
    addressee, who answers), statuses changed, responses logged, an edit. Returns the refs touched."""
    rng = random.Random(seed * 31)
    folder.mkdir(parents=True, exist_ok=True)
    with Desk.open(laptop) as desk:
        date = dt.date(2025, 6, 2) + dt.timedelta(days=seed)
        asks = [
            "the Met should " + " ".join(rng.sample(WORDS, rng.randint(3, 8)))
            for _ in range(rng.randint(1, 4))
        ]
        letter = write_letter(
            folder, f"offline-{seed}.md", date, [(f"Offline theme{themes}", asks)]
        )
        letter_import.commit(desk, letter_import.preview(desk, letter))
        added = register.add_recommendation(
            desk, f"Review the offline data ({seed})", theme=f"Trust{themes}", made=date
        ).ref
        refs = [r.ref for r in register.list_recommendations(desk)]
        touched = rng.sample(refs, 3)
        register.change_status(desk, touched[0], Status.CLOSED_IMPLEMENTED, "Done on the train")
        register.log_response(
            desk,
            touched[1],
            received=date,
            position=Position.ACCEPTED,
            assessment=Assessment.ADDRESSED,
            text="Logged offline. " + " ".join(rng.sample(WORDS, 5)),
        )
        register.edit_recommendation(desk, touched[2], notes="noted offline " + str(seed))
        register.add_addressee(desk, added, "MOPAC")  # several addressees, one answering
        register.log_response(
            desk,
            added,
            received=date,
            position=Position.NOT_ACCEPTED,
            text="MOPAC declines. " + " ".join(rng.sample(WORDS, 3)),
            addressee="mopac",
        )
    return [added, *touched]


def test_checkout_remembers_the_server_and_how_far_it_has_seen(team, tmp_path, cli):
    url, _ = team
    laptop = tmp_path / "laptop" / "register.sqlite3"
    out = cli("team", "checkout", url, str(laptop), check_rc=0)
    assert "sync" in out.stdout
    assert _dump(laptop) == _dump(url)  # the very same records (and journal rows)
    with Desk.open(url) as server, server.reading() as session:
        top = max(session.scalars(select(Operation.seq)))
    with Desk.open(laptop) as desk:
        origin = sync.origin(desk)
        assert origin is not None
        assert origin.server_seq == top and origin.local_seq == top
        assert origin.server.startswith("postgresql+psycopg://")
        assert sync.pending_count(desk) == 0
    again = cli("team", "checkout", url, str(laptop))
    assert again.returncode == 2 and "exists already" in again.stderr


def test_a_register_not_checked_out_is_not_synced(tmp_path, cli):
    db = tmp_path / "plain.sqlite3"
    with Desk.open(db) as desk:
        register.add_recommendation(desk, "Plain", theme="T", made=dt.date(2024, 1, 1))
    out = cli("sync", db=db)
    assert out.returncode == 2 and "was not checked out" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_push_applies_the_laptops_changes_on_the_server_once(team, tmp_path, cli):
    url, seed = team
    laptop = tmp_path / "laptop.sqlite3"
    sync.checkout(url, laptop)
    before = set(_journal_ids(laptop))
    touched = _offline_work(laptop, tmp_path / "offline", seed)
    mine = [i for i in _journal_ids(laptop) if i not in before]
    assert len(mine) >= 5
    with Desk.open(laptop) as desk:
        assert sync.pending_count(desk) == len(mine)
    first = cli("sync", "--json", db=laptop, check_rc=0)
    assert f'"pushed": {len(mine)}' in first.stdout
    server_ids = _journal_ids(url)
    assert all(server_ids.count(i) == 1 for i in mine)
    assert _dump(url) == _dump(laptop)
    with Desk.open(url) as server:
        shown = {r.ref for r in register.list_recommendations(server)}
    assert set(touched) <= shown
    again = cli("sync", "--json", db=laptop, check_rc=0)
    assert '"pushed": 0' in again.stdout and '"pulled": 0' in again.stdout
    assert sorted(_journal_ids(url)) == sorted(server_ids)
    with Desk.open(laptop) as desk:
        assert sync.pending_count(desk) == 0


@pytest.mark.parametrize("cut", [0, 1, 3])
def test_a_push_cut_off_and_run_again_gives_the_same_result(team, tmp_path, cut):
    url, seed = team
    laptop = tmp_path / "laptop.sqlite3"
    sync.checkout(url, laptop)
    _offline_work(laptop, tmp_path / "offline", seed + cut)
    with Desk.open(laptop) as desk, Desk.open(url) as server:
        assert sync.push(desk, server, limit=cut) == cut  # cut off after `cut` rows
        assert sync.push(desk, server, limit=cut) == 0  # those again: nothing twice
    with Desk.open(laptop) as desk:
        sync.sync(desk)
        sync.sync(desk)
    assert _dump(url) == _dump(laptop)
    ids = _journal_ids(url)
    assert len(ids) == len(set(ids)) == len(_journal_ids(laptop))


def test_pull_brings_the_servers_changes_down_deletions_included(team, tmp_path):
    url, seed = team
    laptop = tmp_path / "laptop.sqlite3"
    sync.checkout(url, laptop)
    _offline_work(laptop, tmp_path / "offline", seed)
    with Desk.open(url) as server:  # a colleague works on the server meanwhile
        made = dt.date(2025, 9, 1) + dt.timedelta(days=seed)
        added = register.add_recommendation(server, "Added at the office", theme="T", made=made).ref
        gone = register.add_recommendation(server, "Added then taken out", theme="T", made=made).ref
        register.remove_recommendation(server, gone)
        some = [r.ref for r in register.list_recommendations(server)][seed]
        register.change_status(server, some, Status.CLOSED_NOT_ACCEPTED, "Refused by the Met")
    with Desk.open(laptop) as desk:
        done = sync.sync(desk)
        assert done.pulled == 4 and done.pushed >= 5
        refs = {r.ref: r for r in register.list_recommendations(desk)}
        assert added in refs and gone not in refs
        assert register.get_recommendation(desk, some).status == Status.CLOSED_NOT_ACCEPTED
    assert _dump(url) == _dump(laptop)
    with Desk.open(laptop) as desk, desk.reading() as session:
        top = max(session.scalars(select(Operation.seq)))
        assert sync.origin(desk).local_seq == top
        assert sync.pending_count(desk) == 0
    with Desk.open(laptop) as desk:
        assert sync.sync(desk).pulled == 0


def _set_server_revision(url_db: str, revision: str) -> None:
    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=url_db, autocommit=True
    ) as conn:
        conn.execute("UPDATE alembic_version SET version_num = %s", (revision,))


@pytest.mark.parametrize("server_revision", ["older", "9999"])
def test_different_schema_revisions_are_refused_with_neither_side_changed(
    team, tmp_path, run_cli, server_revision
):
    url, seed = team
    laptop = tmp_path / "laptop.sqlite3"
    sync.checkout(url, laptop)
    _offline_work(laptop, tmp_path / "offline", seed)
    revision = storage.EARLIER_REVISIONS[-1] if server_revision == "older" else server_revision
    _set_server_revision(make_url(url).database, revision)
    laptop_before = laptop.read_bytes()
    out = run_cli("sync", db=laptop)
    assert out.returncode == 2, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert f"at schema {revision}" in out.stderr and "nothing was synced" in out.stderr
    assert ("team init" in out.stderr) == (server_revision == "older")
    assert laptop.read_bytes() == laptop_before
    _set_server_revision(make_url(url).database, storage.HEAD_REVISION)
    assert not set(_journal_ids(laptop)) <= set(_journal_ids(url))  # nothing was pushed


_records = sync_support.records


@pytest.mark.parametrize("keep", ["mine", "theirs", "TEXT"])
def test_a_field_both_sides_changed_keeps_the_servers_value_and_is_a_conflict(
    team, tmp_path, cli, keep
):
    url, seed = team
    laptop = tmp_path / "laptop.sqlite3"
    sync.checkout(url, laptop)
    rng = random.Random(seed * 7 + len(keep))
    with Desk.open(laptop) as desk:
        refs = [r.ref for r in register.list_recommendations(desk)]
    ref, other = rng.sample(refs, 2)
    mine_text = "Mine: " + " ".join(rng.sample(WORDS, 6))
    theirs_text = "Theirs: " + " ".join(rng.sample(WORDS, 6))
    with Desk.open(laptop) as desk:  # offline: the notes and the addressee of one, another's notes
        register.edit_recommendation(desk, ref, notes=mine_text, addressee="Laptop addressee")
        register.edit_recommendation(desk, other, notes="same on both")
    with Desk.open(url) as server:  # meanwhile at the office: the same notes, differently
        register.edit_recommendation(server, ref, notes=theirs_text)
        register.edit_recommendation(server, other, notes="same on both")
    cli("sync", db=laptop, check_rc=0)
    with Desk.open(url) as server:
        shown = register.get_recommendation(server, ref)
        assert shown.notes == theirs_text  # the server's value stays
        assert shown.addressee == "Laptop addressee"  # the field only the laptop changed arrives
    assert _records(url) == _records(laptop)
    listed = json.loads(cli("conflicts", "--json", db=laptop, check_rc=0).stdout)
    assert [(c["ref"], c["field"], c["mine"], c["theirs"]) for c in listed] == [
        (ref, "notes", mine_text, theirs_text)
    ]  # the same value written on both sides is no conflict
    cli("sync", db=laptop, check_rc=0)  # a second sync finds nothing new
    assert len(json.loads(cli("conflicts", "--json", db=laptop).stdout)) == 1
    chosen = {"mine": mine_text, "theirs": theirs_text, "TEXT": "Merged: both"}[keep]
    out = cli(
        "resolve", listed[0]["id"][:8], "--keep", chosen if keep == "TEXT" else keep, db=laptop
    )
    assert out.returncode == 0, out.stderr
    assert ref in out.stdout
    assert json.loads(cli("conflicts", "--json", db=laptop).stdout) == []
    cli("sync", db=laptop, check_rc=0)  # the resolution is an ordinary edit: it goes up
    with Desk.open(url) as server:
        assert register.get_recommendation(server, ref).notes == chosen
    assert _records(url) == _records(laptop)
    again = cli("resolve", listed[0]["id"][:8], "--keep", "mine", db=laptop)
    assert again.returncode == 2 and "settled already" in again.stderr


@pytest.mark.parametrize("same", [False, True])
def test_status_changes_on_both_sides_are_both_kept_and_the_status_follows_the_merged_history(
    team, tmp_path, same
):
    url, seed = team
    laptop = tmp_path / "laptop.sqlite3"
    sync.checkout(url, laptop)
    with Desk.open(laptop) as desk:
        refs = [r.ref for r in register.list_recommendations(desk) if r.status.is_open]
    ref = random.Random(seed).choice(refs)
    mine = Status.CLOSED_IMPLEMENTED
    theirs = mine if same else Status.FOLLOW_UP_NEEDED
    with Desk.open(laptop) as desk:  # offline first
        register.change_status(desk, ref, mine, "Seen done on a visit")
    with Desk.open(url) as server:  # then a colleague at the office
        register.change_status(server, ref, theirs, "The Met's letter")
    with Desk.open(laptop) as desk:
        sync.sync(desk)
    for db in (url, laptop):
        with Desk.open(db) as desk:
            history = register.history(desk, ref)
            notes = [h.note for h in history]
            assert notes.count("Seen done on a visit") == 1 and notes.count("The Met's letter") == 1
            latest = max(history, key=lambda h: (h.changed_at, h.id.hex))
            assert register.get_recommendation(desk, ref).status == latest.to_status == theirs
    assert _records(url) == _records(laptop)


def test_an_undo_on_the_laptop_of_what_a_colleague_has_since_changed_is_refused_at_sync(
    team, tmp_path, cli
):
    url, seed = team
    laptop = tmp_path / "laptop.sqlite3"
    sync.checkout(url, laptop)
    with Desk.open(laptop) as desk:
        ref = random.Random(seed).choice([r.ref for r in register.list_recommendations(desk)])
        register.edit_recommendation(desk, ref, notes=f"laptop notes {seed}")
        sync.sync(desk)
    with Desk.open(url) as server:  # a colleague works on it since
        register.edit_recommendation(server, ref, notes=f"colleague's notes {seed}")
    with Desk.open(laptop) as desk:  # offline, not having seen it, the clerk undoes their edit
        undo.undo(desk)
    before = _dump(url)
    out = cli("sync", db=laptop)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "was refused" in out.stderr and "Traceback" not in out.stderr
    assert _dump(url) == before  # the colleague's notes stay
    with Desk.open(url) as server:
        assert register.get_recommendation(server, ref).notes == f"colleague's notes {seed}"


def test_two_laptops_and_the_server_end_with_the_same_records(team, tmp_path):
    url, seed = team
    laptops = [tmp_path / f"laptop-{n}.sqlite3" for n in (1, 2)]
    for laptop in laptops:
        sync.checkout(url, laptop)
    made = []
    for n, laptop in enumerate(laptops):
        before = set(_journal_ids(laptop))
        _offline_work(laptop, tmp_path / f"offline-{n}", seed * 10 + n * 3, themes=f" {n}")
        made += [i for i in _journal_ids(laptop) if i not in before]
    with Desk.open(url) as server:  # and the office meanwhile
        some = [r.ref for r in register.list_recommendations(server)][seed + 2]
        register.change_status(server, some, Status.FOLLOW_UP_NEEDED, "At the office")
    for laptop in [*laptops, laptops[0]]:  # the first again, to bring the second's work down
        with Desk.open(laptop) as desk:
            sync.sync(desk)
    ids = _journal_ids(url)
    assert len(ids) == len(set(ids)) and set(made) <= set(ids)  # every change once on the server
    for laptop in laptops:
        assert set(_journal_ids(laptop)) == set(ids)
        assert _records(laptop) == _records(url)


def test_a_theme_of_the_same_name_made_on_two_laptops_ends_as_one(team, tmp_path):
    url, seed = team
    laptops = [tmp_path / f"laptop-{n}.sqlite3" for n in (1, 2)]
    for laptop in laptops:
        sync.checkout(url, laptop)
    for n, laptop in enumerate(laptops):
        _offline_work(laptop, tmp_path / f"offline-{n}", seed * 10 + n * 3)  # both make "Trust"
    for laptop in [*laptops, laptops[0]]:
        with Desk.open(laptop) as desk:
            sync.sync(desk)
    for laptop in laptops:
        assert _records(laptop) == _records(url)
