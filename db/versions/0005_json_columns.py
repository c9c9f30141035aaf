"""JSON columns and ordinals: cc lists, footnote URLs and settings as JSON; order numbers named ordinal

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10 10:00:00

``documents.cc``, ``footnotes.urls`` and ``settings.value`` held JSON as TEXT, written and decoded by
hand; they become SQLAlchemy ``JSON`` columns. The data is moved first, so that every row holds valid
JSON of the right shape, and nothing is lost:

- ``cc``: an empty text is an empty list; text that is not JSON becomes a one-entry list holding it;
  a JSON string a one-entry list; other entries are kept as text.
- ``urls``: an empty text is an empty list; text that is not JSON becomes the list of the http(s)
  addresses in it (before, such a value read as no URLs at all); a JSON string a one-entry list;
  entries that are not text are dropped (they never were a URL).
- ``value``: an empty text is JSON ``null``; text that is not JSON is kept as a JSON string.

The order numbers called ``position`` (a theme's and an ask's place in its letter, a turn's in its
meeting) are renamed ``ordinal``: ``position`` is the Met's position on an ask, and only that.

On SQLite both changes rebuild the tables (batch mode), which drops the search triggers: they are
suspended around the rebuild and installed again for the new column names; the records keep their
ids, so the index itself stays as it is. On PostgreSQL (a team register) the columns are altered in
place and the triggers stay.
"""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from alembic import op

from pcc_desk import search

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_URL = re.compile(r"https?://[^\s<>\"“”,;]+")
_URL_TRAILING = ".,;:)]}'’"
_ORDINALS = ('themes', 'recommendations', 'segments')
_JSON = (('documents', 'cc'), ('footnotes', 'urls'), ('settings', 'value'))


def _decoded(raw):
    """(True, value) for valid JSON, (False, None) otherwise."""
    try:
        return True, json.loads(raw)
    except (TypeError, ValueError):
        return False, None


def moved_cc(raw) -> list[str]:
    if raw is None or not str(raw).strip():
        return []
    ok, value = _decoded(raw)
    if not ok:
        return [str(raw)]
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in value if v is not None]
    return [json.dumps(value, ensure_ascii=False)]


def moved_urls(raw) -> list[str]:
    if raw is None or not str(raw).strip():
        return []
    ok, value = _decoded(raw)
    if not ok:
        return [m.group(0).rstrip(_URL_TRAILING) for m in _URL.finditer(str(raw))]
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v.strip()]
    return []


def moved_value(raw):
    if raw is None or not str(raw).strip():
        return None
    ok, value = _decoded(raw)
    return value if ok else str(raw)


_MOVES = {'cc': moved_cc, 'urls': moved_urls, 'value': moved_value}


def _move_data(bind) -> None:
    for table, column in _JSON:
        key = 'key' if table == 'settings' else 'id'
        rows = bind.execute(sa.text(f'SELECT {key}, {column} FROM {table}')).fetchall()
        update = sa.text(f'UPDATE {table} SET {column} = :value WHERE {key} = :key')
        for ident, raw in rows:
            text = json.dumps(_MOVES[column](raw), ensure_ascii=False)
            if text != raw:
                bind.execute(update, {'value': text, 'key': ident})


def upgrade() -> None:
    bind = op.get_bind()
    _move_data(bind)
    if bind.dialect.name == 'postgresql':  # altered in place; the search triggers stay
        for table, column in _JSON:
            op.alter_column(table, column, type_=sa.JSON(), existing_type=sa.Text(), existing_nullable=False, postgresql_using=f'{column}::json')
        for table in _ORDINALS:
            op.alter_column(table, 'position', new_column_name='ordinal', existing_type=sa.Integer(), existing_nullable=False)
        return
    with search.triggers_suspended(bind):
        for table, column in _JSON:
            with op.batch_alter_table(table, recreate='always') as batch:
                batch.alter_column(column, type_=sa.JSON(), existing_type=sa.Text(), existing_nullable=False)
        for table in _ORDINALS:
            with op.batch_alter_table(table, recreate='always') as batch:
                batch.alter_column('position', new_column_name='ordinal', existing_type=sa.Integer(), existing_nullable=False)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        for table in _ORDINALS:
            op.alter_column(table, 'ordinal', new_column_name='position', existing_type=sa.Integer(), existing_nullable=False)
        for table, column in _JSON:
            op.alter_column(table, column, type_=sa.Text(), existing_type=sa.JSON(), existing_nullable=False, postgresql_using=f'{column}::text')
        return
    with search.triggers_suspended(bind):
        for table in _ORDINALS:
            with op.batch_alter_table(table, recreate='always') as batch:
                batch.alter_column('ordinal', new_column_name='position', existing_type=sa.Integer(), existing_nullable=False)
        for table, column in _JSON:
            with op.batch_alter_table(table, recreate='always') as batch:
                batch.alter_column(column, type_=sa.Text(), existing_type=sa.JSON(), existing_nullable=False)
