"""The desktop workbench (PySide6). The only part of PCC Desk that imports Qt; it talks to services.

Importing this package first pins Python's singletons (see :func:`_pin_singletons`).
"""

from __future__ import annotations

import ctypes
import sys


def _pin_singletons() -> None:
    """Work around a PySide6 6.12 reference-count bug on Python 3.11.

    Measured here: on CPython 3.11 every call of a void Qt method (``w.setEnabled(True)``...), and
    every QVariant holding None handed back to Python, drops one reference to ``None`` without ever
    taking it (PySide 6.12 treats None as immortal, which it is only from Python 3.12). After a few
    thousand calls None's count reaches zero and the interpreter aborts ("none_dealloc"), at exit or
    in the middle of a clerk's work. Giving None, True and False a huge reference count makes them as
    immortal as Python 3.12 does; nothing else changes. A no-op on 3.12 and later.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return

    for obj in (None, True, False, Ellipsis, NotImplemented):
        refcount = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is a PyObject's first field
        if refcount.value < (1 << 40):
            refcount.value += 1 << 40


_pin_singletons()
