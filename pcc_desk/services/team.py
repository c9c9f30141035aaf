"""The team register: one register on the organisation's PostgreSQL server, shared by the clerks.

``init_team_register`` is run once by whoever runs the server (and again after installing a newer
PCC Desk, to bring the schema up to it): it creates the three roles, then the schema through the same
Alembic migrations as a laptop's file, owned by the owner role. ``check_team_register`` is what
``pcc-desk check`` does for a server address (there is no file to check): the schema and its indexes
against this version's, the search index, and the grants that keep the history append-only.
"""

from __future__ import annotations

from dataclasses import dataclass

from pcc_desk import postgres, search, storage
from pcc_desk.errors import InvalidInput, NotAllowed, TeamUnavailable
from pcc_desk.model import Base


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
                problems = postgres.check(connection, Base.metadata)
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
