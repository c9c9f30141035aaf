"""What the desktop reads of a laptop copy (``pcc_desk.services.offline``), on a real PostgreSQL and
real laptop files: a plain file and the team register are no laptop copy; a copy counts its changes
not yet sent and its conflicts; a sync through it says how many conflicts it found; the copy's
progress is reported as it goes, and stopping it from the progress leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from support.undo_samples import WORDS

from pcc_desk.errors import Cancelled, Conflict
from pcc_desk.services import Desk, offline, register, sync

pytestmark = pytest.mark.backends("postgresql")


@pytest.fixture(params=[2, 9])
def team(request, pg_register):
    rng = random.Random(request.param)
    with Desk.open(pg_register) as server:
        refs = [
            register.add_recommendation(
                server,
                "The Met should " + " ".join(rng.sample(WORDS, rng.randint(2, 8))),
                theme=rng.choice(["Trust", "Custody"]),
                made=dt.date(2024, 2, 1) + dt.timedelta(days=n),
            ).ref
            for n in range(request.param)
        ]
    return pg_register, refs


def test_a_plain_file_and_the_team_register_are_no_laptop_copy(team, db_path):
    url, _refs = team
    with Desk.open(db_path) as plain:
        assert offline.status(plain) == offline.NOT_A_COPY
        assert offline.team_address(plain) is None
    with Desk.open(url) as server:
        assert offline.status(server) == offline.NOT_A_COPY
        assert offline.team_address(server) == url


def test_a_laptop_copy_counts_what_is_not_yet_sent_and_the_conflicts(team, tmp_path):
    url, refs = team
    laptop = tmp_path / "laptop.sqlite3"
    sync.checkout(url, laptop)
    rng = random.Random(len(refs))
    with Desk.open(laptop) as desk:
        found = offline.status(desk)
        assert found.laptop_copy and found.pending == 0 and found.conflicts == 0
        assert found.host and found.host in url
        assert offline.team_address(desk) == found.server
        changed = rng.sample(refs, 2)
        for n, ref in enumerate(changed, start=1):
            register.edit_recommendation(desk, ref, notes=f"mine {n}")
            assert offline.status(desk).pending == n
    with Desk.open(url) as server:
        register.edit_recommendation(server, changed[0], notes="theirs")
    with Desk.open(laptop) as desk:
        outcome = offline.sync_now(desk)
        assert outcome.new_conflicts == 1 and outcome.conflicts == 1 and outcome.pending == 0
        assert offline.status(desk) == offline.SyncStatus(found.server, found.host, 0, 1)
        again = offline.sync_now(desk)  # the same conflict is not found twice
        assert again.new_conflicts == 0 and again.conflicts == 1
        (conflict,) = sync.conflicts(desk)
        sync.resolve(desk, conflict.id.hex, "mine")
        assert offline.status(desk).pending == 1 and offline.status(desk).conflicts == 0


def test_the_copy_reports_its_progress_and_stops_leaving_nothing(team, tmp_path):
    url, refs = team
    seen: list[tuple[int, int]] = []
    done = sync.checkout(url, tmp_path / "whole.sqlite3", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (done.total, done.total) and done.total > len(refs)
    assert all(t == done.total for _d, t in seen)
    assert [d for d, _t in seen] == sorted({d for d, _t in seen})

    def stop(done_rows: int, _total: int) -> None:
        if done_rows >= len(refs):  # part-way
            raise Cancelled("Cancelled; nothing was saved.")

    folder = tmp_path / "stopped"
    with pytest.raises(Cancelled):
        sync.checkout(url, folder / "laptop.sqlite3", progress=stop)
    assert list(folder.iterdir()) == []  # no copy, no partial file


@pytest.mark.parametrize("unsettled", ["none", "changes", "conflict", "refused"])
def test_a_laptop_copy_with_unsent_work_is_never_replaced(team, tmp_path, unsettled, cli):
    url, refs = team
    laptop = tmp_path / "laptop.sqlite3"
    sync.checkout(url, laptop)
    with Desk.open(laptop) as desk:
        if unsettled != "none":
            register.edit_recommendation(desk, refs[-1], notes="typed on the train")
        if unsettled == "conflict":
            with Desk.open(url) as server:
                register.edit_recommendation(server, refs[-1], notes="typed at the office")
            offline.sync_now(desk)
            assert offline.status(desk).pending == 0
        if unsettled == "refused":  # the office took the ask out meanwhile: the edit is not taken
            with Desk.open(url) as server:
                register.remove_recommendation(server, refs[-1])
            offline.sync_now(desk)
            assert offline.status(desk).pending == 0 and offline.status(desk).not_sent == 1
    before = laptop.read_bytes()
    if unsettled == "none":
        offline.checkout(url, laptop, force=True)  # nothing to lose: replaced
        return
    with pytest.raises(Conflict) as refused:
        offline.checkout(url, laptop, force=True)
    expected = {
        "changes": "1 change(s) not yet synced",
        "conflict": "1 conflict(s) not yet settled",
        "refused": "1 change(s) the team register did not take",
    }[unsettled]
    assert expected in str(refused.value) and "nothing was written" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert laptop.read_bytes() == before
    for command in ("checkout", "download"):  # the command line, through the same door
        out = cli("team", command, url, str(laptop), "--force")
        assert out.returncode == 2 and out.stderr.strip() == f"pcc-desk: {refused.value}"
        assert laptop.read_bytes() == before
    if unsettled == "refused":  # once the clerk has dismissed it, the copy may be replaced
        with Desk.open(laptop) as desk:
            assert sync.dismiss_refusals(desk) == 1
        offline.checkout(url, laptop, force=True)
    assert not offline.unsettled_work(tmp_path / "absent.sqlite3")
    (tmp_path / "notes.txt").write_text("not a register", encoding="utf-8")
    assert not offline.unsettled_work(tmp_path / "notes.txt")


@pytest.mark.parametrize("folder", ["PCC #2", "what?", "100% a%25b"])
def test_a_laptop_copy_in_a_folder_named_with_uri_syntax_syncs_and_is_kept(team, tmp_path, folder):
    """The copy's own reads (its schema revision before a sync, its unsettled work before it is
    written over) open that very file, whatever its folder is called."""
    url, refs = team
    laptop = tmp_path / folder / "laptop.sqlite3"
    sync.checkout(url, laptop)
    with Desk.open(laptop) as desk:
        register.edit_recommendation(desk, refs[-1], notes=f"typed in {folder}")
    assert offline.unsettled_work(laptop) == offline.Unsettled(1)
    before = laptop.read_bytes()
    with pytest.raises(Conflict):
        offline.checkout(url, laptop, force=True)
    assert laptop.read_bytes() == before
    with Desk.open(laptop) as desk:
        assert offline.sync_now(desk).pending == 0  # (the schema check read this copy's revision)
    with Desk.open(url) as server:
        assert register.get_recommendation(server, refs[-1]).notes == f"typed in {folder}"
    assert not offline.unsettled_work(laptop)
