"""The team register: one register on the organisation's PostgreSQL server, shared by the clerks.

``init_team_register`` is run once by whoever runs the server (and again after installing a newer
PCC Desk, to bring the schema up to it): it creates the three roles, then the schema through the same
Alembic migrations as a laptop's file, owned by the owner role. ``check_team_register`` is what
``pcc-desk check`` does for a server address (there is no file to check): the schema and its indexes
against this version's, the search index, and the grants that keep the history append-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pcc_desk import postgres, search, storage
from pcc_desk.errors import InvalidInput, NotAllowed, TeamUnavailable
from pcc_desk.model import Base

if TYPE_CHECKING:
    from sqlalchemy import Connection, MetaData


@dataclass(frozen=True)
class TeamRegister:
    host: str
    database: str
    revision: str
    migrated: bool  # the schema was created or brought up to date by this run
    owner: str  # the roles' names
    clerk: str
    reader: str
    login: str  # who ran it (now a member of the owner role)
    created_roles: tuple[str, ...]


@dataclass(frozen=True)
class TeamCheck:
    host: str
    database: str
    revision: str | None
    problems: tuple[str, ...]

    @property
    def sound(self) -> bool:
        return not self.problems


def url_as(url: str, login: str) -> str:
    """The team register's address for another login (no password in it): what a clerk is given."""
    return postgres.url_as(url, login)


def _server_location(url: str) -> storage.Location:
    if not postgres.is_server_url(url or ""):
        raise InvalidInput(
            f"'{url}' is not the address of a team register; give a PostgreSQL URL such as "
            "postgresql+psycopg://owner@server/pcc_register."
        )
    return storage.resolve_location(url)


def init_team_register(url: str) -> TeamRegister:
    """Create (or bring up to date) the team register at ``url``: roles, schema, grants.

    Run by a login that owns the database and may create roles. Idempotent: a second run changes
    nothing but what a newer PCC Desk needs."""
    location = _server_location(url)
    host = postgres.describe_host(url)
    engine = postgres.make_engine(location.url)
    try:
        with postgres.translated(url):
            try:
                with engine.begin() as connection:
                    roles = postgres.install_roles(connection)
                    login = postgres.current_login(connection)
            except NotAllowed as refused:
                raise TeamUnavailable(
                    f"The team register at {host} cannot be set up by this login: {_reason(refused)} "
                    "Run 'pcc-desk team init' as a login that owns the database and may create "
                    "roles (CREATEROLE). Nothing was changed."
                ) from None
            migrated = storage.migrate(location)
            with engine.begin() as connection:  # objects a migration made: the owner's, granted
                postgres.install_roles(connection)
                revision = postgres.stored_revision(connection) or ""
    finally:
        engine.dispose()
    return TeamRegister(
        host=host,
        database=postgres.database_name(url),
        revision=revision,
        migrated=migrated,
        owner=roles.owner,
        clerk=roles.clerk,
        reader=roles.reader,
        login=login,
        created_roles=roles.created,
    )


def _reason(error: BaseException) -> str:
    text = str(error)
    start = text.find("(")
    end = text.rfind(")")
    return (text[start + 1 : end] if 0 <= start < end else text).rstrip(".") + "."


def check_team_register(url: str) -> TeamCheck:
    """The team register's schema, indexes, search index and grants, checked (read only)."""
    location = _server_location(url)
    host = postgres.describe_host(url)
    engine = postgres.make_engine(location.url)
    try:
        with postgres.translated(url), engine.connect() as connection:
            revision = postgres.stored_revision(connection)
            if revision is None:
                problems = ["it has no register yet (run 'pcc-desk team init' first)"]
            elif revision != storage.HEAD_REVISION:
                newer = revision not in storage.known_revisions()
                problems = [
                    f"its schema is {revision}, "
                    + (
                        "saved by a newer PCC Desk"
                        if newer
                        else f"older than this PCC Desk's {storage.HEAD_REVISION} "
                        "(its owner runs 'pcc-desk team init' to bring it up to date)"
                    )
                ]
            else:
                problems = schema_problems(connection, Base.metadata)
                problems += search.verify(connection.connection.driver_connection)
            connection.rollback()
    finally:
        engine.dispose()
    return TeamCheck(
        host=host,
        database=postgres.database_name(url),
        revision=revision,
        problems=tuple(problems),
    )


@dataclass(frozen=True)
class TeamConnection:
    """What Settings → Register's "Test connection" found (nothing is changed on the server)."""

    host: str
    database: str
    login: str
    revision: str | None
    ready: bool  # a register at this version's schema (or one that opening brings up to it)
    summary: str  # one line for the clerk


