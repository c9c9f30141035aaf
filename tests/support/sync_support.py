"""Helpers for the sync tests (a laptop copy and its team register): canonical dumps of a register
without the sync's own bookkeeping, and the journal's ids."""

from __future__ import annotations

from sqlalchemy import select

from pcc_desk import storage
from pcc_desk.model import Operation
from pcc_desk.services import Desk, sync, team_copy
from support.register_dump import canonical


def dump(db, skip: tuple[str, ...] = ()) -> dict:
    """Every record by id, without the sync's own setting and the journal's local numbering (and
    without the columns ``skip``); the laptop's own tables left out."""
    location = storage.resolve_location(db)
    engine = storage.make_engine(location)
    try:
        out = canonical(engine)
    finally:
        engine.dispose()
    for name in team_copy.LOCAL_TABLES:
        del out[name]
    out["settings"] = [r for r in out["settings"] if dict(r)["key"] != sync.SYNC_KEY]
    if skip:
        out = {
            name: sorted((tuple(kv for kv in row if kv[0] not in skip) for row in rows), key=repr)
            for name, rows in out.items()
        }
    out["journal"] = sorted(
        (tuple(kv for kv in row if kv[0] != "seq") for row in out["journal"]), key=repr
    )
    return out


def records(db) -> dict:
    """The records (not the journal), without the two columns whose value depends on the order the
    changes were applied in after a conflict (each side's ``version`` counter and ``updated_at``)."""
    out = dump(db, skip=("version", "updated_at"))
    del out["journal"]
    return out


def journal_ids(db) -> list[str]:
    with Desk.open(db) as desk, desk.reading() as session:
        return [row.hex for row in session.scalars(select(Operation.id))]


def sync_all(laptops) -> None:
    """Each laptop syncs, then the first again (to bring down what the others sent)."""
    for laptop in [*laptops, laptops[0]]:
        with Desk.open(laptop) as desk:
            sync.sync(desk)
