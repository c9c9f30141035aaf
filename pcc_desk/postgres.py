"""The team register on a PostgreSQL server: every PostgreSQL specific except full-text search (which
lives in :mod:`pcc_desk.search`, the one module that knows full-text search).

- **Addresses.** ``postgresql://`` and ``postgres://`` URLs are read as ``postgresql+psycopg://``
  (psycopg 3, the optional extra ``team``); :func:`describe_host` names the server for messages.
- **Connections** (:func:`make_engine`) run in UTC (``-c timezone=UTC``: server-side
  ``CURRENT_TIMESTAMP`` defaults then agree with Python's ``utcnow()``), give up after
  :data:`CONNECT_TIMEOUT` seconds, and turn a server that cannot be reached, a refused login or a
  missing database into one line (:class:`ServerUnreachable`), never a traceback.
- **Migrations** run in one transaction (PostgreSQL's DDL is transactional) under an advisory lock,
  so two clerks opening a fresh register at the same moment migrate it once; when the register has
  team roles, as its owner role (:func:`migration_role`), so that every later migration can alter
  what the first one made.
- **Roles** (:func:`install_roles`): ``<db>_owner`` owns the schema, ``<db>_clerk`` reads and writes
  but can only append to the status history and the due-date revisions (no UPDATE or DELETE: the
  database refuses them), ``<db>_reader`` reads. They are group roles (NOLOGIN): people log in as
  themselves and are granted one of them; who did what is the login (``current_user``).
- **Checks** of a team register's schema and grants are :mod:`pcc_desk.services.team`'s.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pcc_desk.errors import (
    LoginRefused,
    NotAllowed,
    PccError,
    ServerUnreachable,
    TeamUnavailable,
)

if TYPE_CHECKING:
    from sqlalchemy import URL, Connection, Engine
    from sqlalchemy.engine import ExceptionContext

CONNECT_TIMEOUT = 10  # seconds before a server that does not answer is reported unreachable
DRIVER = "postgresql+psycopg"
# pg_advisory_xact_lock keys: the migration (one 64-bit constant), reference numbers (hashtext)
MIGRATION_LOCK = 0x7063_635F_6465_736B  # "pcc_desk"
JOURNAL_LOCK = MIGRATION_LOCK + 1

# the tables a clerk may only append to
APPEND_ONLY = ("status_changes", "due_date_revisions")
ROLE_KINDS = ("owner", "clerk", "reader")


def is_server_url(url: str) -> bool:
    """True for a PostgreSQL URL (any driver spelling)."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    return scheme.split("+", 1)[0] in ("postgresql", "postgres")


