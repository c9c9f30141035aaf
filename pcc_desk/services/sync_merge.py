"""The merging rules of a sync that map records of a laptop onto the server's
(:mod:`pcc_desk.services.sync`; fields are merged in :mod:`pcc_desk.services.sync_fields`):

- records the laptop made that the server already holds under another id are mapped onto the
  server's (:func:`recognise`): a theme of the same name, and a letter or transcript imported there
  first (recognised by its file's SHA-256: the laptop's import is kept in the server's journal as a
  row that adds nothing, pointing at the first import; the laptop's later changes to its records
  land on the first import's records);
- after a push, the laptop takes the server's copy of the records it made (:func:`adopt`): their
  final references (a recommendation added offline is numbered by the server), the ids the server
  holds them under, and their times.

The laptop's records are re-keyed without a journal row: this is the sync's own bookkeeping, the
same records under the server's names, not a clerk's change."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import Table, delete, func, select, text, update
from sqlalchemy.orm import Session

from pcc_desk.model import (
    RECORD_MODELS,
    Base,
    Document,
    Operation,
    OperationKind,
    Recommendation,
    RecordKind,
    Segment,
    StoredFile,
    Theme,
)
from pcc_desk.services import journal, originals, register
from pcc_desk.services.desk import Desk
from pcc_desk.services.sync_state import Origin, add_aliases, read_origin

K = OperationKind
IMPORTS = (K.IMPORT_LETTER, K.IMPORT_TRANSCRIPT)
KEEPING = {k.value for k in (*IMPORTS, K.IMPORT_RESPONSE)}  # kinds read again from the file's bytes
SAME_AS = (
    journal.SAME_AS
)  # in the payload of an import the server recognised: the first import's id
MERGED = "merged"  # the role of the first import's document in such a row


def substitute(entry: dict[str, Any], origin: Origin) -> dict[str, Any]:
    """``entry`` with the laptop's ids of records the server holds under other ids replaced by the
    server's."""
    if not origin.aliases:
        return entry
    raw = json.dumps({k: entry.get(k) for k in ("payload", "records", "replaced")})
    for mine, theirs in origin.aliases.items():
        raw = raw.replace(mine, theirs)
    return {**entry, **json.loads(raw)}


def named_ids(entry: dict[str, Any]) -> set[str]:
    """The ids a row names for itself and the records it made."""
    return {entry["id"], *(str(ident) for _kind, ident in _created(entry))}


def builds_on(entry: dict[str, Any], blocked: set[str]) -> bool:
    """Whether ``entry`` names a row or a record in ``blocked`` (it builds on a refused change)."""
    if not blocked:
        return False
    text = json.dumps({k: entry.get(k) for k in ("payload", "records", "replaced", "undoes")})
    return any(ident in text for ident in blocked)


def numbered_here(entry: dict[str, Any]) -> dict[str, Any]:
    """An addition numbered by the laptop, to be numbered by the server (its final reference)."""
    payload = entry.get("payload") or {}
    if entry.get("kind") != K.ADD_RECOMMENDATION.value or not payload.get(register.NUMBERED):
        return entry
    return {**entry, "payload": {**payload, register.RENUMBER: True}}


def numbers(entry: dict[str, Any]) -> bool:
    """Whether applying ``entry`` gives references (that the server's copy then overrides)."""
    if entry.get("kind") == K.ADD_RECOMMENDATION.value:  # it carries the server's reference
        return False
    return any(kind == RecordKind.RECOMMENDATION for kind, _ in _created(entry))


def made(entry: dict[str, Any], kind: RecordKind) -> set[uuid.UUID]:
    """The ids of the records of ``kind`` that ``entry`` made."""
    return {ident for k, ident in _created(entry) if k == kind}


def _created(entry: dict[str, Any]) -> list[tuple[RecordKind, uuid.UUID]]:
    out = []
    for e in entry.get("records") or ():
        if e.get("role") != journal.CREATED:
            continue
        kind = RecordKind(e["kind"])
        if kind in RECORD_MODELS:
            out.append((kind, uuid.UUID(e["id"])))
    return out


