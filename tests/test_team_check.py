"""`pcc-desk check` on a team register: its schema's revision, tables, columns and indexes (the search's
GIN index among them), and what each role may do, one line per fault, exit code 1."""

from __future__ import annotations

import json

import psycopg
import pytest
from support.pg_support import PG_HOST, PG_PORT, PG_USER, pg_url

from pcc_desk import storage


def _admin(dbname: str) -> psycopg.Connection:
    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=dbname, autocommit=True)


@pytest.fixture
def team_register(pg_empty_database, cli):
    out = cli("team", "init", pg_url(pg_empty_database), "--json", check_rc=0)
    return pg_empty_database, json.loads(out.stdout)["roles"]


def _problems(cli, name: str) -> list[str]:
    out = cli("check", db=pg_url(name), check_rc=1)
    first, *lines = out.stderr.splitlines()
    assert first.startswith(f"Team register {name} at ") and first.endswith("problem(s):")
    assert all(line.startswith("  - ") for line in lines)
    assert int(first.rsplit(": ", 1)[1].split()[0]) == len(lines)
    return [line[4:] for line in lines]


DAMAGES = {
    # what is done to the register behind the app's back -> what check says
    "gin index dropped": (
        ["DROP INDEX ix_search_docs_tsv"],
        "the full-text index (GIN) of the search is missing",
    ),
    "an index dropped": (["DROP INDEX ix_recommendations_status"], "ix_recommendations_status"),
    "a column dropped": (
        ["ALTER TABLE settings DROP COLUMN updated_at"],
        "a column is missing from settings (updated_at)",
    ),
    "a table dropped": (["DROP TABLE recommendation_quotes"], "recommendation_quotes is missing"),
    "history opened to deletes": (
        ["GRANT DELETE ON due_date_revisions TO {clerk}"],
        "the clerk role may DELETE rows of due_date_revisions, which must be append-only",
    ),
    "clerks kept from writing": (
        ["REVOKE INSERT ON responses, quotes FROM {clerk}"],
        "the clerk role cannot INSERT quotes, responses",
    ),
    "readers given writes": (
        ["GRANT UPDATE ON recommendations TO {reader}"],
        "the read-only role may UPDATE recommendations",
    ),
    "readers kept from reading": (
        ["REVOKE SELECT ON themes FROM {reader}"],
        "the read-only role cannot read themes",
    ),
    "clerks may migrate": (
        ["GRANT UPDATE ON alembic_version TO {clerk}"],
        "the clerk role may change alembic_version (only the owner migrates)",
    ),
    "a table owned by someone else": (
        ["ALTER TABLE settings OWNER TO " + PG_USER],
        "tables not owned by {owner} (its members could not migrate them): settings",
    ),
}


def test_a_sound_team_register_checks_ok(team_register, cli):
    name, _roles = team_register
    out = cli("check", db=pg_url(name), check_rc=0)
    assert out.stdout.startswith(f"Team register {name} at ") and "OK" in out.stdout


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_each_fault_is_one_line_naming_what_is_wrong(team_register, cli, damage):
    name, roles = team_register
    statements, expected = DAMAGES[damage]
    with _admin(name) as conn:
        for statement in statements:
            conn.execute(statement.format(**{k: f'"{v}"' for k, v in roles.items()}))
    problems = _problems(cli, name)
    assert len(problems) == 1, problems
    assert expected.format(**roles) in problems[0]


def test_faults_are_listed_together(team_register, cli):
    name, roles = team_register
    chosen = ["gin index dropped", "history opened to deletes", "readers given writes"]
    with _admin(name) as conn:
        for damage in chosen:
            for statement in DAMAGES[damage][0]:
                conn.execute(statement.format(**{k: f'"{v}"' for k, v in roles.items()}))
    problems = _problems(cli, name)
    assert len(problems) == len(chosen)
    for damage in chosen:
        assert any(DAMAGES[damage][1].format(**roles) in p for p in problems)


def test_a_register_without_team_roles_is_told_to_run_team_init(pg_database, cli):
    problems = _problems(cli, pg_database.info.dbname)
    assert problems == [
        "it has no team roles yet (run 'pcc-desk team init' as its owner): until then nothing "
        "keeps the status history and due-date revisions append-only"
    ]


@pytest.mark.parametrize("stamp", ["0002", "9999_future"])
def test_a_register_at_another_revision_is_one_line(team_register, cli, stamp):
    name, _roles = team_register
    with _admin(name) as conn:
        conn.execute("UPDATE alembic_version SET version_num = %s", (stamp,))
    (problem,) = _problems(cli, name)
    assert problem.startswith(f"its schema is {stamp}, ")
    if stamp == "0002":
        assert f"older than this PCC Desk's {storage.HEAD_REVISION}" in problem
    else:
        assert "saved by a newer PCC Desk" in problem
