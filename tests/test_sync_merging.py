"""The merging rules of a sync that map one laptop's records onto the server's, on a real PostgreSQL
with real laptop files: recommendations added offline carry a provisional reference (marked in lists,
`show`, `--json` and letters) until the server numbers them at the sync, and two laptops numbering
the same date no longer collide; the same letter or transcript imported on two laptops ends once on
the server, the second laptop's later changes to those records landing on the first's."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random

import docx
import pytest
from support.register_dump import busy_register
from support.sync_support import journal_ids, records, sync_all
from support.transcript_samples import UK_TEXT
from support.undo_samples import WORDS, write_letter

from pcc_desk.errors import Conflict
from pcc_desk.model import Document
from pcc_desk.services import (
    Desk,
    journal,
    letter_import,
    letters,
    quotes,
    register,
    sync,
    transcripts,
    undo,
)
from pcc_desk.vocabulary import Assessment, Position, Status

pytestmark = pytest.mark.backends("postgresql")


@pytest.fixture
def team(pg_register, tmp_path):
    """A team register with a busy register's records in it."""
    with Desk.open(pg_register) as desk:
        busy = busy_register(desk, tmp_path / "server-files", 1)
    return pg_register, busy


def _laptops(url, tmp_path, count: int = 2):
    paths = [tmp_path / f"laptop-{n}.sqlite3" for n in range(count)]
    for path in paths:
        sync.checkout(url, path)
    return paths


def _asks(rng: random.Random, count: int) -> list[str]:
    return [
        "the Met should " + " ".join(rng.sample(WORDS, rng.randint(3, 8))) + f" {n}"
        for n in range(count)
    ]


def _ids(db) -> dict:
    with Desk.open(db) as desk:
        return {r.id: r for r in register.list_recommendations(desk)}


@pytest.mark.parametrize("seed", [3, 8])
def test_recommendations_added_offline_are_provisional_until_the_server_numbers_them(
    team, tmp_path, cli, seed
):
    url, busy = team
    rng = random.Random(seed)
    day = dt.date(2026, 7, 1) + dt.timedelta(days=seed)
    laptops = _laptops(url, tmp_path)
    before = set(_ids(url))
    letter = write_letter(tmp_path, f"letter-{seed}.md", day, [("Offline asks", _asks(rng, 2))])
    added: list[list] = []
    for n, laptop in enumerate(laptops):  # both number the same date: the same provisional refs
        with Desk.open(laptop) as desk:
            if n == 0:
                letter_import.commit(desk, letter_import.preview(desk, letter))
            added.append(
                [
                    register.add_recommendation(
                        desk, f"Offline ask {n}.{k} " + rng.choice(WORDS), theme="Trust", made=day
                    )
                    for k in range(rng.randint(1, 3))
                ]
            )
    first = added[0][0]
    with Desk.open(laptops[0]) as desk:  # work on it offline: a response, a quote
        register.log_response(
            desk,
            first.ref,
            received=day,
            position=Position.ACCEPTED,
            assessment=Assessment.ADDRESSED,
            text="Accepted offline",
        )
        quotes.create_quote(desk, busy["transcript"].id, "We will rebuild trust", refs=[first.ref])
    # offline: marked provisional in the list, the detail, --json and a letter
    listed = json.loads(cli("list", "--json", db=laptops[0], check_rc=0).stdout)
    offline = {r["id"] for r in listed if r["id"] not in {str(i) for i in before}}
    assert len(offline) == len(added[0]) + 2  # the additions and the letter's asks
    assert {r["id"] for r in listed if r["provisional"]} == offline
    assert f"{first.ref} (provisional)" in cli("list", db=laptops[0], check_rc=0).stdout
    shown = cli("show", first.ref, db=laptops[0], check_rc=0).stdout
    assert shown.splitlines()[0].startswith(f"{first.ref} (provisional)")
    with Desk.open(laptops[0]) as desk:  # the tracker written from the laptop, Word and CSV
        for fmt in ("docx", "csv"):
            letters.export_tracker(desk, tmp_path / f"tracker.{fmt}")
    cells = [c.text for t in docx.Document(tmp_path / "tracker.docx").tables for c in t._cells]
    rows = list(csv.reader((tmp_path / "tracker.csv").open(encoding="utf-8-sig")))
    for found in (cells, [c for row in rows for c in row]):
        marked = {c.removesuffix(" (provisional)") for c in found if c.endswith("(provisional)")}
        assert marked == {r["ref"] for r in listed if r["provisional"]}
    assert not any(r["provisional"] for r in json.loads(cli("list", "--json", db=url).stdout))

    sync_all(laptops)

    server = _ids(url)
    assert len({r.ref for r in server.values()}) == len(server)  # every reference once
    for n, laptop in enumerate(laptops):
        mine = _ids(laptop)
        assert {i: r.ref for i, r in mine.items()} == {i: r.ref for i, r in server.items()}
        assert not any(r.provisional for r in mine.values())
        for rec in added[n]:
            assert server[rec.id].text == rec.text  # the same record, by its id, final ref
    refs = sorted(server[r.id].ref for batch in added for r in batch)
    assert len(set(refs)) == sum(len(b) for b in added)
    assert all(ref.startswith(register.reference_prefix(day)) for ref in refs)
    final = server[first.id].ref
    for db in (url, *laptops):  # the response and the quote still point at the same record
        with Desk.open(db) as desk:
            detail = register.get_recommendation(desk, final)
            assert detail.id == first.id and not detail.provisional
            assert [r.text for r in detail.responses] == ["Accepted offline"]
            assert [q.text for q in detail.quotes] == ["We will rebuild trust"]
    for laptop in laptops:
        assert records(laptop) == records(url)
        assert set(journal_ids(laptop)) == set(journal_ids(url))


