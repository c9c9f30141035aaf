"""Developer helpers (not used by the app): write a new Alembic revision by autogenerate."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine

from pcc_desk import storage


def revision(message: str, rev_id: str) -> None:
    from alembic import command

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "scratch.sqlite3"
        location = storage.resolve_location(db)
        if storage.known_revisions():
            storage.migrate(location)
        engine = create_engine(location.url, hide_parameters=True)
        with engine.begin() as connection:
            config = storage._alembic_config(connection)
            command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        engine.dispose()


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "revision":
        raise SystemExit("usage: python -m pcc_desk.devtools revision MESSAGE REV_ID")
    revision(sys.argv[2], sys.argv[3])
