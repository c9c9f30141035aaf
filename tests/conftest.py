"""Shared fixtures. Qt runs offscreen: set before any Qt import."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PCC_DESK_LOG", "WARNING")

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_LETTER = REPO / "resources" / "samples" / "pcc-letter-2023-03-17-turnaround-plan.md"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook reads the marks
def pytest_collection_modifyitems(items):
    """In parallel (scripts/test.sh runs pytest-xdist with ``--dist loadgroup``), the tests of a module
    that builds something once for the module (a module- or session-scoped fixture of its own: a
    LibreOffice conversion, a seeded team register, the PyInstaller bundle) go to one worker as one
    group, so it is built once; every other test goes to whichever worker is free. (Without xdist
    the mark does nothing.)"""
    for item in items:
        module = getattr(item, "module", None)
        info = getattr(item, "_fixtureinfo", None)
        if module is None or info is None:
            continue
        if any(
            fixturedef.scope in ("module", "session")
            and getattr(fixturedef.func, "__module__", None) == module.__name__
            for fixturedefs in info.name2fixturedefs.values()
            for fixturedef in fixturedefs
        ):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """No test ever touches the real user data folder or a database named in the environment."""
    monkeypatch.setenv("PCC_DESK_DATA_DIR", str(tmp_path / "user-data"))
    monkeypatch.delenv("PCC_DESK_DB", raising=False)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """One migrated, empty register per test session; tests get copies."""
    from pcc_desk import storage

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    location = storage.resolve_location(path)
    storage.migrate(location)
    # fold the WAL into the main file so a plain copy is complete
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    return path


@pytest.fixture
def db_path(tmp_path, template_db) -> Path:
    target = tmp_path / "register.sqlite3"
    shutil.copyfile(template_db, target)
    return target


# --- the team register: a real PostgreSQL server ----------------------------------------------
#
# scripts/test.sh starts a throw-away cluster on a socket in a temp folder and exports that folder in
# PCC_DESK_TEST_PG_HOST. pytest-postgresql's no-process fixture then hands out fresh databases, each a
# copy of one migrated template. Without a server the PostgreSQL tests skip, saying why, except in CI
# (CI set), where they fail: the team register must be tested there.

from support.pg_support import BACKENDS, PG_HOST, PG_PORT, PG_USER, pg_problem, pg_url  # noqa: E402


def _migrate_pg_template(host, port, user, dbname, password=None, **_kwargs) -> None:
    """pytest-postgresql's loader: migrate the template every test database is copied from."""
    from pcc_desk import storage

    storage.migrate(storage.resolve_location(pg_url(dbname, user=user, host=host, port=int(port))))


try:
    from pytest_postgresql import factories as _pg_factories
except ImportError:  # pragma: no cover - the test extra brings it
    _pg_factories = None

if _pg_factories is not None:
    _pg_noproc = _pg_factories.postgresql_noproc(
        host=PG_HOST or None,
        port=PG_PORT,
        user=PG_USER,
        dbname=f"pcc_desk_test_{os.getpid()}",  # a run of its own, even on a shared server
        load=[_migrate_pg_template],
    )
    pg_database = _pg_factories.postgresql("pg_server")
    """A fresh, migrated database for one test (a psycopg connection to it, kept open)."""


@pytest.fixture(scope="session")
def pg_server(request):
    """The tests' PostgreSQL server (pytest-postgresql's no-process executor): skips with the reason
    when there is none, fails in CI."""
    problem = pg_problem() if _pg_factories is not None else "pytest-postgresql is not installed"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"The PostgreSQL tests must run in CI, but {problem}.", pytrace=False)
        pytest.skip(problem)
    return request.getfixturevalue("_pg_noproc")


@pytest.fixture
def pg_register(pg_database) -> str:
    """The URL of a fresh, migrated, empty team register on the tests' server."""
    return pg_url(pg_database.info.dbname)


@pytest.fixture
def pg_empty_database(pg_server):
    """An empty database of its own (no schema) on the tests' server: its name. Dropped afterwards,
    with every role named after it (``<name>_owner``, ``<name>_alice``...)."""
    import uuid

    import psycopg

    name = f"pcc_empty_{uuid.uuid4().hex[:10]}"

    def admin():
        return psycopg.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
        )

    with admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin() as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        for (role,) in conn.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (name + "\\_%",)
        ).fetchall():
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture
def backend(request) -> str:
    """Which database the test's register lives in: ``sqlite`` (a file) unless the test is marked
    ``@pytest.mark.backends("sqlite", "postgresql")``, which runs it on both."""
    return getattr(request, "param", "sqlite")


def pytest_generate_tests(metafunc):
    marker = metafunc.definition.get_closest_marker("backends")
    if marker is not None and "backend" in metafunc.fixturenames:
        unknown = set(marker.args) - set(BACKENDS)
        assert not unknown, f"unknown backends {unknown}"
        metafunc.parametrize("backend", marker.args, indirect=True)


@pytest.fixture
def register_db(backend, request):
    """The test's register: a copy of the migrated template file, or a fresh team register's URL."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_register")
    return request.getfixturevalue("db_path")


@pytest.fixture
def desk(register_db):
    from pcc_desk.services import Desk

    d = Desk.open(register_db)
    yield d
    d.close()


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``pcc-desk`` in this process (``pcc_desk.cli.main(argv)``); same arguments and result as
    :func:`run_cli`."""
    from support.cli import call_main

    def run(
        *args: str, db: Path | None = None, input: str | None = None, check_rc: int | None = None
    ):
        proc = call_main(capsys, monkeypatch, *args, db=db, input=input)
        if check_rc is not None:
            assert proc.returncode == check_rc, (proc.returncode, proc.stdout, proc.stderr)
        return proc

    return run


@pytest.fixture
def run_cli(tmp_path):
    """Run ``pcc-desk`` in a subprocess, as a clerk would: for exit codes, the entry point, stderr
    wording and what needs a process of its own; anything else uses :func:`cli`."""
    import subprocess

    def run(
        *args: str, db: Path | None = None, input: str | None = None, check_rc: int | None = None
    ):
        env = dict(os.environ)
        env["PCC_DESK_DATA_DIR"] = str(tmp_path / "user-data")
        cmd = [sys.executable, "-m", "pcc_desk", *args]
        if db is not None:
            cmd[3:3] = ["--db", str(db)]
        proc = subprocess.run(
            cmd, capture_output=True, text=True, env=env, input=input, timeout=120
        )
        if check_rc is not None:
            assert proc.returncode == check_rc, (proc.returncode, proc.stdout, proc.stderr)
        return proc

    return run
