"""The one plain-Python layer that the CLI and the desktop UI call for every use case.

Services take plain values, return frozen dataclasses (:mod:`pcc_desk.services.dto`), raise the typed
errors of :mod:`pcc_desk.errors`, and open one session per use case on a :class:`Desk`.

:class:`Desk` is loaded on first use: :mod:`pcc_desk.services.maintenance` (locating the register,
its health check) must be importable before SQLAlchemy loads, so that the desktop's start-up can
check the file while SQLAlchemy is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcc_desk.vocabulary import ChangeKind  # (no SQLAlchemy: a foundation module)

if TYPE_CHECKING:
    from pcc_desk.services.desk import Desk

__all__ = ["ChangeKind", "Desk"]


def __getattr__(name: str) -> type[Desk]:
    if name == "Desk":
        from pcc_desk.services.desk import Desk

        return Desk
    raise AttributeError(f"module 'pcc_desk.services' has no attribute {name!r}")
