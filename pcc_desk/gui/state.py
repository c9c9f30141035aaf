"""Window state in QSettings (size, splitters, last view) and the register chosen in Settings.

Only the user's own choices live here; the Committee's details live in the register
(services.settings). The register chosen is "This laptop" (a file: ``database/path``, empty for the
default file) or "Team register" (``register/kind`` = ``team`` and ``register/url``, the server's
address **without** its password: that is kept by the system keyring, services.credentials).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "PCC Desk"
APPLICATION = "pcc-desk"
DATABASE_KEY = "database/path"
REGISTER_KIND_KEY = "register/kind"
TEAM_URL_KEY = "register/url"
LAPTOP, TEAM = "laptop", "team"


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


@dataclass(frozen=True)
class RegisterChoice:
    """The register the desktop opens when no --db is given."""

    kind: str = LAPTOP  # LAPTOP or TEAM
    path: str = ""  # this laptop's file ("" for the default one)
    url: str = ""  # the team register's address, without a password

    @property
    def target(self) -> str | None:
        """What to open: the team register's address, the file, or None for the default file."""
        if self.kind == TEAM and self.url:
            return self.url
        return self.path or None


def chosen_register() -> RegisterChoice:
    settings = window_settings()
    kind = str(settings.value(REGISTER_KIND_KEY, LAPTOP) or LAPTOP)
    return RegisterChoice(
        kind=TEAM if kind == TEAM else LAPTOP,
        path=str(settings.value(DATABASE_KEY, "") or ""),
        url=str(settings.value(TEAM_URL_KEY, "") or ""),
    )


def choose_register(choice: RegisterChoice) -> None:
    """Remember ``choice`` (the team address as given: the caller takes any password out first)."""
    settings = window_settings()
    settings.setValue(REGISTER_KIND_KEY, choice.kind)
    for key, value in ((DATABASE_KEY, choice.path), (TEAM_URL_KEY, choice.url)):
        if value:
            settings.setValue(key, value)
        else:
            settings.remove(key)
    settings.sync()


def chosen_database() -> str | None:
    """The register chosen in Settings (used at start-up when no --db is given): a team register's
    address, or a file; None for the default file."""
    return chosen_register().target


def choose_database(path: str | None) -> None:
    """Choose this laptop's file ``path`` (None: the default file)."""
    choice = chosen_register()
    choose_register(RegisterChoice(LAPTOP, path or "", choice.url))


def database_argument(args) -> str | None:
    """--db, else $PCC_DESK_DB (storage resolves it), else the register chosen in Settings (a file,
    or a team register's address: its password comes from the keyring, or is asked)."""
    if getattr(args, "db", None):
        return args.db
    if os.environ.get("PCC_DESK_DB"):
        return None
    return chosen_database()
