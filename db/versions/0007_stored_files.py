"""Original files kept in the register: a content-addressed table of their bytes

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 15:00:00

``stored_files`` holds the bytes of every file a record came from (letters, minutes, transcripts),
keyed by its SHA-256, so that a team register's clerks can all open them and a register copied
elsewhere (``pcc-desk team upload`` / ``download``, a backup) carries them with it.

On a laptop's file (SQLite) the copies kept so far in the ``<register>-files`` folder beside it are
moved in, in the same transaction: every file there whose name is a SHA-256 and whose content has
that digest (a file that does not match is left out, and stays where it is). The folder itself is
not touched: a migration that fails leaves it as it was, and nothing in it is lost. A team register
(PostgreSQL) has no folder: the copies kept so far on the computer that imported them stay readable
from there (see :mod:`pcc_desk.services.originals`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_NAME = re.compile(r"^([0-9a-f]{64})(\.[A-Za-z0-9]{1,10})?$")
_MAX_BYTES = 200 * 1024 * 1024  # no import keeps a file this large: anything bigger is not ours


def upgrade() -> None:
    table = op.create_table(
        'stored_files',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('sha256', name=op.f('pk_stored_files')),
    )
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        _move_kept_files(bind, table)


def _files_folder(bind) -> Path | None:
    for _seq, name, file in bind.exec_driver_sql('PRAGMA database_list').fetchall():
        if name == 'main' and file:
            path = Path(file)
            return path.parent / f"{path.stem}-files"
    return None


def _move_kept_files(bind, table) -> None:
    folder = _files_folder(bind)
    if folder is None or not folder.is_dir():
        return
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    seen: set[str] = set()
    for path in sorted(folder.rglob('*')):
        match = _NAME.match(path.name)
        if match is None or match.group(1) in seen or not path.is_file():
            continue
        try:
            if path.stat().st_size > _MAX_BYTES:
                continue
            content = path.read_bytes()
        except OSError:  # unreadable: left where it is
            continue
        sha = match.group(1)
        if hashlib.sha256(content).hexdigest() != sha:
            continue
        seen.add(sha)
        bind.execute(
            sa.insert(table).values(sha256=sha, size=len(content), content=content, created_at=now)
        )


def downgrade() -> None:
    op.drop_table('stored_files')
