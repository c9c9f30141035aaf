"""The README's backup of a team register, done as written: pg_dump by the owner login, the damaged
database renamed aside, an empty one of the same name, pg_restore by the owner login without owners
or privileges, `pcc-desk team init` (ownership and grants), `pcc-desk check` OK; the clerks' own
logins work on the restored register, whose history is append-only again."""

from __future__ import annotations

import datetime as dt
import glob
import json
import shutil
import subprocess

import psycopg
import pytest
from support.pg_support import PG_HOST, PG_PORT, PG_USER, pg_url

from pcc_desk.errors import NotAllowed
from pcc_desk.model import Position, Status
from pcc_desk.services import Desk, register
from pcc_desk.services import search as search_service

pytestmark = pytest.mark.slow


def _tool(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        pytest.fail(f"{name} is not installed (Debian's postgresql-client)")
    return found[-1]


def _admin(dbname: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=dbname, autocommit=True)


def _libpq(dbname: str, user: str) -> str:
    return f"host={PG_HOST} port={PG_PORT} user={user} dbname={dbname}"


def test_a_dump_restored_as_the_readme_says_is_the_same_register(pg_empty_database, cli, tmp_path):
    name = pg_empty_database
    owner_login, alice = f"{name}_admin", f"{name}_alice"
    with (
        _admin() as conn
    ):  # the server's administrator login (not a superuser), owning the database
        conn.execute(f'CREATE ROLE "{owner_login}" LOGIN CREATEROLE')
        conn.execute(f'ALTER DATABASE "{name}" OWNER TO "{owner_login}"')
    cli("team", "init", pg_url(name, user=owner_login), check_rc=0)
    with _admin(name) as conn:
        conn.execute(f'CREATE ROLE "{alice}" LOGIN IN ROLE "{name}_clerk"')
    with Desk.open(pg_url(name, user=alice)) as desk:
        refs = [
            register.add_recommendation(
                desk, f"Publish the custody audit for ward {n}", made=dt.date(2024, 3, 14)
            ).ref
            for n in range(3)
        ]
        register.log_response(
            desk,
            refs[0],
            received=dt.date(2024, 5, 2),
            position=Position.ACCEPTED,
            text="We will publish it quarterly.",
        )
        register.change_status(desk, refs[1], Status.FOLLOW_UP_NEEDED, "Chased")
        before = [register.get_recommendation(desk, ref) for ref in refs]

    dump = tmp_path / "register.dump"
    subprocess.run(
        [_tool("pg_dump"), "--format=custom", f"--file={dump}", _libpq(name, owner_login)],
        check=True,
    )
    with _admin() as conn:  # the damaged one kept aside, an empty one of the same name
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        conn.execute(f'ALTER DATABASE "{name}" RENAME TO "{name}_damaged"')
        conn.execute(f'CREATE DATABASE "{name}" OWNER "{owner_login}"')
    try:
        subprocess.run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={_libpq(name, owner_login)}",
                str(dump),
            ],
            check=True,
        )
        out = cli("team", "init", pg_url(name, user=owner_login), "--json", check_rc=0)
        assert json.loads(out.stdout)["created_roles"] == []  # the server's roles, as they were
        checked = cli("check", db=pg_url(name, user=owner_login), check_rc=0)
        assert "OK" in checked.stdout

        with Desk.open(pg_url(name, user=alice)) as desk:  # the clerk's login, unchanged
            assert [register.get_recommendation(desk, ref) for ref in refs] == before
            assert [h.ref for h in search_service.search(desk, "quarterly")] == [refs[0]]
            register.change_status(desk, refs[2], Status.SUPERSEDED, "Overtaken")
            with pytest.raises(NotAllowed), desk.engine.begin() as conn:
                conn.exec_driver_sql("DELETE FROM status_changes")
    finally:
        with _admin() as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (f"{name}_damaged",),
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}_damaged"')
