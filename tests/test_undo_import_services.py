"""Undoing an addition or a letter import through the services: all of it goes, or (when the clerk
has done something with it since) nothing does."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from letter_fixtures import SAMPLE
from sqlalchemy import func, select

from pcc_desk.errors import Conflict, InvalidInput
from pcc_desk.model import (
    Document,
    Footnote,
    Position,
    Recommendation,
    Status,
    StatusChange,
    Theme,
    recommendation_footnotes,
)
from pcc_desk.services import letter_import, register

# a laptop's file and a team register (PostgreSQL)
pytestmark = pytest.mark.backends("sqlite", "postgresql")

MADE = dt.date(2023, 3, 17)
EVERYTHING = (Document, Footnote, Recommendation, StatusChange, Theme)


def _counts(desk) -> dict[str, int]:
    with desk.reading() as session:
        counts = {
            m.__name__: session.scalar(select(func.count()).select_from(m)) for m in EVERYTHING
        }
        counts["links"] = session.scalar(select(func.count()).select_from(recommendation_footnotes))
        return counts


def _import(desk, tmp_path, name="letter.md"):
    path = tmp_path / name
    shutil.copyfile(SAMPLE, path)
    return letter_import.commit(desk, letter_import.preview(desk, path))


# --- removing a recommendation added by hand -------------------------------------------------------


def test_removing_an_added_recommendation_takes_its_rows_and_its_new_theme_and_frees_the_reference(
    desk,
):
    before = _counts(desk)
    added = register.add_recommendation(
        desk, "Publish the vetting backlog", theme="Vetting", made=MADE
    )
    removed = register.remove_recommendation(desk, added.ref)
    assert removed.ref == added.ref
    assert _counts(desk) == before  # the recommendation, its status row and the theme typed for it
    again = register.add_recommendation(
        desk, "Publish the vetting backlog", theme="Vetting", made=MADE, ref=added.ref
    )
    assert again.ref == added.ref and register.list_themes(desk) == ["Vetting"]


def test_removing_keeps_a_theme_another_recommendation_uses(desk):
    register.add_recommendation(desk, "One", theme="Vetting", made=MADE)
    two = register.add_recommendation(desk, "Two", theme="Vetting", made=MADE).ref
    register.remove_recommendation(desk, two)
    assert register.list_themes(desk) == ["Vetting"]


@pytest.mark.parametrize(
    ("touch", "reason"),
    [
        (
            lambda desk, ref: register.log_response(
                desk, ref, received=dt.date(2023, 4, 1), position=Position.ACCEPTED, text="Yes."
            ),
            "response",
        ),
        (
            lambda desk, ref: register.change_status(desk, ref, Status.SUPERSEDED, "Overtaken"),
            "status",
        ),
        (
            lambda desk, ref: register.revise_due(
                desk, ref, dt.date(2023, 9, 1), "Extension agreed"
            ),
            "due date",
        ),
    ],
)
def test_removing_is_refused_once_something_hangs_on_it(desk, touch, reason):
    ref = register.add_recommendation(desk, "Publish timescales", made=MADE).ref
    touch(desk, ref)
    before = _counts(desk)
    with pytest.raises(Conflict, match=reason):
        register.remove_recommendation(desk, ref)
    assert _counts(desk) == before
    assert register.get_recommendation(desk, ref).ref == ref


def test_removing_an_imported_ask_is_refused(desk, tmp_path):
    _import(desk, tmp_path)
    with pytest.raises(Conflict, match="undo that import"):
        register.remove_recommendation(desk, "PCC-2023-03-17/01")


# --- undoing a letter import --------------------------------------------------------------------------


def test_undoing_an_import_empties_the_register_and_the_same_file_imports_again(desk, tmp_path):
    before = _counts(desk)
    result = _import(desk, tmp_path)
    assert _counts(desk)["Recommendation"] == 22
    undone = letter_import.undo_import(desk, result.document_id)
    assert undone.refs == result.refs and undone.footnotes > 0 and len(undone.themes) == 8
    assert "import undone" in undone.message
    assert (
        _counts(desk) == before
    )  # asks, status rows, footnotes, their links, themes, the document
    preview = letter_import.preview(desk, tmp_path / "letter.md")
    assert preview.duplicate_of is None and not preview.is_reimport
    again = letter_import.commit(desk, preview)
    assert again.outcome == "imported" and again.refs == result.refs


@pytest.mark.parametrize(
    ("touch", "reason"),
    [
        (
            lambda desk, ref: register.log_response(
                desk, ref, received=dt.date(2023, 5, 1), position=Position.ACCEPTED, text="We will."
            ),
            "response",
        ),
        (
            lambda desk, ref: register.change_status(desk, ref, Status.SUPERSEDED, "Overtaken"),
            "status",
        ),
        (
            lambda desk, ref: register.revise_due(desk, ref, dt.date(2023, 9, 1), "Extension"),
            "due date",
        ),
        (
            lambda desk, ref: register.edit_recommendation(desk, ref, notes="Chase in June"),
            "edited",
        ),
    ],
)
def test_undoing_an_import_is_refused_when_the_clerk_has_worked_on_one_of_its_asks(
    desk, tmp_path, touch, reason
):
    result = _import(desk, tmp_path)
    touch(desk, "PCC-2023-03-17/05")
    before = _counts(desk)
    with pytest.raises(Conflict, match=f"PCC-2023-03-17/05 .*{reason}"):
        letter_import.undo_import(desk, result.document_id)
    assert _counts(desk) == before


def test_undoing_a_reimport_removes_only_what_it_added(desk, tmp_path):
    first = _import(desk, tmp_path)
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "Yours sincerely,",
        "**We also ask the Met to publish its vetting backlog every month.**\n\nYours sincerely,",
    )
    edited = tmp_path / "letter v2.md"
    edited.write_text(text, encoding="utf-8")
    second = letter_import.commit(desk, letter_import.preview(desk, edited))
    assert second.outcome == "reimported" and second.refs == ("PCC-2023-03-17/23",)
    with pytest.raises(Conflict, match="undo that import first"):
        letter_import.undo_import(desk, first.document_id)
    undone = letter_import.undo_import(desk, second.document_id)
    assert (
        undone.refs == ("PCC-2023-03-17/23",) and undone.themes == ()
    )  # its themes belong to the first
    counts = _counts(desk)
    assert counts["Recommendation"] == 22 and counts["Document"] == 1 and counts["Theme"] == 8
    assert register.get_recommendation(desk, "PCC-2023-03-17/22").ref
    letter_import.undo_import(desk, first.document_id)  # now the first can go too
    assert _counts(desk)["Recommendation"] == 0


def test_a_theme_a_hand_added_recommendation_uses_survives_the_undo(desk, tmp_path):
    result = _import(desk, tmp_path)
    register.add_recommendation(desk, "Report on vetting", theme="Raising standards", made=MADE)
    undone = letter_import.undo_import(desk, result.document_id)
    assert "Raising standards" not in undone.themes
    assert register.list_themes(desk) == ["Raising standards"]


@pytest.mark.parametrize("dropped", [0, 3, 21])
def test_redo_of_a_reviewed_import_saves_the_clerks_version_from_the_kept_copy(
    desk, tmp_path, dropped
):
    from pcc_desk.letter_values import drop_ask, edit_ask
    from pcc_desk.services import undo

    path = tmp_path / "letter.md"
    shutil.copyfile(SAMPLE, path)
    preview = letter_import.preview(desk, path)
    reviewed = edit_ask(
        drop_ask(preview.letter, dropped), 0, text="Reworded by the clerk – “in review”"
    )
    first = letter_import.commit(desk, preview, letter=reviewed)
    asks = register.list_recommendations(desk)
    assert len(asks) == 21 and asks[0].text == "Reworded by the clerk – “in review”"
    (undone,) = undo.undo(desk, [first.operation_id])
    assert "import undone; 21 recommendation(s)" in undone.message
    path.unlink()  # the original has gone: the copy the import kept is enough
    (redone,) = undo.redo(desk, [first.operation_id])
    assert redone.message.startswith("letter.md: 21 recommendation(s)")
    assert register.list_recommendations(desk) == asks  # the clerk's version, the same records
    with desk.reading() as session:
        assert session.scalars(select(Document.file_name)).one() == "letter.md"


def test_find_import_takes_the_file_or_the_start_of_the_document_id(desk, tmp_path):
    result = _import(desk, tmp_path)
    assert letter_import.find_import(desk, tmp_path / "letter.md").document_id == result.document_id
    found = letter_import.find_import(desk, str(result.document_id)[:8])
    assert found.document_id == result.document_id and found.transcript_id is None
    from transcript_samples import write_la_txt

    from pcc_desk.services import transcripts

    path = write_la_txt(tmp_path)
    imported = transcripts.import_transcript(desk, path)
    found = letter_import.find_import(desk, path)  # what the command line's undo-import uses
    assert found.transcript_id == imported.transcript.id
    with pytest.raises(InvalidInput):
        letter_import.undo_import(desk, found.document_id)


# --- the command line -----------------------------------------------------------------------------


def test_undo_import_on_the_command_line_undoes_by_file_and_refuses_by_id_once_answered(
    run_cli, register_db, tmp_path
):
    letter = tmp_path / "letter.md"
    shutil.copyfile(SAMPLE, letter)
    run_cli("import-letter", str(letter), db=register_db, check_rc=0)
    done = run_cli("undo-import", str(letter), db=register_db, check_rc=0)
    assert "import undone; 22 recommendation(s)" in done.stdout
    assert run_cli("list", "--json", db=register_db, check_rc=0).stdout.count('"ref"') == 0
    again = run_cli("undo-import", str(letter), db=register_db, check_rc=2)
    assert again.stderr.strip().endswith("this file has not been imported.")

    run_cli("import-letter", str(letter), db=register_db, check_rc=0)
    run_cli(
        "respond",
        "PCC-2023-03-17/05",
        "--received",
        "2023-05-01",
        "--position",
        "accepted",
        "--text",
        "Yes",
        db=register_db,
        check_rc=0,
    )
    from pcc_desk.services import Desk

    with Desk.open(register_db) as desk:
        doc_id = str(letter_import.find_import(desk, letter).document_id)
    refused = run_cli("undo-import", doc_id[:8], db=register_db, check_rc=2)
    assert (
        refused.stderr.count("\n") == 1
        and "PCC-2023-03-17/05 has 1 response(s) logged" in refused.stderr
    )
    assert run_cli("list", "--json", db=register_db, check_rc=0).stdout.count('"ref"') == 22


def test_undo_import_of_a_transcript_file_deletes_the_transcript(run_cli, register_db, tmp_path):
    from transcript_samples import write_la_txt

    path = write_la_txt(tmp_path)
    run_cli("import-transcript", str(path), db=register_db, check_rc=0)
    done = run_cli("undo-import", str(path), db=register_db, check_rc=0)
    assert "import undone; the transcript of" in done.stdout
    from pcc_desk.services import Desk, transcripts

    with Desk.open(register_db) as desk:
        assert transcripts.list_transcripts(desk) == []
