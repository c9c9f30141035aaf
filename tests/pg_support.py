"""The tests' PostgreSQL server: where it is (scripts/test.sh exports it) and the URL of a database on
it. Its own module, since tests/gui/conftest.py shadows tests/conftest.py for ``from conftest import``."""

from __future__ import annotations

import os

PG_HOST = os.environ.get("PCC_DESK_TEST_PG_HOST", "")
PG_PORT = int(os.environ.get("PCC_DESK_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("PCC_DESK_TEST_PG_USER", "postgres")
BACKENDS = ("sqlite", "postgresql")


def pg_url(dbname: str, user: str = PG_USER, host: str = PG_HOST, port: int = PG_PORT) -> str:
    """The SQLAlchemy URL of a database on the tests' server (a socket folder or a host name)."""
    if host.startswith("/"):
        return f"postgresql+psycopg://{user}@/{dbname}?host={host}&port={port}"
    return f"postgresql+psycopg://{user}@{host}:{port}/{dbname}"


def pg_problem() -> str | None:
    """Why the PostgreSQL tests cannot run here, or None."""
    if not PG_HOST:
        return "no PostgreSQL server for the tests (bash scripts/test.sh starts one)"
    if PG_HOST.startswith("unavailable:"):
        return "PostgreSQL did not start (see the output of scripts/test.sh)"
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    try:
        psycopg.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", connect_timeout=5
        ).close()
    except psycopg.Error as exc:
        return f"the PostgreSQL server at {PG_HOST} cannot be reached ({str(exc).strip()[:160]})"
    return None