def _first_import(session: Session, document_id: uuid.UUID) -> Operation | None:
    key = str(document_id)
    for row in session.scalars(
        select(Operation).where(Operation.kind.in_(IMPORTS)).order_by(Operation.seq)
    ):
        if any(e.get("id") == key and e.get("role") == journal.CREATED for e in row.records or ()):
            return row
    return None


def duplicate_import(server: Desk, entry: dict[str, Any]) -> dict[str, Any] | None:
    """The row to keep on the server instead of ``entry`` when it imports a file the server holds
    already under another document (imported on another laptop, or at the office): a row that adds
    nothing and names the first import. None when ``entry`` is to be applied as it is."""
    if entry.get("kind") not in {k.value for k in IMPORTS} or entry.get("undoes"):
        return None
    sha = (entry.get("payload") or {}).get("sha256")
    mine = [ident for kind, ident in _created(entry) if kind == RecordKind.DOCUMENT]
    if not sha or not mine:
        return None
    with server.reading() as session:
        if session.get(Operation, journal.uid(entry["id"])) is not None:
            return None  # applied (or recognised) already: skipped by id
        doc = session.scalars(select(Document).where(Document.sha256 == sha)).first()
        if doc is None or doc.id == mine[0]:
            return None
        first = _first_import(session, doc.id)
    name = (entry.get("payload") or {}).get("file_name") or "the file"
    return {
        **entry,
        "payload": {**entry["payload"], SAME_AS: str(first.id) if first else None},
        "records": [{"kind": RecordKind.DOCUMENT.value, "id": str(doc.id), "role": MERGED}],
        "replaced": {},
        "summary": f"Import {name} (imported already on the team register: the same records)",
    }


def carry_original(source: Desk, target: Desk, entry: dict[str, Any]) -> None:
    """The bytes of the file an import read, kept by ``source``, kept by ``target`` too before the
    import is applied there (it is read again from them): content-addressed, so at most once."""
    p = entry.get("payload") or {}
    sha = p.get("sha256")
    if not sha or entry.get("kind") not in KEEPING:
        return
    with target.reading() as session:
        if originals.is_kept(session, sha):
            return
    with source.reading() as session:
        content = originals.kept_bytes(session, source.location, sha, p.get("stored_path"))
        kept_at = session.scalar(select(StoredFile.created_at).where(StoredFile.sha256 == sha))
    if content is not None:
        with target.transaction() as session:
            originals.keep_bytes(session, content, sha)
            _kept_at(session, sha, kept_at)


def _kept_at(session: Session, sha: str, at: dt.datetime | None) -> None:
    """The kept copy of a file noted as kept when the other side kept it (the same row on both)."""
    if at is not None:
        session.execute(update(StoredFile).where(StoredFile.sha256 == sha).values(created_at=at))


def record_only(desk: Desk, entry: dict[str, Any]) -> bool:
    """Keep ``entry`` in ``desk``'s journal without applying it (what it made is there already).
    False when its id is there already."""
    with desk.transaction() as session:
        op_id = journal.uid(entry["id"])
        if session.get(Operation, op_id) is not None:
            return False
        op = journal.Pending(
            OperationKind(entry["kind"]),
            entry.get("payload") or {},
            actor=entry.get("actor", ""),
            op_id=op_id,
            at=dt.datetime.fromisoformat(entry["at"]) if entry.get("at") else None,
            summary=entry.get("summary") or "",
        )
        op.records = list(entry.get("records") or ())
        op.replaced = dict(entry.get("replaced") or {})
        journal.write(session, op)
    return True


def here_already(desk: Desk, entry: dict[str, Any]) -> bool:
    """A row pulled from the server whose records the laptop holds already: an import the server
    recognised as one it had, or the first import of a file whose records this laptop took over."""
    if entry.get("kind") not in {k.value for k in IMPORTS} or entry.get("undoes"):
        return False
    if SAME_AS in (entry.get("payload") or {}):
        return True
    docs = [ident for kind, ident in _created(entry) if kind == RecordKind.DOCUMENT]
    with desk.reading() as session:
        return bool(docs) and session.get(Document, docs[0]) is not None


