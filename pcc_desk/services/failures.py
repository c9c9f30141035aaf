"""A database error that no service put into words, as the one line a clerk reads.

The services raise typed errors (:mod:`pcc_desk.errors`) for what they expect, and the engines turn
a full disk, a damaged file or a server that cannot be reached into typed errors too. What is left
(a rule of the schema broken, a driver's ``OperationalError``, any other ``DBAPIError``) reaches the
front ends as SQLAlchemy's exception, whose text holds the statement and, for a broken unique rule,
the very value (``Key (ref)=(...)``: casework). :func:`explain` words it from what is not casework:
the kind of failure, the rule's name (a table and column of the schema), the server's host. The
front ends show that line, exit 2 (the command line) and log nothing more.
"""

from __future__ import annotations

import os
import re

from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from pcc_desk import postgres, storage
from pcc_desk.errors import DatabaseFailed, PccError

__all__ = ["DatabaseFailed", "explain"]


# SQLite's words (``UNIQUE constraint failed: recommendations.ref``) and psycopg's error classes
_SQLITE_RULE = re.compile(
    r"^(UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed(?::\s*([A-Za-z0-9_., ]+))?"
)
_RULE_WORDS = {
    "UNIQUE": "a value that must be unique is used already",
    "UniqueViolation": "a value that must be unique is used already",
    "NOT NULL": "a value it needs is missing",
    "NotNullViolation": "a value it needs is missing",
    "CHECK": "a value is not one the register allows",
    "CheckViolation": "a value is not one the register allows",
    "FOREIGN KEY": "it refers to a record that is not there, or a record still referred to",
    "ForeignKeyViolation": "it refers to a record that is not there, or a record still referred to",
    "ExclusionViolation": "it overlaps with a record already there",
}
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def _broken_rule(error: IntegrityError) -> str:
    """What rule the change broke: its kind and its name in the schema (never the values)."""
    orig = error.orig
    diag = getattr(orig, "diag", None)
    if diag is not None:  # psycopg: the constraint's name, from the schema
        kind = type(orig).__name__
        names = [
            n
            for n in (diag.constraint_name, diag.table_name, diag.column_name)
            if n and _IDENTIFIER.match(n)
        ]
        name = names[0] if names else ""
    else:
        found = _SQLITE_RULE.match(str(orig).strip())
        kind = found.group(1) if found else ""
        columns = (found.group(2) or "") if found else ""
        name = ", ".join(c.strip() for c in columns.split(",") if _IDENTIFIER.match(c.strip()))
    what = _RULE_WORDS.get(kind, "it breaks one of the register's rules")
    return f"{what} ({name})" if name else what


def explain(error: BaseException, db: str | os.PathLike[str] | None = None) -> PccError | None:
    """The one line for a database error (``db``: the register's address as given, to name a
    team register's server), or None when ``error`` is not a database error."""
    if isinstance(error, PccError):
        return error
    if not isinstance(error, SQLAlchemyError):
        return None
    server = _server_url(db)
    if isinstance(error, DBAPIError) and server is not None:
        worded = postgres.explain(
            error.orig, postgres.describe_host(server), is_disconnect=error.connection_invalidated
        )
        if worded is not None:
            return worded
    if isinstance(error, IntegrityError):
        return DatabaseFailed(
            f"The register refused the change: {_broken_rule(error)}. Nothing was saved."
        )
    where = f"The team register at {postgres.describe_host(server)}" if server else "The register"
    kind = type(getattr(error, "orig", None) or error).__name__
    return DatabaseFailed(f"{where} reported an error ({kind}); nothing was saved.")


def _server_url(db: str | os.PathLike[str] | None) -> str | None:
    try:
        location = storage.resolve_location(db)
    except PccError:
        return None
    return location.url if location.is_server else None