def _transcript(folder, seed: int):
    rng = random.Random(seed)
    words = " ".join(rng.sample(WORDS, 8))
    path = folder / f"evidence-{seed}.txt"
    path.write_text(
        UK_TEXT + f"\nQ13 Chair: One more thing ({seed}).\n\nSir Mark Rowley: We will {words}.\n",
        encoding="utf-8",
    )
    return path, f"We will {words}"


@pytest.mark.parametrize("seed", [1, 4])
def test_the_same_letter_and_transcript_imported_on_two_laptops_end_once_on_the_server(
    team, tmp_path, seed
):
    url, _busy = team
    rng = random.Random(seed)
    laptops = _laptops(url, tmp_path)
    day = dt.date(2026, 3, 2) + dt.timedelta(days=seed * 5)
    asks = _asks(rng, rng.randint(2, 4))
    shared = tmp_path / "shared"
    shared.mkdir()
    letter = write_letter(shared, f"shared-{seed}.md", day, [(f"Shared theme {seed}", asks)])
    evidence, words = _transcript(shared, seed)
    for laptop in laptops:  # each clerk imports the very same two files offline
        with Desk.open(laptop) as desk:
            letter_import.commit(desk, letter_import.preview(desk, letter))
            transcripts.import_transcript(desk, evidence)
    with Desk.open(laptops[0]) as desk:
        first_refs = [r.ref for r in register.list_recommendations(desk) if r.made == day]
        register.edit_recommendation(desk, first_refs[0], notes=f"first laptop {seed}")
    with Desk.open(laptops[1]) as desk:  # the second clerk works on what their import made
        theirs = [r for r in register.list_recommendations(desk) if r.made == day]
        register.change_status(desk, theirs[-1].ref, Status.FOLLOW_UP_NEEDED, f"Chased {seed}")
        register.log_response(
            desk,
            theirs[0].ref,
            received=day,
            position=Position.PARTLY_ACCEPTED,
            assessment=Assessment.PARTLY_ADDRESSED,
            text=f"Second laptop's response {seed}",
        )
        (meeting,) = [t for t in transcripts.list_transcripts(desk) if t.file_name == evidence.name]
        quotes.create_quote(desk, meeting.id, words, refs=[theirs[-1].ref])
        second_ids = [r.id for r in theirs]

    sync_all(laptops)

    with Desk.open(url) as server, server.reading() as session:
        docs = session.query(Document).filter(Document.file_name.in_([letter.name, evidence.name]))
        assert sorted(d.file_name for d in docs) == sorted([letter.name, evidence.name])
    server_recs = [r for r in _ids(url).values() if r.made == day]
    assert sorted(r.text for r in server_recs) == sorted(asks)  # once each
    assert {r.id for r in server_recs}.isdisjoint(second_ids) or len(server_recs) == len(asks)
    with Desk.open(url) as server:
        by_text = {r.text: r for r in server_recs}
        chased = register.get_recommendation(server, by_text[theirs[-1].text].ref)
        assert chased.status == Status.FOLLOW_UP_NEEDED
        assert [q.text for q in chased.quotes] == [words]
        answered = register.get_recommendation(server, by_text[theirs[0].text].ref)
        assert [r.text for r in answered.responses] == [f"Second laptop's response {seed}"]
        noted = register.get_recommendation(server, first_refs[0])
        assert noted.notes == f"first laptop {seed}"
        assert len(transcripts.list_transcripts(server)) == 2
    with Desk.open(laptops[1]) as desk:  # its imports added nothing: undoing them is refused
        merged = [
            r
            for r in undo.recent(desk, limit=100, everyone=True)
            if journal.SAME_AS in (r.payload or {})
        ]
        assert sorted(r.kind.value for r in merged) == ["import-letter", "import-transcript"]
        for row in merged:
            with pytest.raises(Conflict, match="undo its first import"):
                undo.undo(desk, [row.id])
    ids = journal_ids(url)
    assert len(ids) == len(set(ids))
    for laptop in laptops:
        assert records(laptop) == records(url)
        assert set(journal_ids(laptop)) == set(ids)
