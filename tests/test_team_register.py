"""The team register on a real PostgreSQL server: `pcc-desk team init`, its three roles (the history
append-only for clerks, enforced by the database), who did what, a register from a newer PCC Desk
refused without a change, an unreachable server in one line, and `pcc-desk check` on a server."""

from __future__ import annotations

import datetime as dt
import json
import socket

import psycopg
import pytest
from pg_support import PG_HOST, PG_PORT, PG_USER, pg_url

from pcc_desk import postgres, storage
from pcc_desk.errors import DatabaseTooNew, InvalidInput, NotAllowed, ServerUnreachable
from pcc_desk.model import Status, StatusChange
from pcc_desk.services import Desk, register, team

MADE = dt.date(2024, 3, 14)


def _admin(dbname: str) -> psycopg.Connection:
    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=dbname, autocommit=True)


def _login(dbname: str, person: str, role: str) -> str:
    """A login of its own for ``person`` in one of the register's roles; its URL."""
    login = f"{dbname}_{person}"
    with _admin(dbname) as conn:
        conn.execute(f'CREATE ROLE "{login}" LOGIN IN ROLE "{role}"')
    return pg_url(dbname, user=login)


@pytest.fixture
def team_register(pg_empty_database, run_cli):
    """A team register made by `pcc-desk team init` on an empty database: (name, roles)."""
    url = pg_url(pg_empty_database)
    out = run_cli("team", "init", url, "--json", check_rc=0)
    done = json.loads(out.stdout)
    return pg_empty_database, done["roles"]


def test_team_init_creates_the_schema_and_three_roles(team_register, run_cli):
    name, roles = team_register
    assert roles == {k: f"{name}_{k}" for k in ("owner", "clerk", "reader")}
    with _admin(name) as conn:
        owners = {
            owner
            for (owner,) in conn.execute(
                "SELECT tableowner FROM pg_tables WHERE schemaname = 'public'"
            )
        }
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        gin = conn.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'search_docs' "
            "AND indexdef ILIKE '%USING gin%'"
        ).fetchone()[0]
    assert owners == {roles["owner"]}  # every table the owner role's, so any owner can migrate
    assert revision == storage.HEAD_REVISION and gin == 1
    # a second run changes nothing and says so
    again = json.loads(run_cli("team", "init", pg_url(name), "--json", check_rc=0).stdout)
    assert again["migrated"] is False and again["created_roles"] == []
    out = run_cli("check", db=pg_url(name), check_rc=0)
    assert "OK" in out.stdout


@pytest.mark.parametrize("table", ["status_changes", "due_date_revisions"])
@pytest.mark.parametrize("statement", ["UPDATE {t} SET created_at = created_at", "DELETE FROM {t}"])
def test_a_clerk_login_cannot_update_or_delete_history_rows(team_register, table, statement):
    name, roles = team_register
    url = _login(name, "alice", roles["clerk"])
    with Desk.open(url) as desk:
        assert desk.user == f"{name}_alice"  # who did what: the database login
        ref = register.add_recommendation(desk, "Publish the plan", made=MADE).ref
        register.change_status(desk, ref, Status.FOLLOW_UP_NEEDED, "Chased")
        register.revise_due(desk, ref, dt.date(2024, 7, 1), "Extension agreed")
        detail = register.get_recommendation(desk, ref)
        assert {h.changed_by for h in detail.history} == {f"{name}_alice"}
        with desk.engine.connect() as conn:
            before = conn.exec_driver_sql(f"SELECT count(*), max(updated_at) FROM {table}").one()
        with (
            pytest.raises(NotAllowed, match="does not let this login") as refused,
            desk.engine.begin() as conn,
        ):
            conn.exec_driver_sql(statement.format(t=table))
        assert "\n" not in str(refused.value) and "permission denied" in str(refused.value)
        with desk.engine.connect() as conn:
            after = conn.exec_driver_sql(f"SELECT count(*), max(updated_at) FROM {table}").one()
        assert before == after and before[0] >= 1
        # appending is allowed: the history grows
        register.change_status(desk, ref, Status.CLOSED_IMPLEMENTED, "Verified")
        with desk.reading() as session:
            assert session.query(StatusChange).count() == 3


def test_the_read_only_role_reads_and_is_refused_a_change_in_one_line(team_register, run_cli):
    name, roles = team_register
    with Desk.open(_login(name, "alice", roles["clerk"])) as desk:
        ref = register.add_recommendation(desk, "Publish the plan", made=MADE).ref
    reader = _login(name, "staff", roles["reader"])
    out = run_cli("list", "--json", db=reader, check_rc=0)
    assert [r["ref"] for r in json.loads(out.stdout)] == [ref]
    out = run_cli("status", ref, "closed-implemented", "--note", "x", db=reader, check_rc=2)
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert "does not let this login" in out.stderr and "nothing was saved" in out.stderr
    with Desk.open(reader) as desk:
        assert register.get_recommendation(desk, ref).status is Status.AWAITING_RESPONSE


