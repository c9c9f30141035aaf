"""Where the register lives: the data folder, :class:`Location`, ``--db`` resolved, and the one
place where a SQLite file's path becomes an address (:func:`sqlite_address`, :func:`connect`)."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

from pcc_desk.errors import (
    InvalidInput,
)
from pcc_desk.postgres import is_server_url

APP_SLUG = "pcc-desk"
DB_FILE_NAME = "pcc-desk.sqlite3"
ENV_DB = "PCC_DESK_DB"
ENV_DATA_DIR = "PCC_DESK_DATA_DIR"


def default_data_dir() -> Path:
    """The local (non-roaming) per-user data folder, or ``PCC_DESK_DATA_DIR`` when set."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_SLUG, appauthor=False, roaming=False))


def default_db_path() -> Path:
    return default_data_dir() / DB_FILE_NAME


@dataclass(frozen=True)
class Location:
    """A database the clerk asked for: a SQLite file path, or any SQLAlchemy URL."""

    url: str
    path: Path | None  # the SQLite file, when there is one

    @property
    def data_dir(self) -> Path:
        """The folder beside the database for originals and backups."""
        if self.path is not None:
            return self.path.parent
        return default_data_dir()

    @property
    def files_dir(self) -> Path:
        stem = self.path.stem if self.path is not None else APP_SLUG
        return self.data_dir / f"{stem}-files"

    @property
    def backups_dir(self) -> Path:
        stem = self.path.stem if self.path is not None else APP_SLUG
        return self.data_dir / f"{stem}-backups"

    @property
    def is_server(self) -> bool:
        """A team register on a PostgreSQL server (no file: no backups folder, no file checks)."""
        return self.path is None and is_server_url(self.url)

    def describe(self) -> str:
        if self.path is not None:
            return str(self.path)
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)


def resolve_location(db: str | os.PathLike[str] | None = None) -> Location:
    """``--db`` value, else ``PCC_DESK_DB``, else the default file in the user data folder.

    A SQLite file named by a URL (``sqlite:///PATH``, or SQLite's own ``sqlite:///file:PATH?uri=true``)
    is a file like any other: it gets the same location guard, health check, lock and backups."""
    raw = os.fspath(db) if db is not None else os.environ.get(ENV_DB) or ""
    if not raw:
        path = default_db_path()
        return Location(url=_sqlite_url(path), path=path)
    if "://" in raw:
        from sqlalchemy.engine import make_url

        try:
            url = make_url(raw)
        except Exception as exc:  # sqlalchemy.exc.ArgumentError
            raise InvalidInput(f"'{raw}' is neither a file path nor a database URL.") from exc
        if url.get_backend_name() == "sqlite":
            database = url.database or ""
            if database.startswith("file:"):
                file_path = _path_of_file_uri(raw, database, dict(url.query))
                if file_path is not None:
                    return Location(url=_sqlite_url(file_path), path=file_path)
            elif database and database != ":memory:":
                path = Path(database).expanduser().resolve()
                return Location(url=_sqlite_url(path), path=path)
        return Location(url=raw, path=None)
    path = Path(raw).expanduser().resolve()
    if path.is_dir():
        path = path / DB_FILE_NAME
    return Location(url=_sqlite_url(path), path=path)


def _path_of_file_uri(raw: str, database: str, query: dict[str, Any]) -> Path | None:
    """The file a ``sqlite:///file:…`` URL names, as SQLite would read it (None: an in-memory one)."""
    uri = database[len("file:") :].split("#", 1)[0]
    if uri.startswith("//"):  # file://localhost/path or file:///path
        authority, _, rest = uri[2:].partition("/")
        if authority not in ("", "localhost"):
            raise InvalidInput(f"'{raw}' names a file on another computer; give a local file path.")
        uri = "/" + rest
    options = {k.lower(): v for k, v in query.items()}
    if uri in ("", ":memory:") or options.get("mode") == "memory":
        return None
    unsupported = sorted(
        k for k, v in options.items() if not (k == "uri" or (k == "mode" and v in ("rw", "rwc")))
    )
    if unsupported:
        raise InvalidInput(
            f"'{raw}': PCC Desk opens the register itself, for reading and writing; give it as a "
            f"file path (the option {', '.join(unsupported)} is not supported)."
        )
    return Path(unquote(uri)).expanduser().resolve()


def sqlite_address(path: str | os.PathLike[str], *, sqlalchemy: bool = False, **params: str) -> str:
    """The one place where a SQLite file's path becomes an address; every opener goes through it.

    A folder may be named ``PCC #2``, ``what?``, ``100%``, ``a%25b``, ``O'Brien & co; "x"`` or
    anything else a file system allows. Written into an address as it is, ``#`` ends a URI (SQLite
    then opens a stray file in the parent folder), ``?`` starts a query string and ``%25`` is
    decoded to ``%``: so the path is always percent-escaped.

    ``sqlalchemy=True``: a SQLAlchemy URL, ``sqlite:///`` and the escaped absolute path (SQLAlchemy
    decodes it and hands SQLite a plain file name). Otherwise an RFC 8089 ``file:`` URI for
    ``sqlite3.connect(..., uri=True)``, with ``params`` as its query (``mode="ro"``, ``immutable="1"``).
    """
    absolute = Path(os.path.abspath(os.fspath(path)))
    if sqlalchemy:
        if params:
            raise ValueError("a SQLAlchemy URL for a SQLite file takes no parameters here")
        return "sqlite:///" + quote(str(absolute), safe="/\\:")
    uri = absolute.as_uri()
    return f"{uri}?{urlencode(params)}" if params else uri


def connect(
    path: str | os.PathLike[str], *, mode: str = "ro", immutable: bool = False, **kwargs: Any
) -> sqlite3.Connection:
    """A standard-library connection to the SQLite file at ``path``, through :func:`sqlite_address`.

    ``mode``: ``"ro"`` (reads only; the default), ``"rw"`` or ``"rwc"`` (may create the file).
    ``immutable``: read the file as it is on disk, without locks or a write-ahead log, creating no
    -wal or -shm beside it (only for a file without a -wal, so that no one is writing it)."""
    if immutable:
        address = sqlite_address(path, mode=mode, immutable="1")
    else:
        address = sqlite_address(path, mode=mode)
    connection: sqlite3.Connection = sqlite3.connect(address, uri=True, **kwargs)
    return connection


def _sqlite_url(path: Path) -> str:
    return sqlite_address(path, sqlalchemy=True)
