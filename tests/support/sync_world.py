"""A team register and laptop copies made cheaply many times over, for the sync's property, kill and
speed tests: a seeded server database cloned from a template (``CREATE DATABASE ... TEMPLATE``), a
laptop copy checked out once and copied as a file, and the canonical dump the sides are compared by.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sqlite3
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import select

from pcc_desk import storage
from pcc_desk.model import RECORD_MODELS, Operation, Setting
from pcc_desk.services import Desk, quotes, register, sync, team_copy, transcripts
from pcc_desk.vocabulary import Assessment, Position, RecordKind, Status
from support.pg_support import PG_HOST, PG_PORT, PG_USER, pg_url
from support.register_dump import canonical
from support.transcript_samples import write_la_txt
from support.undo_samples import WORDS

# the records the history of a recommendation is made of: added, never merged away
HISTORY_KINDS = (
    RecordKind.STATUS_CHANGE,
    RecordKind.DUE_REVISION,
    RecordKind.RESPONSE,
    RecordKind.DOCUMENT,
    RecordKind.QUOTE,
)
QUOTED = ("We will rebuild trust", "stop and search every month", "concludes this item")
THEMES = ("Trust and confidence", "Vetting and standards", "Neighbourhood policing")


def _admin() -> psycopg.Connection:
    return psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
    )


def clone_database(template: str, name: str) -> str:
    """A fresh copy of the database ``template`` (no one may be connected to it) as ``name``
    (dropped first when it exists): its URL. Far cheaper than migrating and seeding again."""
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return pg_url(name)


def drop_database(name: str) -> None:
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed_team_register(url: str, folder: Path, seed: int, size: int = 6) -> None:
    """A small team register: ``size`` recommendations under three themes, a transcript and a quote
    of it per phrase in :data:`QUOTED`, attached to one recommendation each."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    with Desk.open(url) as desk:
        desk.user = "seed"  # not "office": the office clerk of the tests cannot undo the seed
        made = dt.date(2024, 1, 8) + dt.timedelta(days=rng.randint(0, 300))
        refs = [
            register.add_recommendation(
                desk,
                "The Met should " + " ".join(rng.sample(WORDS, rng.randint(4, 9))),
                theme=THEMES[n % len(THEMES)],
                made=made + dt.timedelta(days=n),
                notes=f"seeded {seed}-{n}",
            ).ref
            for n in range(size)
        ]
        transcript = transcripts.import_transcript(desk, write_la_txt(folder)).transcript
        for n, words in enumerate(QUOTED):
            quotes.create_quote(desk, transcript.id, words, occurrence=1, refs=[refs[n]])


def checkpointed(path: Path) -> Path:
    """Fold the file's write-ahead log in, so that a plain copy of it is the whole register."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    return path


def laptop_copy(template: Path, target: Path) -> Path:
    """A laptop copy (checked out once into ``template``) as a new file ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for old in target.parent.glob(target.name + "*"):
        old.unlink()
    shutil.copyfile(template, target)
    return target


def checkout_template(url: str, path: Path) -> Path:
    sync.checkout(url, path)
    return checkpointed(path)


def records(db, skip: tuple[str, ...] = ("version", "updated_at")) -> dict:
    """Every record by id on either backend, without the journal, the laptop's own tables, the
    sync's own setting and the columns ``skip`` (each side's ``version`` counter and ``updated_at``
    depend on the order the changes were applied in after a conflict)."""
    engine = storage.make_engine(storage.resolve_location(db))
    try:
        out = canonical(engine)
    finally:
        engine.dispose()
    for name in (*team_copy.LOCAL_TABLES, "journal"):
        del out[name]
    out["settings"] = [r for r in out["settings"] if dict(r)["key"] != sync.SYNC_KEY]
    return {
        name: sorted((tuple(kv for kv in row if kv[0] not in skip) for row in rows), key=repr)
        for name, rows in out.items()
    }


def journal_rows(desk: Desk) -> list[Operation]:
    with desk.reading() as session:
        return list(session.scalars(select(Operation).order_by(Operation.seq)))


def history_ids(desk: Desk) -> dict[RecordKind, set]:
    """The ids of the history rows in the register, by kind."""
    with desk.reading() as session:
        return {
            kind: set(session.scalars(select(RECORD_MODELS[kind].id))) for kind in HISTORY_KINDS
        }


def clerks_day(desk: Desk, seed: int, count: int, side: str) -> int:
    """``count`` of a clerk's operations on ``desk`` through the services, chosen by ``seed``: add a
    recommendation, edit a field, change a status, log a response, attach a quote (and on the
    server, ``side`` "office", revise a due date). A laptop's new recommendations get references of
    their own (provisional references are i13-rules' work). Returns how many were made."""
    rng = random.Random(seed)
    quote_ids = sorted(q.id for q, _refs in quotes.list_quotes(desk))
    for n in range(count):
        refs = sorted(r.ref for r in register.list_recommendations(desk))
        ref = rng.choice(refs)
        what = rng.randrange(6 if side == "office" else 5)
        if what == 0:
            register.add_recommendation(
                desk,
                f"The Met should {' '.join(rng.sample(WORDS, 5))} ({side} {n})",
                theme=rng.choice(THEMES),
                made=dt.date(2025, 3, 3) + dt.timedelta(days=rng.randint(0, 200)),
                ref=None if side == "office" else f"OFF-{side}-{seed}-{n}",
            )
        elif what == 1:
            field = rng.choice(("notes", "addressee", "context"))
            register.edit_recommendation(desk, ref, **{field: f"{field} by {side} {seed}-{n}"})
        elif what == 2:
            now = register.get_recommendation(desk, ref).status
            new = rng.choice([s for s in Status if s != now])
            register.change_status(desk, ref, new, f"status by {side} {seed}-{n}")
        elif what == 3:
            register.log_response(
                desk,
                ref,
                received=dt.date(2025, 10, 1) + dt.timedelta(days=rng.randint(0, 60)),
                position=rng.choice(list(Position)),
                assessment=rng.choice(list(Assessment)),
                text=f"Response logged by {side} {seed}-{n}. " + " ".join(rng.sample(WORDS, 6)),
            )
        elif what == 4:
            quotes.attach_quote(desk, rng.choice(quote_ids), [ref])
        else:
            shown = register.get_recommendation(desk, ref)
            new_due = shown.made + dt.timedelta(days=rng.randint(30, 900))
            if new_due != shown.due:
                register.revise_due(desk, ref, new_due, f"due by {side} {seed}-{n}")
    return count


def journal_and_mark(db) -> tuple[list[str], object]:
    """The ids of the journal's rows (sorted) and the sync's own setting (None on the server)."""
    engine = storage.make_engine(storage.resolve_location(db))
    try:
        with engine.connect() as conn:
            ids = sorted(i.hex for i in conn.scalars(select(Operation.id)))
            mark = conn.scalar(select(Setting.value).where(Setting.key == sync.SYNC_KEY))
    finally:
        engine.dispose()
    return ids, mark


def seeded_template(folder: Path, what: str, seed: int) -> tuple[str, str, Path]:
    """A new database ``pcc_sync_<what>_<tag>`` on the tests' server, migrated and seeded (see
    :func:`seed_team_register`), and a laptop checkout of it: (its name, its URL, the laptop's
    file). Drop it with :func:`drop_database`."""
    name = f"pcc_sync_{what}_{uuid.uuid4().hex[:8]}"
    url = clone_database("template1", name)
    storage.migrate(storage.resolve_location(url))
    seed_team_register(url, folder / "seed", seed=seed)
    return name, url, checkout_template(url, folder / f"{name}-laptop.sqlite3")