def test_team_init_takes_over_a_register_made_without_roles(pg_register, run_cli):
    """A register first opened with a plain login (migrated on open) gets its roles afterwards."""
    with Desk.open(pg_register) as desk:
        register.add_recommendation(desk, "Kept", made=MADE)
    done = json.loads(run_cli("team", "init", pg_register, "--json", check_rc=0).stdout)
    assert done["migrated"] is False
    name = postgres.database_name(pg_register)
    try:
        with _admin(name) as conn:
            owners = {
                o
                for (o,) in conn.execute(
                    "SELECT tableowner FROM pg_tables WHERE schemaname = 'public'"
                )
            }
        assert owners == {done["roles"]["owner"]}
        assert team.check_team_register(pg_register).sound
    finally:
        with _admin("postgres") as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
            )
        with _admin(name) as conn:  # hand the tables back before the test database is dropped
            conn.execute(f'REASSIGN OWNED BY "{done["roles"]["owner"]}" TO "{PG_USER}"')
            conn.execute(f'DROP OWNED BY "{done["roles"]["clerk"]}", "{done["roles"]["reader"]}"')


def test_check_reports_a_missing_index_and_a_history_opened_to_updates(team_register, run_cli):
    name, roles = team_register
    with _admin(name) as conn:
        conn.execute("DROP INDEX ix_recommendations_status")
        conn.execute(f'GRANT UPDATE ON status_changes TO "{roles["clerk"]}"')
        conn.execute("DROP TRIGGER search_segments_sync ON segments")
    out = run_cli("check", db=pg_url(name), check_rc=1)
    assert "ix_recommendations_status is missing" in out.stderr
    assert "may UPDATE rows of status_changes" in out.stderr
    assert "search trigger" in out.stderr
    problems = team.check_team_register(pg_url(name)).problems
    assert len(problems) == 3


def test_a_team_register_saved_by_a_newer_pcc_desk_is_refused_without_a_change(
    pg_register, run_cli
):
    name = postgres.database_name(pg_register)
    with _admin(name) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        before = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public'"
        ).fetchone()
    with pytest.raises(DatabaseTooNew, match="newer version of PCC Desk") as refused:
        Desk.open(pg_register)
    assert "has not been changed" in str(refused.value)
    out = run_cli("list", db=pg_register, check_rc=2)
    assert out.stderr.count("\n") == 1 and "newer version" in out.stderr
    with _admin(name) as conn:
        assert (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9999_future"
        )
        after = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public'"
        ).fetchone()
    assert before == after


def test_a_fresh_database_opens_and_is_migrated_once(pg_empty_database):
    url = pg_url(pg_empty_database)
    with Desk.open(url) as desk:
        ref = register.add_recommendation(desk, "First", made=MADE).ref
    assert storage.migrate(storage.resolve_location(url)) is False  # already at the head
    with Desk.open(url) as desk:
        assert register.get_recommendation(desk, ref).text == "First"


def test_team_init_refuses_a_file_path(tmp_path, run_cli):
    with pytest.raises(InvalidInput, match="not the address of a team register"):
        team.init_team_register(str(tmp_path / "register.sqlite3"))
    out = run_cli("team", "init", str(tmp_path / "register.sqlite3"), check_rc=2)
    assert out.stderr.count("\n") == 1


# --- an unreachable server (no server needed) ---------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens on it once closed


@pytest.mark.parametrize("where", ["tcp", "socket"])
@pytest.mark.parametrize("command", [["list"], ["add", "--text", "Ask", "--made", "2024-03-14"]])
def test_an_unreachable_server_is_one_line_and_nothing_is_saved(tmp_path, run_cli, where, command):
    if where == "tcp":
        port = _closed_port()
        url, host = f"postgresql+psycopg://clerk@127.0.0.1:{port}/pcc", f"127.0.0.1:{port}"
    else:
        folder = tmp_path / "no-server"
        folder.mkdir()
        url, host = f"postgresql://clerk@/pcc?host={folder}", str(folder)
    out = run_cli(*command, db=url)
    assert out.returncode == 2
    assert (
        out.stderr
        == f"pcc-desk: The team register at {host} cannot be reached; nothing was saved.\n"
    )
    assert out.stdout == ""
    with pytest.raises(ServerUnreachable, match="cannot be reached"):
        Desk.open(url)
    out = run_cli("team", "init", url)
    assert (
        out.returncode == 2 and "cannot be reached" in out.stderr and "Traceback" not in out.stderr
    )
    out = run_cli("check", db=url)
    assert out.returncode == 2 and out.stderr.count("\n") == 1


def test_a_missing_database_is_named_in_one_line(pg_server, run_cli):
    out = run_cli("list", db=pg_url("pcc_no_such_register"), check_rc=2)
    assert out.stderr.count("\n") == 1 and "has no such database" in out.stderr


