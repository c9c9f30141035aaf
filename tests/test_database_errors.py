"""A database error that no service put into words reaches the command line as one line, exit 2,
without its own text: a broken rule of the schema (whose PostgreSQL message names the very value,
``Key (notes)=(...)``: casework) and a driver's error raised under a change, on a register file and
on a team register. Nothing of the change is saved."""

from __future__ import annotations

import json
import random
import sqlite3

import psycopg
import pytest
from sqlalchemy.engine import make_url
from support.pg_support import PG_USER

pytestmark = pytest.mark.backends("sqlite", "postgresql")

WORDS = ["custody", "Lambeth", "vetting", "Croydon", "misconduct", "Londoners’", "café", "O'Brien"]


def casework(seed: int, what: str) -> str:
    """Words of the kind a clerk types, different for each seed (names, accents, quotes)."""
    rng = random.Random(f"{seed}-{what}")
    return f"{what} " + " ".join(rng.sample(WORDS, rng.randint(3, 6))) + f" {rng.randint(10, 999)}"


def run_sql(register_db, *statements: str) -> None:
    """DDL on the register behind the app's back (as a server's administrator might)."""
    if isinstance(register_db, str):
        url = make_url(register_db)
        with psycopg.connect(
            host=url.query.get("host") or url.host,
            port=int(url.query.get("port") or url.port or 5432),
            user=PG_USER,
            dbname=url.database,
            autocommit=True,
        ) as conn:
            for statement in statements:
                conn.execute(statement)
        return
    conn = sqlite3.connect(register_db)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def break_unique_rule(register_db, backend) -> str:
    """Make the second of two recommendations with the same notes break a unique rule; its name.

    On PostgreSQL a unique index on the notes: the server's message names the value that clashed
    (casework). A SQLite file's schema is checked on opening (an index added behind its back reads as
    damage) and SQLite never names values: a trigger gives the second record the first one's
    reference, which breaks the references' own unique rule."""
    if backend == "postgresql":
        run_sql(
            register_db, "CREATE UNIQUE INDEX ux_recommendations_notes ON recommendations (notes)"
        )
        return "ux_recommendations_notes"
    run_sql(
        register_db,
        "CREATE TRIGGER same_ref AFTER INSERT ON recommendations WHEN EXISTS (SELECT 1 FROM "
        "recommendations WHERE notes = NEW.notes AND id != NEW.id) BEGIN UPDATE recommendations "
        "SET ref = (SELECT min(ref) FROM recommendations WHERE notes = NEW.notes) "
        "WHERE id = NEW.id; END",
    )
    return "recommendations.ref"


def _listed(cli, register_db) -> list[dict]:
    return json.loads(cli("list", "--json", db=register_db, check_rc=0).stdout)


def _one_line(stderr: str) -> str:
    assert stderr.count("\n") == 1 and stderr.startswith("pcc-desk: "), stderr
    assert "Traceback" not in stderr and "[SQL" not in stderr
    return stderr


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_broken_unique_rule_is_one_line_naming_the_rule_not_the_value(
    cli, register_db, backend, seed
):
    rule = break_unique_rule(register_db, backend)
    notes = casework(seed, "Notes")
    first, second = casework(seed, "First ask"), casework(seed, "Second ask")
    cli(
        "add", "--text", first, "--notes", notes, "--made", "2024-03-14", db=register_db, check_rc=0
    )
    out = cli("add", "--text", second, "--notes", notes, "--made", "2024-03-14", db=register_db)
    assert out.returncode == 2 and out.stdout == ""
    line = _one_line(out.stderr)
    assert "refused the change: a value that must be unique is used already" in line
    assert f"({rule})" in line
    for word in (*notes.split(), *second.split()):
        if len(word) > 3:
            assert word not in line  # neither the value that clashed nor the rest of the record
    assert [r["text"] for r in _listed(cli, register_db)] == [first]  # nothing of it saved


@pytest.mark.parametrize("seed", [4, 5])
def test_a_drivers_error_under_a_change_is_one_line_without_its_text(
    cli, register_db, backend, seed
):
    if backend == "postgresql":  # its message carries the record's text: it must not be shown
        run_sql(
            register_db,
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'cannot take %', NEW.text USING ERRCODE = '55P03'; END $$",
            "CREATE TRIGGER refuse BEFORE UPDATE ON recommendations "
            "FOR EACH ROW EXECUTE FUNCTION refuse()",
        )
    else:  # SQLite's OperationalError
        run_sql(
            register_db,
            "CREATE TRIGGER refuse BEFORE UPDATE ON recommendations "
            "BEGIN SELECT no_such_function(NEW.text); END",
        )
    text, edited = casework(seed, "Ask"), casework(seed, "Edited ask")
    cli("add", "--text", text, "--made", "2024-03-14", db=register_db, check_rc=0)
    (ref,) = [r["ref"] for r in _listed(cli, register_db)]
    out = cli("edit", ref, "--text", edited, db=register_db)
    assert out.returncode == 2 and out.stdout == ""
    line = _one_line(out.stderr)
    where = "The team register at " if backend == "postgresql" else "The register reported"
    assert where in line and "reported an error (" in line and "nothing was saved" in line
    assert not any(word in line for word in edited.split() if len(word) > 3)
    assert [r["text"] for r in _listed(cli, register_db)] == [text]


def test_the_installed_command_prints_the_line_and_no_traceback(run_cli, register_db, backend):
    break_unique_rule(register_db, backend)
    notes = casework(9, "Chased at the meeting")
    for n in (1, 2):
        out = run_cli("add", "--text", f"Ask {n}", "--notes", notes, db=register_db)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and notes not in out.stderr
    assert _one_line(out.stderr).endswith("Nothing was saved.\n")


def test_with_debug_logging_the_clashing_value_is_in_no_log(
    run_cli, register_db, backend, monkeypatch
):
    """Logging at DEBUG (the engine's statements included): the value that broke the rule and the
    rest of the record stay out of every line written."""
    monkeypatch.setenv("PCC_DESK_LOG", "DEBUG")
    break_unique_rule(register_db, backend)
    notes, text = casework(11, "Raised by a constituent"), casework(12, "Second ask")
    run_cli("add", "--text", "First", "--notes", notes, db=register_db, check_rc=0)
    out = run_cli("add", "--text", text, "--notes", notes, db=register_db)
    assert out.returncode == 2 and "refused the change" in out.stderr.splitlines()[-1]
    assert "Traceback" not in out.stderr
    for word in (*notes.split(), *text.split()):
        if len(word) > 3:
            assert word not in out.stderr + out.stdout