def recognise(laptop: Desk, server: Desk, entry: dict[str, Any]) -> None:
    """After ``entry`` (the laptop's, ids as the laptop holds them) is on the server: remember which
    of the records it made the server holds under other ids (see the module)."""
    made = _created(entry)
    if not made:
        return
    found: list[tuple[uuid.UUID, uuid.UUID]] = []
    with server.reading() as session:
        row = session.get(Operation, journal.uid(entry["id"]))
        first_id = (row.payload or {}).get(SAME_AS) if row is not None else None
        first = session.get(Operation, journal.uid(first_id)) if first_id else None
        theirs: dict[RecordKind, list[uuid.UUID]] = defaultdict(list)
        for e in first.records if first is not None else ():
            if e.get("role") == journal.CREATED and RecordKind(e["kind"]) in RECORD_MODELS:
                theirs[RecordKind(e["kind"])].append(uuid.UUID(e["id"]))
        missing = [
            (kind, ident) for kind, ident in made if session.get(RECORD_MODELS[kind], ident) is None
        ]
        names: dict[uuid.UUID, str] = {}
        if any(kind == RecordKind.THEME for kind, _ in missing):
            with laptop.reading() as mine:
                for kind, ident in missing:
                    theme = mine.get(Theme, ident) if kind == RecordKind.THEME else None
                    if theme is not None:
                        names[ident] = theme.name
        order: dict[RecordKind, int] = defaultdict(int)
        for kind, ident in made:
            n = order[kind]
            order[kind] += 1
            if (kind, ident) not in missing:
                continue
            if kind == RecordKind.THEME and ident in names:
                same = session.scalars(
                    select(Theme.id).where(func.lower(Theme.name) == names[ident].lower())
                ).first()
                if same is not None:
                    found.append((ident, same))
                    continue
            if n < len(theirs[kind]):
                found.append((ident, theirs[kind][n]))
    gone = {ident for kind, ident in missing if kind == RecordKind.TRANSCRIPT}
    transcripts = [(m, t) for m, t in found if m in gone]
    if transcripts:  # a transcript's turns are named by the transcript's id and their order
        with laptop.reading() as mine:
            for m, t in transcripts:
                for seg_id, ordinal in mine.execute(
                    select(Segment.id, Segment.ordinal).where(Segment.transcript_id == m)
                ):
                    found.append((seg_id, uuid.uuid5(t, f"segment/{ordinal}")))
    if found:
        with laptop.transaction() as session:
            add_aliases(session, found)


def _referring(table: Table) -> list[tuple[Table, Any]]:
    return [
        (other, fk.parent)
        for other in Base.metadata.sorted_tables
        for fk in other.foreign_keys
        if fk.column.table is table and fk.column.name == "id"
    ]


