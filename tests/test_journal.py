"""The operations journal: one row per change, written in the change's own transaction; rows that
another register can apply by id (the same records made), and applying a row twice does nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support.originals import copy_kept_files
from support.transcript_samples import la_text, write_la_txt
from support.undo_samples import generated_letter, variants

from pcc_desk.errors import Conflict, InvalidInput
from pcc_desk.model import Operation, OperationKind, Position, Recommendation, RecordKind, Status
from pcc_desk.services import (
    Desk,
    journal,
    letter_import,
    quotes,
    register,
    settings,
    transcripts,
    undo,
)

K = OperationKind
MADE = dt.date(2022, 11, 1)
# a laptop's file and a team register; the journal of either applies to a laptop's file
pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _rows(desk) -> list[journal.OperationRecord]:
    with desk.reading() as session:
        return [
            journal.record(r) for r in session.scalars(select(Operation).order_by(Operation.seq))
        ]


def _count(desk, model) -> int:
    with desk.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def world(desk, tmp_path):
    """A register with a transcript, an imported letter and two recommendations added by hand."""
    transcript = transcripts.import_transcript(desk, write_la_txt(tmp_path)).transcript
    letter, _ = generated_letter(tmp_path, 5)
    imported = letter_import.commit(desk, letter_import.preview(desk, letter))
    a, b = (
        register.add_recommendation(desk, v.text, theme=v.theme, made=MADE).ref
        for v in variants(12)[:2]
    )
    quote = quotes.create_quote(desk, transcript.id, "We will rebuild trust", refs=[a])
    return {
        "desk": desk,
        "transcript": transcript,
        "letter": imported,
        "a": a,
        "b": b,
        "quote": quote,
        "tmp": tmp_path,
    }


def _another_transcript(folder: Path) -> Path:
    path = folder / "pcc-transcript-2022-10-12-item-6.txt"
    path.write_text(la_text().replace("Good morning", "Good afternoon"), encoding="utf-8")
    return path


# Each writing service, called on the world above, and the kind of row it must leave.
CALLS = {
    "add": (K.ADD_RECOMMENDATION, lambda w: register.add_recommendation(w["desk"], "New ask")),
    "edit": (
        K.EDIT_RECOMMENDATION,
        lambda w: register.edit_recommendation(w["desk"], w["a"], notes="Chased"),
    ),
    "status": (
        K.CHANGE_STATUS,
        lambda w: register.change_status(w["desk"], w["a"], Status.SUPERSEDED, "Overtaken"),
    ),
    "due": (
        K.REVISE_DUE,
        lambda w: register.revise_due(w["desk"], w["a"], dt.date(2030, 1, 1), "Later"),
    ),
    "respond": (
        K.LOG_RESPONSE,
        lambda w: register.log_response(
            w["desk"], w["a"], received=MADE, position=Position.ACCEPTED, text="Yes."
        ),
    ),
    "remove a response": (
        K.REMOVE_RESPONSE,
        lambda w: register.remove_response(
            w["desk"],
            register.log_response(
                w["desk"], w["b"], received=MADE, position=Position.ACCEPTED, text="Yes."
            ).id,
        ),
    ),
    "remove a recommendation": (
        K.REMOVE_RECOMMENDATION,
        lambda w: register.remove_recommendation(w["desk"], w["b"]),
    ),
    "quote words": (
        K.QUOTE,
        lambda w: quotes.create_quote(
            w["desk"], w["transcript"].id, "publish the data on stop and search", refs=[w["b"]]
        ),
    ),
    "quote a selection": (
        K.QUOTE,
        lambda w: quotes.quote_span(
            w["desk"],
            transcripts.get_transcript(w["desk"], w["transcript"].id).segments[1].id,
            0,
            9,
        ),
    ),
    "attach": (
        K.ATTACH_QUOTE,
        lambda w: quotes.attach_quote(w["desk"], w["quote"].id, [w["b"]]),
    ),
    "detach": (
        K.DETACH_QUOTE,
        lambda w: quotes.detach_quote(w["desk"], w["quote"].id, [w["a"]]),
    ),
    "delete a quote": (
        K.DELETE_QUOTE,
        lambda w: quotes.delete_quote(w["desk"], w["quote"].id, force=True),
    ),
    "import a letter": (
        K.IMPORT_LETTER,
        lambda w: letter_import.commit(
            w["desk"], letter_import.preview(w["desk"], generated_letter(w["tmp"], 6)[0])
        ),
    ),
    "take an import out": (
        K.REMOVE_IMPORT,
        lambda w: letter_import.undo_import(w["desk"], w["letter"].document_id),
    ),
    "import a transcript": (
        K.IMPORT_TRANSCRIPT,
        lambda w: transcripts.import_transcript(w["desk"], _another_transcript(w["tmp"])),
    ),
    "delete a transcript": (
        K.DELETE_TRANSCRIPT,
        lambda w: transcripts.delete_transcript(w["desk"], w["transcript"].id, force=True),
    ),
    "settings": (
        K.SAVE_SETTINGS,
        lambda w: settings.update_settings(w["desk"], {"chair": "A. Chair AM"}),
    ),
    "wording": (
        K.SAVE_SETTINGS,
        lambda w: settings.set_wording(
            w["desk"], "closing", "With thanks for your attention to this."
        ),
    ),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_every_writing_service_writes_one_row_naming_what_it_touched(world, name):
    kind, call = CALLS[name]
    desk = world["desk"]
    before = _rows(desk)
    if name == "remove a response":  # its set-up logs a response first: one row of its own
        before = [*before, None]
    call(world)
    rows = _rows(desk)
    assert len(rows) == len(before) + 1
    row = rows[-1]
    assert row.kind == kind and row.actor == desk.user and row.summary
    assert row.records and all(
        e["role"] in ("created", "changed", "removed", "used") for e in row.records
    )
    assert row.at <= journal.utcnow() and row.seq == rows[-2].seq + 1


@pytest.mark.parametrize("name", ["add", "edit", "status", "respond", "attach", "import a letter"])
def test_a_change_and_its_journal_row_are_one_transaction(world, name, monkeypatch):
    _kind, call = CALLS[name]
    desk = world["desk"]
    db = desk.location.path or desk
    before = _snapshot(db)

    def broken(session, op):
        session.flush()  # the change is flushed: only the commit can keep it
        raise OSError("disk full")

    monkeypatch.setattr(journal, "write", broken)
    with pytest.raises(OSError):
        call(world)
    assert _snapshot(db) == before


def test_a_refused_change_writes_no_row(world):
    desk = world["desk"]
    before = _rows(desk)
    with pytest.raises(InvalidInput):
        register.change_status(desk, world["a"], Status.AWAITING_RESPONSE, "No change")
    assert _rows(desk) == before


def test_quoting_words_already_quoted_for_the_same_recommendation_writes_no_row(world):
    desk = world["desk"]
    before = len(_rows(desk))
    again = quotes.create_quote(
        desk, world["transcript"].id, "We will rebuild trust", refs=[world["a"]]
    )
    assert again.id == world["quote"].id and len(_rows(desk)) == before


def test_undo_and_redo_rows_point_at_what_they_concern(world):
    desk = world["desk"]
    register.change_status(desk, world["b"], Status.SUPERSEDED, "Overtaken")
    (undone,) = undo.undo(desk)
    (redone,) = undo.redo(desk)
    change = undone.target
    assert change.kind == K.CHANGE_STATUS and undone.operation.undoes == change.id
    assert redone.operation.undoes == undone.operation.id and redone.target.id == change.id
    kinds = [(r.kind, r.state) for r in undo.recent(desk, limit=3)]
    assert kinds == [(K.REDO, "redo"), (K.UNDO, "redone"), (K.CHANGE_STATUS, "done")]


# --- applying rows on another register ---------------------------------------------------------------

_NOT_COMPARED = {"created_at", "updated_at"}


def _snapshot(db) -> dict[str, list[tuple]]:
    """Every table's rows (creation and update times left out: they say when a register wrote the
    row, not what it holds), sorted; read through the model's tables, so that a laptop's file and a
    team register compare value for value. ``db``: a register file or a Desk."""
    from sqlalchemy import create_engine

    from pcc_desk.model import Base

    engine = db.engine if isinstance(db, Desk) else create_engine(f"sqlite:///{db}")
    try:
        out = {}
        with engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                keep = [c for c in table.columns if c.name not in _NOT_COMPARED]
                rows = [tuple(r) for r in conn.execute(select(*keep))]
                out[table.name] = sorted(rows, key=repr)
        return out
    finally:
        if not isinstance(db, Desk):
            engine.dispose()


def _busy_day(world) -> None:
    """Every kind of change, some undone, some redone."""
    desk, a, b = world["desk"], world["a"], world["b"]
    register.edit_recommendation(desk, a, text="Reworded ask", theme="A theme typed here")
    register.change_status(desk, b, Status.FOLLOW_UP_NEEDED, "Chase")
    register.revise_due(desk, b, dt.date(2031, 3, 31), "Extension")
    register.log_response(
        desk, a, received=MADE, position=Position.PARTLY_ACCEPTED, text="We will consider it."
    )
    quotes.attach_quote(desk, world["quote"].id, [b])
    settings.update_settings(desk, {"clerk_name": "A. Clerk"})
    undo.undo(desk)  # the settings
    undo.undo(desk)  # the attachment
    undo.redo(desk)  # the attachment again
    quotes.create_quote(desk, world["transcript"].id, "I promised Londoners", refs=[b])
    letter = world["letter"].operation_id
    undo.undo(desk, [letter])  # the letter's import out and back in: the same records again
    undo.redo(desk, [letter])
    undo.undo(desk, [letter])


def test_another_register_applying_the_journal_makes_the_very_same_records(
    world, tmp_path, template_db
):
    desk = world["desk"]
    _busy_day(world)
    entries = undo.export(desk)
    other_db = tmp_path / "laptop-2" / "register.sqlite3"
    other_db.parent.mkdir()
    shutil.copyfile(template_db, other_db)
    with Desk.open(other_db) as other:
        # the imported files travel with the journal (content-addressed copies)
        copy_kept_files(desk, other)
        assert [undo.apply(other, entry) for entry in entries] == [True] * len(entries)
    assert _snapshot(other_db) == _snapshot(desk)


def test_applying_a_row_already_in_the_journal_does_nothing(world, tmp_path, template_db):
    desk = world["desk"]
    _busy_day(world)
    entries = undo.export(desk)
    before = _snapshot(desk)
    assert [undo.apply(desk, entry) for entry in entries] == [False] * len(entries)
    assert _snapshot(desk) == before

    other_db = tmp_path / "laptop-3.sqlite3"
    shutil.copyfile(template_db, other_db)
    with Desk.open(other_db) as other:
        copy_kept_files(desk, other)
        for entry in entries:
            undo.apply(other, entry)
        once = _snapshot(other_db)
        assert not any(undo.apply(other, entry) for entry in reversed(entries))  # any order
        assert _snapshot(other_db) == once
        assert _count(other, Recommendation) == _count(desk, Recommendation)


def _stored_with_journal() -> list[str]:
    folder = Path(__file__).parent / "fixtures" / "db"
    found = []
    for path in sorted(folder.glob("register-*.sqlite3")):
        conn = sqlite3.connect(path)
        try:
            tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
        if "journal" in tables:
            found.append(path.name)
    return found


@pytest.mark.parametrize("fixture", _stored_with_journal())
def test_a_stored_registers_journal_survives_the_upgrade_and_still_undoes(tmp_path, fixture):
    path = tmp_path / fixture
    shutil.copyfile(Path(__file__).parent / "fixtures" / "db" / fixture, path)
    with Desk.open(path) as desk:
        rows = undo.recent(desk, everyone=True)
        assert [r.kind for r in rows] == [
            K.LOG_RESPONSE,
            K.ADD_RECOMMENDATION,
            K.ADD_RECOMMENDATION,
        ]
        desk.user = rows[0].actor  # whoever made the fixture
        (outcome,) = undo.undo(desk)
        assert outcome.target.id == rows[0].id
        detail = register.get_recommendation(desk, "PCC-2023-03-17/01")
        assert detail.responses == () and detail.status is Status.AWAITING_RESPONSE


def test_detaching_and_deleting_a_quote_are_undone_with_the_same_quote_and_links(world):
    desk, a, b = world["desk"], world["a"], world["b"]
    quote = world["quote"]
    quotes.attach_quote(desk, quote.id, [b])
    quotes.detach_quote(desk, quote.id, [a])
    undo.undo(desk)
    assert {r for _q, refs in quotes.list_quotes(desk) for r in refs} == {a, b}
    quotes.delete_quote(desk, quote.id, force=True)
    assert quotes.list_quotes(desk) == []
    (outcome,) = undo.undo(desk)
    assert set(outcome.refs) == {a, b}
    ((back, refs),) = quotes.list_quotes(desk)
    assert back == quote and set(refs) == {a, b}  # the same id, words, turn and citation
    undo.redo(desk)
    assert quotes.list_quotes(desk) == []


def test_a_change_of_the_committees_details_is_undone_and_redone(world):
    desk = world["desk"]
    before = settings.get_settings(desk)
    settings.update_settings(desk, {"chair": "Léonie Ní Bhriain AM", "default_cc": "A; B"})
    settings.set_wording(desk, "closing", "With thanks – the Committee.")
    undo.undo(desk)
    assert settings.get_settings(desk).wording == before.wording
    undo.undo(desk)
    assert settings.get_settings(desk) == before
    undo.redo(desk)
    assert settings.get_settings(desk).chair == "Léonie Ní Bhriain AM"
    assert settings.get_settings(desk).default_cc == ("A", "B")


def test_undo_of_an_addition_is_refused_once_a_colleague_quoted_it(world):
    desk = world["desk"]
    added = register.add_recommendation(desk, "Report on the vetting backlog", made=MADE).ref
    with Desk.open(desk.location) as colleague:
        colleague.user = "bob"
        quotes.create_quote(colleague, world["transcript"].id, "I promised Londoners", refs=[added])
    with pytest.raises(Conflict) as refused:
        undo.undo(desk)
    assert str(refused.value) == f"{added} has 1 quote(s) attached; it was not removed."
    assert register.get_recommendation(desk, added).quotes


def test_a_row_of_a_kind_this_version_does_not_know_is_refused_in_one_line(desk):
    entry = {
        "id": "0f9b1c3e-52d4-4c4e-9d7e-3a1f00000001",
        "at": "2031-05-02T10:00:00",
        "actor": "bob",
        "kind": "merge-registers",
        "payload": {},
        "records": [],
    }
    with pytest.raises(InvalidInput, match="'merge-registers' is a kind of change"):
        undo.apply(desk, entry)
    assert undo.export(desk) == []


def test_a_record_noted_again_merges_into_its_entry_also_after_a_replayed_list():
    """Noting a record a second time in the same role merges (the first version kept, fields joined,
    no fields = every field), in a list set whole (as a sync replays another register's) too."""
    ids = [uuid.uuid4() for _ in range(300)]
    op = journal.pending(OperationKind.EDIT_RECOMMENDATION, {}, "clerk")
    for n, ident in enumerate(ids):
        op.changed(RecordKind.RECOMMENDATION, ident, ["text"], version=n)
    for n, ident in enumerate(ids):
        op.changed(RecordKind.RECOMMENDATION, ident, ["due"], version=1000 + n)
        op.used(RecordKind.RECOMMENDATION, ident)
    assert len(op.records) == 600
    first = op.records[0]
    assert first == {
        "kind": "recommendation",
        "id": str(ids[0]),
        "role": "changed",
        "fields": ["due", "text"],
        "version": 0,
    }
    assert [e["role"] for e in op.records[:2]] == ["changed", "changed"]
    replayed = journal.pending(OperationKind.EDIT_RECOMMENDATION, {}, "clerk")
    replayed.records = [dict(e) for e in op.records]
    replayed.changed(RecordKind.RECOMMENDATION, ids[5])  # every field
    replayed.removed(RecordKind.RECOMMENDATION, ids[5])
    assert len(replayed.records) == 601
    assert "fields" not in replayed.records[5] and replayed.records[5]["version"] == 5
    assert replayed.records[-1]["role"] == "removed"
