"""Window state in QSettings (size, splitters, last view, the database chosen in Settings).

Only the window's own state lives here; the Committee's details live in the register (services.settings).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "PCC Desk"
APPLICATION = "pcc-desk"
DATABASE_KEY = "database/path"


DATA_DIR_VARIABLE = (
    "PCC_DESK_DATA_DIR"  # as in pcc_desk.storage (not imported: it loads SQLAlchemy)
)


def window_settings() -> QSettings:
    """The user's Qt settings; beside the data instead when ``PCC_DESK_DATA_DIR`` points elsewhere
    (tests, a portable copy), so that such a run never touches the user's own window state."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return QSettings(
            str(Path(override).expanduser() / "pcc-desk-window.ini"), QSettings.Format.IniFormat
        )
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )


def chosen_database() -> str | None:
    """The database file chosen in Settings (used at start-up when no --db is given)."""
    value = window_settings().value(DATABASE_KEY, "")
    return str(value) if value else None


def choose_database(path: str | None) -> None:
    settings = window_settings()
    if path:
        settings.setValue(DATABASE_KEY, path)
    else:
        settings.remove(DATABASE_KEY)
    settings.sync()
