"""The original files a register keeps (its ``stored_files`` table), read back for tests."""

from __future__ import annotations

from sqlalchemy import select

from pcc_desk.model import StoredFile


def kept_files(desk) -> dict[str, bytes]:
    """sha256 -> bytes of every file the register keeps."""
    with desk.reading() as session:
        return {
            sha: bytes(content)
            for sha, content in session.execute(select(StoredFile.sha256, StoredFile.content))
        }


def copy_kept_files(source, target) -> None:
    """What the offline sync will carry with the journal's rows: the kept files, by content."""
    from pcc_desk.services import originals

    with target.transaction() as session:
        for sha, content in kept_files(source).items():
            originals.keep_bytes(session, content, sha)
