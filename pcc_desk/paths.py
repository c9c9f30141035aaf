"""Where the shipped data folders (ui/, resources/, db/) live.

The same lookup works in a source checkout (the folders sit beside the package), an installed wheel
(they are packed into ``pcc_desk/_data``) and a PyInstaller bundle (they sit under ``sys._MEIPASS``).
Where the clerk's own data lives is decided by :mod:`pcc_desk.storage`, never here.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates(name: str) -> list[Path]:
    found = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(Path(bundle) / name)
    found.append(_PACKAGE_DIR / "_data" / name)
    found.append(_PACKAGE_DIR.parent / name)
    return found


@cache
def data_dir(name: str) -> Path:
    """The shipped folder ``name`` (one of ``ui``, ``resources``, ``db``)."""
    for candidate in _candidates(name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"PCC Desk is missing its {name}/ folder; reinstall the application.")


def resources_dir() -> Path:
    return data_dir("resources")


def ui_dir() -> Path:
    return data_dir("ui")


def migrations_dir() -> Path:
    return data_dir("db")


def committee_defaults() -> Path:
    """The Committee's details a new register starts with (data: names, roles, an address)."""
    return resources_dir() / "committee-defaults.json"


def sample_letter() -> Path:
    return resources_dir() / "samples" / "pcc-letter-2023-03-17-turnaround-plan.md"
