"""The original files records came from (imported letters, minutes, transcripts), kept in the
register itself: the ``stored_files`` table, content-addressed by SHA-256, on a laptop's file and on
a team register alike, so that every clerk can open them and a copy of the register carries them.

- :func:`keep` stores a file's bytes in the import's own transaction (an import that fails keeps
  nothing); the same content is stored once.
- :func:`release` deletes the bytes once no record uses them (deleting a transcript, taking an import
  out for good). Undoing an import keeps them, so that a redo can put it back from them.
- :func:`read_original` / :func:`open_original`: a record's original as bytes, or as a temporary file
  named as it was imported (for the system's viewer). A register upgraded from before originals were
  kept inside it may still name a copy in the files folder beside it (or, for a team register, on
  the computer that imported it): that copy is read when the register holds none.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, delete, exists, func, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pcc_desk import storage
from pcc_desk.errors import Conflict, ImportRejected, InvalidInput, NotFound
from pcc_desk.model import Document, StoredFile, Transcript, utcnow
from pcc_desk.services.desk import Desk


def keep(session: Session, source: Path, sha256: str, *, name: str | None = None) -> None:
    """Store the bytes of ``source`` under ``sha256`` (nothing when they are stored already).
    ImportRejected when the file no longer has that digest (it changed since it was read)."""
    label = name or source.name
    try:
        content = source.read_bytes()
    except OSError:
        raise ImportRejected(
            f"{label}: the file can no longer be read; nothing was imported."
        ) from None
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ImportRejected(
            f"{label}: the file has changed since it was read; read it again before importing."
        )
    keep_bytes(session, content, sha256)


def keep_bytes(session: Session, content: bytes, sha256: str) -> None:
    values = {"sha256": sha256, "size": len(content), "content": content, "created_at": utcnow()}
    dialect = session.get_bind().dialect.name
    statement: Executable
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert  # a team register only

        statement = pg_insert(StoredFile).values(values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite_insert(StoredFile).values(values).on_conflict_do_nothing()
    else:  # pragma: no cover - the two backends PCC Desk supports
        if is_kept(session, sha256):
            return
        statement = insert(StoredFile).values(values)
    session.execute(statement)


def is_kept(session: Session, sha256: str | None) -> bool:
    if not sha256:
        return False
    return bool(session.scalar(select(exists().where(StoredFile.sha256 == sha256))))


def release(session: Session, sha256: str | None) -> bool:
    """Delete the stored bytes of ``sha256`` when no record uses them any more; whether it did."""
    if not sha256:
        return False
    used = session.scalar(select(exists().where(Document.sha256 == sha256)))
    if used:
        return False
    result = cast(
        CursorResult[Any], session.execute(delete(StoredFile).where(StoredFile.sha256 == sha256))
    )
    return bool(result.rowcount)


def kept_bytes(
    session: Session, location: storage.Location, sha256: str | None, stored_path: str | None
) -> bytes | None:
    """The bytes kept of a file: from the register, else from a copy in the files folder that an
    older version kept (checked against the digest), else None."""
    if sha256:
        content = session.scalar(select(StoredFile.content).where(StoredFile.sha256 == sha256))
        if content is not None:
            return bytes(content)
    if stored_path and sha256:
        folder = location.files_dir.resolve()
        target = (folder / stored_path).resolve()
        if folder in target.parents and target.is_file():
            with contextlib.suppress(OSError):
                content = target.read_bytes()
                if hashlib.sha256(content).hexdigest() == sha256:
                    return content
    return None


def stored_size(session: Session) -> tuple[int, int]:
    """(how many files, how many bytes) the register keeps."""
    count, size = session.execute(
        select(func.count(StoredFile.sha256), func.coalesce(func.sum(StoredFile.size), 0))
    ).one()
    return int(count), int(size)


def _document(session: Session, ident: uuid.UUID | str) -> Document:
    """A document by its id, or the document of a transcript by the transcript's id; either id may
    be given as text, or its first characters (at least 6) when only one record starts so."""
    if isinstance(ident, str):
        key = ident.strip().lower().replace("-", "")
        if len(key) < 6 or any(c not in "0123456789abcdef" for c in key):
            raise InvalidInput(
                f"'{ident}' is not the id of an imported document or transcript (see "
                "`pcc-desk transcripts`, `pcc-desk undo --list`)."
            )
        found = {
            d.id for d in session.scalars(select(Document)) if d.id.hex.startswith(key) and d.sha256
        }
        found |= {
            t.document_id
            for t in session.scalars(select(Transcript))
            if t.id.hex.startswith(key) and t.document_id is not None
        }
        if len(found) > 1:
            raise InvalidInput(f"'{ident}' matches more than one record; give more of its id.")
        if not found:
            raise NotFound(f"There is no imported document or transcript {ident}.")
        ident = found.pop()
    document = session.get(Document, ident)
    if document is None:
        transcript = session.get(Transcript, ident)
        document = transcript.document if transcript is not None else None
    if document is None:
        raise NotFound(f"There is no imported document or transcript {ident}.")
    return document


def write_original(
    desk: Desk, ident: uuid.UUID | str, target: Path | None = None, *, force: bool = False
) -> Path:
    """Write the original a document (or transcript) came from to ``target`` (default: its own name
    in the current folder), whole or not at all; an existing file only with ``force``."""
    name, content = read_original(desk, ident)
    path = Path(target) if target is not None else Path(Path(name).name or "original")
    if path.is_dir():
        path = path / (Path(name).name or "original")
    if path.exists() and not force:
        raise Conflict(f"{path.name} exists already; nothing was written (--force replaces it).")
    storage.atomic_write_bytes(path, content)
    return path


def read_original(desk: Desk, ident: uuid.UUID | str) -> tuple[str, bytes]:
    """The file name and bytes of the original a document (or a transcript) came from.
    NotFound when the register keeps none for it."""
    with desk.reading() as session:
        document = _document(session, ident)
        name = document.file_name or document.title or "original"
        content = kept_bytes(session, desk.location, document.sha256, document.stored_path)
    if content is None:
        raise NotFound(f"{name}: no copy of the original file is kept in this register.")
    return name, content


def open_original(desk: Desk, ident: uuid.UUID | str) -> Path:
    """The original as a temporary file of its own name (in a folder of its own), for the system's
    viewer: the register itself is never handed out."""
    name, content = read_original(desk, ident)
    return _as_temporary_file(name, content)


def open_kept(desk: Desk, sha256: str, name: str, stored_path: str | None = None) -> Path:
    """The bytes kept under ``sha256`` as a temporary file called ``name`` (as
    :func:`open_original`), whether or not a record uses them now (an undone import's stay for its
    redo). NotFound when the register keeps none."""
    with desk.reading() as session:
        content = kept_bytes(session, desk.location, sha256, stored_path)
    if content is None:
        raise NotFound(f"{name}: no copy of the file is kept in this register.")
    return _as_temporary_file(name, content)


def _as_temporary_file(name: str, content: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="pcc-desk-original-"))
    target = folder / (Path(name).name or "original")
    storage.atomic_write_bytes(target, content)
    return target


@contextlib.contextmanager
def kept_copy_as_file(
    session: Session, desk: Desk, sha256: str | None, stored_path: str | None, file_name: str
) -> Iterator[Path | None]:
    """The kept bytes as a temporary file named like the original (its suffix tells the readers
    what it is), removed afterwards; None when nothing is kept."""
    content = kept_bytes(session, desk.location, sha256, stored_path)
    if content is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="pcc-desk-kept-") as folder:
        path = Path(folder) / (Path(file_name).name or f"{sha256}")
        path.write_bytes(content)
        yield path