def try_connection(url: str) -> TeamConnection:
    """Log in to the team register at ``url`` (which may carry the password) and say what is there:
    a register ready to open, an empty database (``team init`` first), or one saved by a newer PCC
    Desk. Read only. Failures are one line (:class:`~pcc_desk.errors.ServerUnreachable`,
    :class:`~pcc_desk.errors.LoginRefused`...)."""
    location = _server_location(url)
    host = postgres.describe_host(url)
    database = postgres.database_name(url)
    engine = postgres.make_engine(location.url)
    try:
        with postgres.translated(url), engine.connect() as connection:
            login = postgres.current_login(connection)
            revision = postgres.stored_revision(connection)
            connection.rollback()
    finally:
        engine.dispose()
    where = f"Connected to {database} at {host} as {login}"
    if revision is None:
        ready, state = (
            False,
            "the database has no register yet (run 'pcc-desk team init' on it first)",
        )
    elif revision == storage.HEAD_REVISION:
        ready, state = True, "the register is ready"
    elif revision in storage.known_revisions():
        ready = True
        state = (
            f"the register is at an older schema ({revision}); opening it brings it up to date "
            "if this login may (else its owner runs 'pcc-desk team init')"
        )
    else:
        ready, state = False, "the register was saved by a newer PCC Desk; install that version"
    return TeamConnection(host, database, login, revision, ready, f"{where}: {state}.")


# --- what check says about a team register's schema and grants -----------------------------------


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def schema_problems(connection: Connection, metadata: MetaData) -> list[str]:
    """What is wrong with the team register's schema, indexes and grants, in words (empty: sound).

    Compares the tables, columns and indexes with the model (Alembic's comparison, as a migration
    would), then the roles: that there are some, who owns each table, and what each role may do
    with it (the clerk: read and write, only append to the history; the reader: read only; only the
    owner changes the schema's version). One line per kind of fault, naming its tables."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    problems: list[str] = []

    def include_name(name: str | None, type_: str, parent_names: object) -> bool:
        return not (type_ == "table" and name and name.startswith(("search_", "alembic_")))

    context = MigrationContext.configure(
        connection, opts={"include_name": include_name, "compare_type": False}
    )
    for diff in compare_metadata(context, metadata):
        problems.append(_describe_diff(diff))
    if not postgres.has_team_roles(connection):
        problems.append(
            "it has no team roles yet (run 'pcc-desk team init' as its owner): until then nothing "
            "keeps the status history and due-date revisions append-only"
        )
        return problems
    problems += _grant_problems(
        connection, postgres.role_names(postgres.current_database(connection))
    )
    return problems


_WRITES = ("INSERT", "UPDATE", "DELETE")


def _grant_problems(connection: Connection, names: dict[str, str]) -> list[str]:
    """The roles' privileges table by table, against what each may do: one line per kind of fault,
    naming the tables."""

    def may(role: str, table: str, privilege: str) -> bool:
        return bool(
            connection.exec_driver_sql(
                "SELECT has_table_privilege(%(r)s, %(t)s, %(p)s)",
                {"r": role, "t": _quoted(table), "p": privilege},
            ).scalar()
        )

    owners: dict[str, str] = dict(
        connection.exec_driver_sql(
            "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = current_schema()"
        ).all()
    )
    faults: dict[str, list[str]] = {}

    def fault(line: str, table: str) -> None:
        faults.setdefault(line, []).append(table)

    for table in sorted(owners):
        if owners[table] != names["owner"]:
            fault(
                f"tables not owned by {names['owner']} (its members could not migrate them): {{}}",
                table,
            )
        if not may(names["reader"], table, "SELECT"):
            fault("the read-only role cannot read {}", table)
        for privilege in _WRITES:
            if may(names["reader"], table, privilege):
                fault(f"the read-only role may {privilege} {{}}", table)
        if table == "alembic_version":
            if any(may(names["clerk"], table, p) for p in _WRITES):
                fault(
                    "the clerk role may change {} (only the owner migrates)",
                    table,
                )
            continue
        for privilege in ("SELECT", "INSERT", *_WRITES[1:]):
            allowed = may(names["clerk"], table, privilege)
            if table in postgres.APPEND_ONLY and privilege in ("UPDATE", "DELETE"):
                if allowed:
                    fault(
                        f"the clerk role may {privilege} rows of {{}}, which must be append-only",
                        table,
                    )
            elif not allowed:
                fault(f"the clerk role cannot {privilege} {{}}", table)
    return [line.format(", ".join(tables)) for line, tables in faults.items()]


def _describe_diff(diff: Any) -> str:  # Alembic's diff: a tuple, or a list of them
    if isinstance(diff, list):  # column modifications come as a list of tuples
        diff = diff[0]
    kind = diff[0]
    words = {
        "add_table": "table {} is missing",
        "remove_table": "table {} is not part of the register",
        "add_column": "a column is missing from {}",
        "remove_column": "{} has a column the register does not know",
        "add_index": "index {} is missing",
        "remove_index": "index {} is not part of the register",
        "add_constraint": "constraint {} is missing",
        "remove_constraint": "constraint {} is not part of the register",
        "add_fk": "a foreign key of {} is missing",
        "remove_fk": "{} has a foreign key the register does not know",
    }
    target = diff[1] if len(diff) > 1 else None
    name = getattr(target, "name", None) or (diff[2] if len(diff) > 2 else "")
    if kind in ("add_column", "remove_column"):
        name = f"{diff[2]} ({getattr(diff[3], 'name', '')})"
    elif kind in ("add_fk", "remove_fk"):
        name = getattr(getattr(target, "parent", None), "name", "") or name
    template = words.get(kind, kind.replace("_", " ") + " {}")
    return str(template.format(name))