def normalise_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` (no driver) mean psycopg 3."""
    scheme, rest = url.split("://", 1)
    if scheme.lower() in ("postgresql", "postgres"):
        scheme = DRIVER
    return f"{scheme}://{rest}"


def describe_host(url: str) -> str:
    """The server as a clerk would name it: ``host`` (``host:port`` off the default port), or the
    socket folder; never the password."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(normalise_url(url))
    except Exception:
        return "the given address"
    host = parsed.host or parsed.query.get("host") or "localhost"
    if isinstance(host, tuple):
        host = ",".join(host)
    port = parsed.port or parsed.query.get("port")
    return f"{host}:{port}" if port and str(port) != "5432" else str(host)


def url_as(url: str, login: str) -> str:
    """The same address for another login (no password in it)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(normalise_url(url)).set(username=login)._replace(password=None)
    return parsed.render_as_string(hide_password=False)


def database_name(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(normalise_url(url)).database or ""


def require_driver() -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise TeamUnavailable(
            "This PCC Desk cannot open a team register: PostgreSQL support is not installed "
            "(install PCC Desk with its 'team' extra: pip install 'pcc-desk[team]')."
        ) from None


# --- connections -----------------------------------------------------------------------------


def _connect_args(url: URL) -> dict[str, object]:
    options = "-c timezone=UTC"
    extra = url.query.get("options")
    if extra:
        options = f"{extra if isinstance(extra, str) else ' '.join(extra)} {options}"
    args: dict[str, object] = {"options": options, "application_name": "pcc-desk"}
    if "connect_timeout" not in url.query:
        args["connect_timeout"] = CONNECT_TIMEOUT
    return args


def make_engine(url: str) -> Engine:
    """An engine for the team register at ``url``: UTC sessions, failures in one line."""
    require_driver()
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url

    parsed = make_url(normalise_url(url))
    engine = create_engine(
        parsed, hide_parameters=True, pool_pre_ping=True, connect_args=_connect_args(parsed)
    )
    host = describe_host(url)
    event.listen(engine, "handle_error", lambda context: translate_error(context, host))
    return engine


_UNREACHABLE_WORDS = (
    "connection refused",
    "no such file or directory",
    "could not translate host name",
    "failed to resolve host",
    "name or service not known",
    "timeout expired",
    "server closed the connection",
    "connection is lost",
    "consuming input failed",
    "network is unreachable",
    "no route to host",
    "terminating connection",
    "connection to server",
    "the database system is starting up",
    "the database system is shutting down",
)


def unreachable_message(host: str) -> str:
    return f"The team register at {host} cannot be reached; nothing was saved."


def explain(
    exc: BaseException | None, host: str, *, is_disconnect: bool = False
) -> PccError | None:
    """The one line a clerk reads for a driver error, or None for errors that are not the server's
    or the login's (those are the services' to explain)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - no driver, no such errors
        return None
    if not isinstance(exc, psycopg.Error):
        return None
    sqlstate = getattr(exc, "sqlstate", None)
    if sqlstate == "42501":
        return NotAllowed(
            f"The team register at {host} does not let this login do that "
            f"({_first_line(exc)}); nothing was saved."
        )
    if not isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return None
    text = str(exc).lower()
    if (
        sqlstate in ("28P01", "28000")
        or "authentication failed" in text
        or "no password supplied" in text
    ):
        login = re.search(r'(?:for user|role) "([^"]*)"', str(exc))
        who = f" '{login.group(1)}'" if login else ""
        return LoginRefused(
            f"The team register at {host} did not accept the login{who}; nothing was saved. "
            "Check the user name and password."
        )
    if sqlstate == "3D000" or ("database" in text and "does not exist" in text):
        return ServerUnreachable(
            f"The team register at {host} has no such database; nothing was saved. "
            "Check the address (its last part names the database)."
        )
    if (
        is_disconnect
        or sqlstate is None
        or sqlstate.startswith("08")
        or sqlstate.startswith("57P")
        or any(w in text for w in _UNREACHABLE_WORDS)
    ):
        return ServerUnreachable(unreachable_message(host))
    return None


def _first_line(exc: BaseException) -> str:
    diag = getattr(exc, "diag", None)
    text = str((diag and diag.message_primary) or exc)
    return " ".join(text.strip().splitlines()[0].split()) if text.strip() else "permission denied"


def translate_error(context: ExceptionContext, host: str) -> BaseException | None:
    """SQLAlchemy ``handle_error`` hook: the server's failures as :class:`ServerUnreachable`."""
    return explain(context.original_exception, host, is_disconnect=context.is_disconnect)


@contextlib.contextmanager
def translated(url: str) -> Iterator[None]:
    """Word a driver failure raised outside an engine (e.g. inside Alembic) for people."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as exc:
        better = explain(exc.orig, describe_host(url), is_disconnect=exc.connection_invalidated)
        if better is None:
            raise
        raise better from None


# --- schema version and migrations --------------------------------------------------------------


def stored_revision(connection: Connection) -> str | None:
    """The Alembic revision stamped in the register (None: no schema yet), read without writing."""
    has_table = connection.exec_driver_sql(
        "SELECT to_regclass('alembic_version') IS NOT NULL"
    ).scalar()
    if not has_table:
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def lock_migrations(connection: Connection) -> None:
    """Hold the migration lock until the transaction ends (two openers migrate one after another)."""
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")


def lock_reference_prefix(connection: Connection, prefix: str) -> None:
    """Serialise the reference numbers of one date (``PCC-2024-03-17/``) until the transaction ends:
    two clerks importing letters of the same date at the same moment take numbers one after the
    other instead of both taking max + 1."""
    connection.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext(%(p)s))", {"p": prefix})


def lock_journal(connection: Connection) -> None:
    """Serialise the journal's sequence numbers (max + 1) until the transaction ends: two clerks'
    changes committed at the same moment get one number each."""
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({JOURNAL_LOCK})")


def role_names(database: str) -> dict[str, str]:
    """``{"owner": "<db>_owner", "clerk": ..., "reader": ...}`` for the register's database."""
    base = re.sub(r"[^a-z0-9_]+", "_", database.lower()).strip("_") or "pcc_desk"
    base = base[: 63 - len("_reader")]
    return {kind: f"{base}_{kind}" for kind in ROLE_KINDS}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _role_exists(connection: Connection, role: str) -> bool:
    return bool(
        connection.exec_driver_sql(
            "SELECT 1 FROM pg_roles WHERE rolname = %(r)s", {"r": role}
        ).scalar()
    )


def current_database(connection: Connection) -> str:
    return connection.exec_driver_sql("SELECT current_database()").scalar() or ""


def current_login(connection: Connection) -> str:
    return connection.exec_driver_sql("SELECT current_user").scalar() or ""


def migration_role(connection: Connection) -> str | None:
    """The owner role to migrate as, when the register has team roles and this login holds it."""
    owner = role_names(current_database(connection))["owner"]
    if not _role_exists(connection, owner):
        return None
    member = connection.exec_driver_sql(
        "SELECT pg_has_role(current_user, %(r)s, 'MEMBER')", {"r": owner}
    ).scalar()
    return owner if member else None


@contextlib.contextmanager
def as_role(connection: Connection, role: str | None) -> Iterator[None]:
    """``SET LOCAL ROLE`` for the rest of the transaction's work inside the block."""
    if role is None:
        yield
        return
    connection.exec_driver_sql(f"SET LOCAL ROLE {_quote(role)}")
    yield
    # (after a failure the transaction is rolled back, and SET LOCAL with it)
    connection.exec_driver_sql("RESET ROLE")


def can_create(connection: Connection) -> bool:
    """True when this login may create tables in the register's schema."""
    return bool(
        connection.exec_driver_sql(
            "SELECT has_schema_privilege(current_schema(), 'CREATE')"
        ).scalar()
    )


# --- roles ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamRoles:
    owner: str
    clerk: str
    reader: str
    created: tuple[str, ...]  # the roles this run created (the others were there already)


def install_roles(connection: Connection) -> TeamRoles:
    """Create the three group roles if missing, make the schema's tables the owner role's, and grant
    the clerk and reader roles what they may do. Idempotent: run again after every migration."""
    names = role_names(current_database(connection))
    created = []
    for kind in ROLE_KINDS:
        role = names[kind]
        if not _role_exists(connection, role):
            connection.exec_driver_sql(f"CREATE ROLE {_quote(role)} NOLOGIN")
            created.append(role)
    owner, clerk, reader = (_quote(names[k]) for k in ROLE_KINDS)
    login = current_login(connection)
    if login != names["owner"]:
        connection.exec_driver_sql(f"GRANT {owner} TO {_quote(login)}")
    database = _quote(current_database(connection))
    schema = _quote(connection.exec_driver_sql("SELECT current_schema()").scalar() or "public")
    statements = [
        f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {clerk}, {reader}",
        f"GRANT CONNECT, CREATE ON DATABASE {database} TO {owner}",
        f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {owner}",
        f"GRANT USAGE ON SCHEMA {schema} TO {clerk}, {reader}",
    ]
    for name, kind in _owned_objects(connection):
        statements.append(f"ALTER {kind} {name} OWNER TO {owner}")
    for statement in statements:
        connection.exec_driver_sql(statement)
    grant_privileges(connection)
    return TeamRoles(names["owner"], names["clerk"], names["reader"], tuple(created))


def _owned_objects(connection: Connection) -> list[tuple[str, str]]:
    """The schema's tables, sequences, functions and text search configurations not yet the owner
    role's: (the name as ALTER takes it, quoted; the kind as ALTER names it). Objects of an extension
    (unaccent) stay as they are, and so do sequences that belong to a table's column."""
    owner = role_names(current_database(connection))["owner"]
    not_owner = "pg_get_userbyid({}) <> %(o)s"
    rows = connection.exec_driver_sql(
        "SELECT quote_ident(c.relname), CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'S') "
        f"AND {not_owner.format('c.relowner')} "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid "
        "AND d.deptype IN ('a', 'i', 'e'))",
        {"o": owner},
    ).all()
    functions = connection.exec_driver_sql(
        "SELECT p.oid::regprocedure::text, 'FUNCTION' FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace "
        f"WHERE n.nspname = current_schema() AND {not_owner.format('p.proowner')} "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')",
        {"o": owner},
    ).all()
    configurations = connection.exec_driver_sql(
        "SELECT quote_ident(c.cfgname), 'TEXT SEARCH CONFIGURATION' FROM pg_ts_config c "
        "JOIN pg_namespace n ON n.oid = c.cfgnamespace "
        f"WHERE n.nspname = current_schema() AND {not_owner.format('c.cfgowner')}",
        {"o": owner},
    ).all()
    return [(name, kind) for name, kind in [*rows, *functions, *configurations]]


def grant_privileges(connection: Connection) -> None:
    """The clerk: everything but UPDATE and DELETE on the append-only tables; the reader: SELECT."""
    names = role_names(current_database(connection))
    owner, clerk, reader = (_quote(names[k]) for k in ROLE_KINDS)
    schema = _quote(connection.exec_driver_sql("SELECT current_schema()").scalar() or "public")
    statements = [
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {clerk}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {clerk}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {reader}",
    ]
    tables = set(_tables(connection))
    if "alembic_version" in tables:  # only the owner migrates
        statements.append(
            f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {clerk}"
        )
    for table in APPEND_ONLY:
        if table in tables:
            statements.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {_quote(table)} FROM {clerk}")
    # tables a later migration makes get the same grants (re-run after it for the append-only ones)
    statements += [
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {clerk}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {clerk}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT SELECT ON TABLES TO {reader}",
    ]
    for statement in statements:
        connection.exec_driver_sql(statement)


def has_team_roles(connection: Connection) -> bool:
    return _role_exists(connection, role_names(current_database(connection))["owner"])


def _tables(connection: Connection) -> list[str]:
    return list(
        connection.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        ).scalars()
    )
