"""The one plain-Python layer that the CLI and the desktop UI call for every use case.

Services take plain values, return frozen dataclasses (:mod:`pcc_desk.services.dto`), raise the typed
errors of :mod:`pcc_desk.errors`, and open one session per use case on a :class:`Desk`.
"""

from pcc_desk.services.desk import ChangeKind, Desk

__all__ = ["ChangeKind", "Desk"]
