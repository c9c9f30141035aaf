"""Typed errors that every front end words for people.

Each carries a one-line, human message (``str(error)``) that is safe to show a clerk: it never holds
a traceback, and never the casework text itself beyond what the clerk just typed or the file name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


class PccError(Exception):
    """Base of every error PCC Desk expects and explains."""

    exit_code = 2


class NotFound(PccError):
    """A reference, id or file the clerk named does not exist."""


class InvalidInput(PccError):
    """An argument or form value is not acceptable."""


class ImportRejected(PccError):
    """A file cannot be imported (wrong type, damaged, encrypted, empty, too large, hostile)."""


class DuplicateImport(PccError):
    """The very same file was imported before."""


class DatabaseTooNew(PccError):
    """The database was written by a newer PCC Desk; it is left untouched."""


class DatabaseDamaged(PccError):
    """The database file fails its integrity check or cannot be read.

    ``offer`` (when set) is a :class:`pcc_desk.backup.RecoveryOffer`: the newest good backup, if any,
    or a fresh start; the damaged file is left exactly as it was until the clerk chooses.
    """

    # Any: the foundations cannot name pcc_desk.backup's type
    def __init__(self, message: str, offer: Any = None) -> None:
        super().__init__(message)
        self.offer = offer


class StorageFailed(PccError):
    """The register could not be written (disk full, read-only, disk error); nothing was saved."""


class OutputFailed(PccError):
    """A letter or export could not be written (disk full, read-only folder, disk error); the file of
    that name, if there was one, is exactly as it was."""


class BackupFailed(PccError):
    """A backup could not be written or failed its check; older backups were kept."""


class UnsafeLocation(PccError):
    """The database path is in a cloud-synced folder or a network share."""


class FileLocked(PccError):
    """A file to be written is open in another program."""


class Conflict(PccError):
    """The operation would break a rule of the register (e.g. deleting a quoted transcript)."""


@dataclass(frozen=True)
class FieldClash:
    """One field of a record two clerks changed: the value saved now (``theirs``) and the value the
    clerk tried to save (``yours``), as stored (JSON values) and as a clerk reads them (``*_text``)."""

    name: str
    label: str
    theirs: object
    yours: object
    theirs_text: str
    yours_text: str
    changed_by_them: bool = True  # False: they changed other fields; this one is as it was shown


class VersionConflict(Conflict):
    """A record was changed by someone else since the version the clerk saw; nothing was saved.

    ``ref`` names the record as a clerk does (a reference, "The Committee's details"); ``seen`` is
    the version the clerk's edit started from and ``now`` the record's version; ``by`` and ``at``
    (UTC) say who made the latest change since and when (from the journal; empty and None when the
    journal does not say); ``fields`` their value and yours for each field of the edit;
    ``their_fields`` the fields they changed since ``seen``. The command line exits with 3."""

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        ref: str = "",
        seen: int | None = None,
        now: int | None = None,
        by: str = "",
        at: dt.datetime | None = None,
        fields: tuple[FieldClash, ...] = (),
        their_fields: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.ref, self.seen, self.now, self.by, self.at = ref, seen, now, by, at
        self.fields, self.their_fields = tuple(fields), tuple(their_fields)


class Cancelled(PccError):
    """Long work was cancelled by the clerk; nothing was saved."""


class ServerUnreachable(PccError):
    """The team register's server cannot be reached, or refused the login; nothing was saved."""


class LoginRefused(ServerUnreachable):
    """The team register's server asked for a password, or did not accept the one given."""


class TeamUnavailable(PccError):
    """The team register (PostgreSQL) cannot be used by this installation or this login."""


class NotAllowed(PccError):
    """The team register's server refused this login the change (e.g. a read-only login)."""


class DatabaseFailed(PccError):
    """A database error no service foresaw (a broken rule of the schema, a driver's error), worded
    without its text (which may hold casework); nothing was saved."""