def adopt(
    laptop: Desk, server: Desk, entries: list[dict[str, Any]], *, refs_only: bool = False
) -> None:
    """The laptop takes the server's copy of the records its pushed ``entries`` made (ids as the
    server holds them, final references, times): one transaction, foreign keys checked at its end.
    ``refs_only``: only the references of the recommendations they made (``entries`` pulled from the
    server, whose later rows the pull has yet to apply), and the journal rows."""
    with laptop.reading() as session:
        now = read_origin(session)
    if now is None:
        return
    wanted: list[tuple[Table, uuid.UUID, uuid.UUID]] = []
    segments = Segment.__table__
    assert isinstance(segments, Table)
    for entry in entries:
        for kind, ident in _created(entry):
            table = RECORD_MODELS[kind].__table__
            assert isinstance(table, Table)
            wanted.append((table, ident, now.alias(ident)))
            if kind == RecordKind.TRANSCRIPT and now.alias(ident) != ident:  # and its turns
                with laptop.reading() as session:
                    turns = session.scalars(
                        select(segments.c.id).where(
                            segments.c.transcript_id.in_([ident, now.alias(ident)])
                        )
                    ).all()
                wanted += [(segments, turn, now.alias(turn)) for turn in turns]
    rows: list[tuple[Table, uuid.UUID, dict[str, Any]]] = []
    journal_rows = []
    kept = [
        sha
        for e in entries
        if e.get("kind") in KEEPING and (sha := (e.get("payload") or {}).get("sha256"))
    ]
    with server.reading() as session:
        found_at = select(StoredFile.sha256, StoredFile.created_at)
        kept_at = {
            str(sha): at
            for sha, at in session.execute(found_at.where(StoredFile.sha256.in_(kept))).all()
        }
        ops = Operation.__table__
        assert isinstance(ops, Table)
        for entry in entries:  # the rows as the server keeps them (a final reference, ...)
            found = (
                session.execute(select(ops).where(ops.c.id == journal.uid(entry["id"])))
                .mappings()
                .first()
            )
            if found is not None:
                journal_rows.append({k: v for k, v in found.items() if k != "seq"})
        for table, mine, theirs in wanted:
            if refs_only and table is not Recommendation.__table__:
                continue
            columns = (table.c.id, table.c.ref) if refs_only else (table,)
            found = session.execute(select(*columns).where(table.c.id == theirs)).mappings().first()
            if found is not None:
                rows.append((table, mine, dict(found)))
    with laptop.transaction() as session:
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        recs = Recommendation.__table__
        for table, mine, _ in rows:  # references may change places: out of each other's way first
            if table is recs:
                session.execute(update(recs).where(recs.c.id == mine).values(ref=f"~{mine.hex}"))
        for table, mine, values in rows:
            if table is recs and "ref" in values:
                make_room(session, values["ref"], {mine, values["id"]})
            _take(session, table, mine, values)
        for sha, at in kept_at.items():
            _kept_at(session, sha, at)
        for values in journal_rows:
            session.execute(update(ops).where(ops.c.id == values["id"]).values(values))


NOT_SYNCED = " (not synced)"


def make_room(session: Session, ref: str, owners: set[uuid.UUID]) -> None:
    """The team register gives ``ref`` to a record the laptop holds another under (one the server
    took out and numbered again, or one of the laptop's it refused): the laptop's other is marked
    as not synced, out of the way (the pull takes it out when the server did)."""
    recs = Recommendation.__table__
    assert isinstance(recs, Table)
    holder = session.execute(select(recs.c.id).where(recs.c.ref == ref)).scalar()
    if holder is not None and holder not in owners:
        session.execute(
            update(recs)
            .where(recs.c.id == holder)
            .values(ref=(ref + NOT_SYNCED)[:64], updated_at=recs.c.updated_at)
        )


def _take(session: Session, table: Table, mine: uuid.UUID, values: dict[str, Any]) -> None:
    theirs = values["id"]
    for fk in table.foreign_keys:  # a record the pull has yet to bring: the next adoption sets it
        value, parent = values.get(fk.parent.name), fk.column
        if (
            value is not None
            and fk.parent.name != "id"
            and session.execute(select(parent).where(parent == value)).first() is None
        ):
            del values[fk.parent.name]

    def here(ident: uuid.UUID) -> bool:
        return session.execute(select(table.c.id).where(table.c.id == ident)).first() is not None

    if not here(mine):
        if not here(theirs):
            return  # taken out on the laptop since: the pull brings the server's side
        mine = theirs  # taken over already (an earlier adoption)
    if theirs != mine:
        for other, column in _referring(table):
            session.execute(update(other).where(column == mine).values({column.name: theirs}))
        if here(theirs):  # both here (the pull brought the server's): one, the server's
            session.execute(delete(table).where(table.c.id == mine))
            mine = theirs
    if "updated_at" in table.c and "updated_at" not in values:  # not a change: its time stays
        values["updated_at"] = table.c.updated_at
    session.execute(update(table).where(table.c.id == mine).values(values))