def test_the_server_going_away_mid_change_is_one_line_and_nothing_is_saved(pg_register):
    """The connection lost in the middle of a change: one line, and nothing of it saved."""
    from sqlalchemy import text

    from pcc_desk.model import Recommendation

    with Desk.open(pg_register) as desk:
        register.add_recommendation(desk, "Before", made=MADE)
        with (
            pytest.raises(ServerUnreachable, match="cannot be reached; nothing was saved"),
            desk.transaction() as session,
        ):
            session.add(
                Recommendation(
                    ref="PCC-2024-03-14/09", text="Lost", made=MADE, original_due=MADE, due=MADE
                )
            )
            session.flush()
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
            with _admin("postgres") as conn:
                conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
            session.execute(text("SELECT 1"))
        assert [r.text for r in register.list_recommendations(desk)] == ["Before"]


def _migrate_to(url: str, revision: str) -> None:
    """Bring the database to ``revision`` only, with the tests' superuser (an older PCC Desk)."""
    from alembic import command

    engine = postgres.make_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(storage._alembic_config(connection), revision)
    finally:
        engine.dispose()


def test_an_older_team_register_is_brought_up_to_date_by_its_owner_not_by_a_clerk(
    pg_empty_database, run_cli
):
    from pcc_desk.errors import TeamUnavailable
    from pcc_desk.services import search as search_service

    name = pg_empty_database
    url = pg_url(name)
    _migrate_to(url, "0002")  # as PCC Desk was before search by name
    with _admin(name) as conn:
        conn.execute(
            "INSERT INTO recommendations (id, ref, kind, text, context, addressee, position, made,"
            " original_due, due, status, priority, notes, created_at, updated_at) VALUES"
            " (gen_random_uuid(), 'PCC-2022-01-05/01', 'recommendation', 'Publish the custody audit',"
            " '', 'Sir Mark Rowley', 0, '2022-01-05', '2022-03-05', '2022-03-05', 'awaiting-response',"
            " 'normal', '', now(), now())"
        )
    with postgres.make_engine(url).begin() as conn:  # the roles, as an older team init made them
        roles = postgres.install_roles(conn)
    alice = _login(name, "alice", roles.clerk)
    with pytest.raises(TeamUnavailable, match="brought from 0002 to") as refused:
        Desk.open(alice)
    assert "team init" in str(refused.value) and "\n" not in str(refused.value)
    with _admin(name) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0002"
    run_cli("team", "init", url, check_rc=0)
    with Desk.open(alice) as desk:
        # the migration made the index anew from the records: found by its addressee too
        assert [h.ref for h in search_service.search(desk, "Rowley custody")] == [
            "PCC-2022-01-05/01"
        ]
        register.add_recommendation(desk, "Report on vetting", made=MADE)
    assert team.check_team_register(url).sound


def test_team_init_by_a_clerk_is_refused_in_one_line(team_register, run_cli):
    name, roles = team_register
    alice = _login(name, "alice", roles["clerk"])
    out = run_cli("team", "init", alice, check_rc=2)
    assert out.stderr.count("\n") == 1 and "cannot be set up by this login" in out.stderr
    assert "Nothing was changed" in out.stderr


# --- two clerks at the same moment ----------------------------------------------------------------


def _at_once(url: str, work) -> list[BaseException | None]:
    """Run ``work(desk, i)`` for two clerks at the same moment, each with a desk of their own."""
    import threading

    desks = [Desk.open(url) for _ in range(2)]
    start = threading.Barrier(2)
    failures: list[BaseException | None] = [None, None]

    def run(i: int) -> None:
        start.wait()
        try:
            work(desks[i], i)
        except BaseException as exc:  # reported to the test
            failures[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for desk in desks:
        desk.close()
    return failures


def test_two_clerks_numbering_the_same_date_at_once_get_different_references(
    pg_register, monkeypatch
):
    import time

    taken = register.next_reference

    def slow(session, made, taken_refs=()):
        ref = taken(session, made, taken_refs)
        time.sleep(0.3)  # the number chosen, the row not yet written: the other clerk arrives
        return ref

    monkeypatch.setattr(register, "next_reference", slow)
    failures = _at_once(
        pg_register, lambda desk, i: register.add_recommendation(desk, f"Ask {i}", made=MADE)
    )
    assert failures == [None, None]
    with Desk.open(pg_register) as desk:
        refs = sorted(r.ref for r in register.list_recommendations(desk))
    assert refs == ["PCC-2024-03-14/01", "PCC-2024-03-14/02"]


def test_two_clerks_changes_at_once_get_one_journal_number_each(pg_register, monkeypatch):
    import threading
    import time

    from pcc_desk.services import journal

    encode = journal.enc
    slowed = threading.local()

    def slow(value):
        if not getattr(slowed, "done", False):  # once per clerk: after the number is chosen
            slowed.done = True
            time.sleep(0.3)
        return encode(value)

    monkeypatch.setattr(journal, "enc", slow)
    failures = _at_once(
        pg_register,
        lambda desk, i: register.add_recommendation(
            desk, f"Ask {i}", made=MADE + dt.timedelta(days=i)
        ),
    )
    assert failures == [None, None]
    with Desk.open(pg_register) as desk, desk.reading() as session:
        from sqlalchemy import select

        from pcc_desk.model import Operation

        assert sorted(session.scalars(select(Operation.seq))) == [1, 2]
