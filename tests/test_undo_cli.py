"""`pcc-desk undo` and `pcc-desk redo` on a register file and on a team register (PostgreSQL): an edit, a status change, a due date
revision, a logged response, a quote and an import, each undone and redone from the command line;
refusals in one line with nothing changed; whose change and which one is undone."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil

import psycopg
import pytest
from support.pg_support import PG_HOST, PG_PORT, PG_USER, pg_url
from support.transcript_samples import write_la_txt
from support.undo_samples import cli, dump, generated_letter, table_rows, variants

from pcc_desk.model import Priority, Status
from pcc_desk.services import Desk, register, transcripts

SEEDS = (1, 2, 3)


def _add(desk, variant) -> str:
    return register.add_recommendation(
        desk,
        variant.text,
        theme=variant.theme,
        addressee=variant.addressee,
        made=variant.made,
        notes=variant.notes,
    ).ref


pytestmark = pytest.mark.backends("sqlite", "postgresql")

PEOPLE = ("alice", "bob")


@pytest.fixture
def db_path(backend, request):
    """The register: a file, or a team register whose address names no login (libpq takes the
    login from ``PGUSER``, which :func:`as_user` sets: on a server, who did what is the login)."""
    if backend == "sqlite":
        return request.getfixturevalue("db_path_file")
    dbname = request.getfixturevalue("pg_database").info.dbname
    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=dbname, autocommit=True
    ) as conn:
        for person in PEOPLE:  # the server's logins (cluster-wide): made once, kept
            # (UniqueViolation: another worker of a parallel run made it at the same moment)
            with contextlib.suppress(
                psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation
            ):
                conn.execute(f"CREATE ROLE {person} LOGIN")
            conn.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {person}")
            conn.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {person}")
    return pg_url(dbname, user="")


@pytest.fixture
def db_path_file(tmp_path, template_db):
    target = tmp_path / "register.sqlite3"
    shutil.copyfile(template_db, target)
    return target


@pytest.fixture
def as_user(monkeypatch):
    """Run the next commands as another login (the journal's "who"): the computer's login name for
    a file, the database login for a team register."""

    def switch(name: str) -> None:
        monkeypatch.setenv("LOGNAME", name)
        monkeypatch.setenv("PGUSER", name)

    switch("alice")
    return switch


# --- each kind of change, undone and redone --------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_an_edit_is_undone_and_redone_field_by_field(capsys, db_path, seed, as_user):
    first, other, _ = variants(seed)
    with Desk.open(db_path) as desk:
        ref = _add(desk, first)
    before = register.get_recommendation(Desk.open(db_path), ref)
    new_theme = f"{other.theme} (revised {seed})"
    code, _, err = cli(
        capsys,
        db_path,
        "edit",
        ref,
        "--text",
        other.text,
        "--theme",
        new_theme,
        "--notes",
        other.notes + " – chased",
        "--priority",
        "high",
    )
    assert code == 0, err
    with Desk.open(db_path) as desk:
        edited = register.get_recommendation(desk, ref)
        assert (edited.text, edited.theme, edited.priority) == (
            other.text,
            new_theme,
            Priority.HIGH,
        )

    code, out, err = cli(capsys, db_path, "undo")
    assert code == 0 and err == "" and out.strip() == f"Undone: the edit of {ref}."
    with Desk.open(db_path) as desk:
        undone = register.get_recommendation(desk, ref)
        assert (undone.text, undone.theme, undone.notes, undone.priority) == (
            before.text,
            before.theme,
            before.notes,
            before.priority,
        )
        assert new_theme not in register.list_themes(desk)  # the theme the edit typed went too

    code, out, _ = cli(capsys, db_path, "redo")
    assert code == 0 and out.startswith("Redone: Edit " + ref)
    with Desk.open(db_path) as desk:
        redone = register.get_recommendation(desk, ref)
        assert (redone.text, redone.theme, redone.notes, redone.priority) == (
            edited.text,
            edited.theme,
            edited.notes,
            edited.priority,
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_a_status_change_is_undone_by_appending_a_change_back(capsys, db_path, seed, as_user):
    rng_statuses = [s for s in Status if s is not Status.AWAITING_RESPONSE]
    new = rng_statuses[seed % len(rng_statuses)]
    with Desk.open(db_path) as desk:
        ref = _add(desk, variants(seed)[0])
    assert cli(capsys, db_path, "status", ref, new.value, "--note", f"Decided ({seed})")[0] == 0

    code, out, _ = cli(capsys, db_path, "undo")
    assert code == 0 and f"{ref} is 'Awaiting response' again" in out
    with Desk.open(db_path) as desk:
        detail = register.get_recommendation(desk, ref)
        assert detail.status is Status.AWAITING_RESPONSE
        assert [c.to_status for c in detail.history] == [
            Status.AWAITING_RESPONSE,
            new,
            detail.status,
        ]
        assert detail.history[-1].note == f"Undo of the change to '{new.label}'"

    assert cli(capsys, db_path, "redo")[0] == 0
    with Desk.open(db_path) as desk:
        detail = register.get_recommendation(desk, ref)
        assert detail.status is new and len(detail.history) == 4  # never rewritten, only appended
        assert detail.history[-1].note == f"Decided ({seed})"


@pytest.mark.parametrize("seed", SEEDS)
def test_a_due_date_revision_is_undone_by_appending_a_revision_back(capsys, db_path, seed, as_user):
    variant = variants(seed)[1]
    with Desk.open(db_path) as desk:
        ref = _add(desk, variant)
        old_due = register.get_recommendation(desk, ref).due
    new_due = old_due + dt.timedelta(days=10 + 17 * seed)
    cli(capsys, db_path, "due", ref, new_due.isoformat(), "--reason", "Extension agreed")

    assert cli(capsys, db_path, "undo")[0] == 0
    with Desk.open(db_path) as desk:
        detail = register.get_recommendation(desk, ref)
        assert detail.due == old_due and detail.original_due == old_due
        assert [(r.old_due, r.new_due) for r in detail.due_revisions] == [
            (old_due, new_due),
            (new_due, old_due),
        ]
    assert cli(capsys, db_path, "redo")[0] == 0
    with Desk.open(db_path) as desk:
        detail = register.get_recommendation(desk, ref)
        assert detail.due == new_due and len(detail.due_revisions) == 3


@pytest.mark.parametrize("seed", SEEDS)
def test_a_logged_response_is_undone_and_redone_as_the_same_response(
    capsys, db_path, seed, as_user
):
    variant = variants(seed)[2]
    with Desk.open(db_path) as desk:
        ref = _add(desk, variant)
    text = f"The Met’s reply {seed}: " + variant.text
    code, _, err = cli(
        capsys,
        db_path,
        "respond",
        ref,
        "--received",
        (variant.made + dt.timedelta(days=30)).isoformat(),
        "--position",
        "partly-accepted",
        "--assessment",
        "not-addressed",
        "--text",
        text,
    )
    assert code == 0, err
    with Desk.open(db_path) as desk:
        logged = register.get_recommendation(desk, ref)
    assert logged.status is Status.FOLLOW_UP_NEEDED

    assert cli(capsys, db_path, "undo")[0] == 0
    with Desk.open(db_path) as desk:
        detail = register.get_recommendation(desk, ref)
        assert detail.responses == () and detail.status is Status.AWAITING_RESPONSE
        assert (
            len(detail.history) == 3 and detail.history[-1].note == "Undo of logging the response"
        )

    assert cli(capsys, db_path, "redo")[0] == 0
    with Desk.open(db_path) as desk:
        detail = register.get_recommendation(desk, ref)
        assert detail.responses == logged.responses  # the same id, date, words and assessment
        assert detail.status is Status.FOLLOW_UP_NEEDED and len(detail.history) == 4


def _import_transcript(capsys, db_path, tmp_path, name="transcript.txt"):
    path = write_la_txt(tmp_path, name)
    code, out, err = cli(capsys, db_path, "import-transcript", str(path), "--json")
    assert code == 0, err
    return path, json.loads(out)


@pytest.mark.parametrize(
    "words",
    [
        "We will rebuild trust in the Met’s neighbourhood policing.",
        "publish the data on stop and search every month",
        "That is the “new era” I promised Londoners.",
    ],
)
def test_a_quote_is_undone_and_redone_with_the_same_id(capsys, db_path, tmp_path, words, as_user):
    _, imported = _import_transcript(capsys, db_path, tmp_path)
    with Desk.open(db_path) as desk:
        a, b = (_add(desk, v) for v in variants(len(words))[:2])
    tid = imported["transcript"]["id"][:8]
    code, out, err = cli(
        capsys, db_path, "quote", a, "--transcript", tid, "--text", words, "--json"
    )
    assert code == 0, err
    quote = json.loads(out)
    # the same words for a second recommendation: the same quote, one more link
    assert cli(capsys, db_path, "quote", b, "--transcript", tid, "--text", words)[0] == 0

    assert cli(capsys, db_path, "undo")[0] == 0  # takes back only the second link
    with Desk.open(db_path) as desk:
        assert [q.id.hex for q in register.get_recommendation(desk, a).quotes] == [
            quote["id"].replace("-", "")
        ]
        assert register.get_recommendation(desk, b).quotes == ()
    assert cli(capsys, db_path, "undo")[0] == 0  # and now the quote itself
    assert table_rows(db_path)["quotes"] == 0
    assert table_rows(db_path)["recommendation_quotes"] == 0

    assert cli(capsys, db_path, "redo")[0] == 0
    with Desk.open(db_path) as desk:
        (again,) = register.get_recommendation(desk, a).quotes
        assert str(again.id) == quote["id"] and again.text == quote["text"]
        assert register.get_recommendation(desk, b).quotes == ()
    assert cli(capsys, db_path, "redo")[0] == 0
    with Desk.open(db_path) as desk:
        assert [str(q.id) for q in register.get_recommendation(desk, b).quotes] == [quote["id"]]


@pytest.mark.parametrize("seed", SEEDS)
def test_a_letter_import_is_undone_and_redone_with_the_same_records(
    capsys, db_path, tmp_path, seed, as_user
):
    letter, asks = generated_letter(tmp_path, seed)
    empty = table_rows(db_path)
    code, out, err = cli(capsys, db_path, "import-letter", str(letter))
    assert code == 0, err
    with Desk.open(db_path) as desk:
        imported = register.list_recommendations(desk)
    assert len(imported) == asks

    code, out, _ = cli(capsys, db_path, "undo")
    assert code == 0 and f"{letter.name}: import undone; {asks} recommendation(s)" in out
    after = table_rows(db_path)
    kept = ("journal", "stored_files")  # the journal grows; the file's bytes stay for the redo
    assert {k: v for k, v in after.items() if k not in kept} == {
        k: v for k, v in empty.items() if k not in kept
    }
    assert after["stored_files"] == empty["stored_files"] + 1

    code, out, _ = cli(capsys, db_path, "redo")
    assert code == 0 and f"{letter.name}: {asks} recommendation(s)" in out
    with Desk.open(db_path) as desk:
        assert register.list_recommendations(desk) == imported  # same ids, refs, themes, dates
    letter.unlink()  # the kept copy is enough to redo once more
    cli(capsys, db_path, "undo")
    assert cli(capsys, db_path, "redo")[0] == 0
    assert table_rows(db_path)["recommendations"] == asks


def test_a_transcript_import_is_undone_and_redone_with_the_same_turns(
    capsys, db_path, tmp_path, as_user
):
    path, imported = _import_transcript(capsys, db_path, tmp_path, "pcc-transcript-2022-10-12.txt")
    with Desk.open(db_path) as desk:
        first = transcripts.get_transcript(desk, imported["transcript"]["id"])
    turns = [str(s.id) for s in first.segments]
    assert len(turns) == len(imported["segments"]) > 3
    code, out, _ = cli(capsys, db_path, "undo")
    assert code == 0 and "import undone; the transcript of" in out
    assert table_rows(db_path)["segments"] == 0 and table_rows(db_path)["transcripts"] == 0
    path.unlink()  # redone from the copy the import kept
    assert cli(capsys, db_path, "redo")[0] == 0
    with Desk.open(db_path) as desk:
        (meeting,) = transcripts.list_transcripts(desk)
        detail = transcripts.get_transcript(desk, meeting.id)
    assert [str(s.id) for s in detail.segments] == turns
    assert detail.segments == first.segments and detail.transcript == first.transcript


# --- refusals, whose change, which change ----------------------------------------------------------


def test_undo_of_a_transcript_import_quoted_since_is_refused_in_one_line(
    capsys, db_path, tmp_path, as_user
):
    _, imported = _import_transcript(capsys, db_path, tmp_path)
    as_user("bob")  # a colleague quotes it
    with Desk.open(db_path) as desk:
        ref = _add(desk, variants(7)[0])
    cli(
        capsys,
        db_path,
        "quote",
        ref,
        "--transcript",
        imported["transcript"]["id"],
        "--text",
        "That is the “new era” I promised Londoners.",
    )
    as_user("alice")
    before = dump(db_path)
    code, out, err = cli(capsys, db_path, "undo")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("pcc-desk: The transcript of ")
    assert "1 quote(s) attached since it was imported; the import was not undone." in err
    assert dump(db_path) == before  # nothing changed, not even the journal


def test_undo_of_an_edit_changed_since_by_someone_else_is_refused(capsys, db_path, as_user):
    with Desk.open(db_path) as desk:
        ref = _add(desk, variants(4)[0])
    cli(capsys, db_path, "edit", ref, "--text", "Alice's wording")
    as_user("bob")
    cli(capsys, db_path, "edit", ref, "--text", "Bob's wording")
    as_user("alice")
    before = dump(db_path)
    code, _, err = cli(capsys, db_path, "undo")
    assert (
        code == 2
        and err == f"pcc-desk: {ref}: its text has been changed since; the edit was not undone.\n"
    )
    assert dump(db_path) == before


def test_a_change_by_someone_else_to_another_field_does_not_block_the_undo(
    capsys, db_path, as_user
):
    with Desk.open(db_path) as desk:
        ref = _add(desk, variants(5)[0])
        original = register.get_recommendation(desk, ref).text
    cli(capsys, db_path, "edit", ref, "--text", "Alice's wording")
    as_user("bob")
    cli(capsys, db_path, "status", ref, "superseded", "--note", "Overtaken")
    as_user("alice")
    assert cli(capsys, db_path, "undo")[0] == 0
    with Desk.open(db_path) as desk:
        detail = register.get_recommendation(desk, ref)
    assert detail.text == original and detail.status is Status.SUPERSEDED


def test_a_later_change_to_the_same_field_refuses_the_undo_even_when_the_value_came_back(
    capsys, db_path, as_user
):
    with Desk.open(db_path) as desk:
        ref = _add(desk, variants(6)[0])
    cli(capsys, db_path, "status", ref, "follow-up-needed", "--note", "Chase")
    as_user("bob")  # bob moves it on and back: the value is what alice set, but bob decided it
    cli(capsys, db_path, "status", ref, "closed-implemented", "--note", "Done")
    cli(capsys, db_path, "status", ref, "follow-up-needed", "--note", "Not done after all")
    as_user("alice")
    code, _, err = cli(capsys, db_path, "undo")
    assert code == 2 and err.count("\n") == 1
    assert "came after it (bob, " in err and "undo that first" in err


def test_undo_takes_back_this_users_last_change_not_a_colleagues(capsys, db_path, as_user):
    mine, theirs, _ = variants(8)
    with Desk.open(db_path) as desk:
        my_ref = _add(desk, mine)
    as_user("bob")
    with Desk.open(db_path) as desk:
        their_ref = _add(desk, theirs)
    as_user("alice")
    code, out, _ = cli(capsys, db_path, "undo")
    assert code == 0 and my_ref in out
    with Desk.open(db_path) as desk:
        assert [r.ref for r in register.list_recommendations(desk)] == [their_ref]


def test_a_new_change_ends_what_can_be_redone(capsys, db_path, as_user):
    with Desk.open(db_path) as desk:
        ref = _add(desk, variants(9)[0])
    cli(capsys, db_path, "status", ref, "superseded", "--note", "Overtaken")
    cli(capsys, db_path, "undo")
    cli(capsys, db_path, "due", ref, "2030-01-31", "--reason", "Later")
    code, _, err = cli(capsys, db_path, "redo")
    assert code == 2 and "nothing of yours to redo" in err and err.count("\n") == 1


def test_nothing_to_undo_on_a_new_register(capsys, db_path, as_user):
    code, out, err = cli(capsys, db_path, "undo")
    assert code == 2 and out == ""
    assert err == "pcc-desk: There is nothing of yours to undo on this register.\n"


def test_undo_list_shows_the_recent_changes_newest_first(capsys, db_path, as_user):
    with Desk.open(db_path) as desk:
        ref = _add(desk, variants(10)[0])
    cli(capsys, db_path, "status", ref, "superseded", "--note", "Overtaken")
    cli(capsys, db_path, "due", ref, "2030-01-31", "--reason", "Later")
    cli(capsys, db_path, "undo")
    code, out, _ = cli(capsys, db_path, "undo", "--list")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["id", "when", "who", "state", "change"]
    assert "Undo: Revise the due date" in lines[1] and "undo" in lines[1]
    assert lines[2].startswith("redo →") and "undone" in lines[2]
    assert lines[3].startswith("undo →") and f"Change the status of {ref}" in lines[3]
    assert lines[4].strip().endswith(f"Add {ref}") and "alice" in lines[4]

    code, out, _ = cli(capsys, db_path, "undo", "--list", "--json", "--limit", "2")
    rows = json.loads(out)
    assert [r["kind"] for r in rows] == ["undo", "revise-due"]
    assert rows[1]["state"] == "undone" and rows[0]["undoes"] == rows[1]["id"]

    code, out, _ = cli(capsys, db_path, "undo", rows[1]["id"][:8])  # by id: already undone
    assert code == 2


def test_undo_by_id_and_json_output(capsys, db_path, as_user):
    with Desk.open(db_path) as desk:
        a, b = (_add(desk, v) for v in variants(11)[:2])
    cli(capsys, db_path, "status", a, "superseded", "--note", "Overtaken")
    cli(capsys, db_path, "status", b, "closed-not-accepted", "--note", "Declined")
    listed = json.loads(cli(capsys, db_path, "undo", "--list", "--json")[1])
    first_change = next(r for r in listed if r["kind"] == "change-status" and a in r["summary"])
    code, out, _ = cli(capsys, db_path, "undo", first_change["id"][:10], "--json")
    (outcome,) = json.loads(out)
    assert code == 0 and outcome["target"]["id"] == first_change["id"] and outcome["refs"] == [a]
    with Desk.open(db_path) as desk:
        assert register.get_recommendation(desk, a).status is Status.AWAITING_RESPONSE
        assert register.get_recommendation(desk, b).status is Status.CLOSED_NOT_ACCEPTED


def test_undo_import_of_a_journaled_import_can_be_redone(capsys, db_path, tmp_path, as_user):
    letter, asks = generated_letter(tmp_path, 21)
    cli(capsys, db_path, "import-letter", str(letter))
    code, out, _ = cli(capsys, db_path, "undo-import", str(letter))
    assert code == 0 and "import undone" in out
    assert table_rows(db_path)["recommendations"] == 0
    assert cli(capsys, db_path, "redo")[0] == 0
    assert table_rows(db_path)["recommendations"] == asks


def test_a_register_from_before_the_journal_upgrades_and_its_imports_can_still_be_taken_out(
    capsys, tmp_path, as_user
):
    from pathlib import Path

    old = Path(__file__).parent / "fixtures" / "db" / "register-0002.sqlite3"
    db = tmp_path / "old.sqlite3"
    shutil.copyfile(old, db)
    code, _, err = cli(capsys, db, "undo")
    assert code == 2 and "nothing of yours to undo" in err  # its changes predate the journal
    assert table_rows(db)["journal"] == 0
    letter, asks = generated_letter(tmp_path, 30)
    cli(capsys, db, "import-letter", str(letter))
    import sqlite3

    conn = sqlite3.connect(db)  # as if it had been imported before the journal existed
    conn.execute("DELETE FROM journal")
    conn.commit()
    conn.close()
    code, out, _ = cli(capsys, db, "undo-import", str(letter))
    assert code == 0 and f"import undone; {asks} recommendation(s)" in out
    assert table_rows(db)["recommendations"] == 2  # the fixture's own two stay
    code, _, err = cli(capsys, db, "undo")  # taking it out is journaled, and not undoable
    assert code == 2 and "taking an import out cannot be undone" in err
