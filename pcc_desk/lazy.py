"""The imports that wait for first use, and why: the one place they are written down.

PCC Desk starts fast because the libraries below are imported only where they are used, inside the
function that needs them (or, on the command line, through :func:`module`), never at the top of a
module that start-up imports. Measured with ``python -X importtime -m pcc_desk --version`` and the
desktop's start; ``tests/test_import_time.py`` keeps this honest:

- ``pcc-desk --version`` and ``pcc-desk --help`` load none of :data:`HEAVY`;
- every import inside a function in ``pcc_desk`` either defers one of :data:`HEAVY` (importing its
  target loads a heavy library that its module does not load already), breaks an import cycle
  listed in :data:`CYCLES` or imports a module of :data:`PLATFORM_ONLY`; any other belongs at the
  top of its module.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

HEAVY: dict[str, str] = {
    "sqlalchemy": "the ORM and the engine (~0.2 s): the models, the services and the database are "
    "imported by the command line's handlers, not by its parser, and by the desktop after its window "
    "is on screen",
    "alembic": "migrations: only when a register's schema is older than the code's head revision",
    "docx": "python-docx: only when a Word file is read or written",
    "lxml": "lxml: with python-docx, only when a Word file is read or written",
    "pdfplumber": "PDF reading: only when a PDF is read",
    "pdfminer": "PDF reading (pdfplumber's parser): only when a PDF is read",
    "openpyxl": "the .xlsx export of the tracker: only when exporting to Excel",
    "platformdirs": "the user data folder: only when no register path is given",
    "PySide6": "Qt: only the desktop (pcc_desk.gui) imports it, after the command line chose it",
    "PySide6.QtWidgets": "Qt's widgets and the desktop's screens (~0.1 s): the launcher "
    "(pcc_desk.gui.launch) starts reading the register's table from its file first",
    "PySide6.QtCharts": "the Due screen's chart: only when that screen is first shown",
    "sqlalchemy.dialects.postgresql": "PostgreSQL's SQL dialect (~30 ms at the desktop's start-up, "
    "where every screen's services are imported): only when a team register writes",
    "psycopg": "the PostgreSQL driver: only for a team register (a postgresql+psycopg:// URL)",
    "keyring": "the system keyring (~0.2 s): only when a team register's password is looked up or kept",
}

# standard modules that exist on some systems only: imported where that system is known
PLATFORM_ONLY: dict[str, str] = {
    "resource": "Unix only (the PDF reader's memory limit)",
    "fcntl": "Unix only (the register's lock)",
    "msvcrt": "Windows only (the register's lock)",
    "winreg": "Windows only",
}

# (importing module, imported module) -> the cycle a function-level import breaks. Remove an entry
# when the cycle goes (issue 11: no cycles inside pcc_desk).
CYCLES: dict[tuple[str, str], str] = {}  # none left since storage was split (issue 11)


class _Deferred(ModuleType):
    """A module imported on first attribute access (thread-safe: ``importlib`` holds the lock)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__dict__["_target"] = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self.__dict__["_target"]), attribute)

    def __repr__(self) -> str:
        return f"<deferred module {self.__dict__['_target']!r}>"


def module(name: str) -> Any:
    """``name``, imported when first used. For a module-level name that start-up must not import:

    if TYPE_CHECKING:
        from pcc_desk.services import register
    else:
        register = lazy.module("pcc_desk.services.register")
    """
    return _Deferred(name)
