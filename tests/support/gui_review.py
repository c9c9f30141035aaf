"""Opening an import's review dialog through the window, as a clerk does (File → Import…)."""

from __future__ import annotations

KINDS = {"letter": "letters", "reply": "replies"}  # the import kind -> the screen's importer


def open_review(qtbot, window, path, kind: str = "letter"):
    """Import ``path`` from the register screen and wait for its review dialog: (screen, dialog)."""
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    assert window.import_files([path], kind)
    importer = KINDS[kind]
    qtbot.waitUntil(
        lambda: (
            getattr(screen, importer, None) is not None
            and getattr(screen, importer).dialog is not None
        ),
        timeout=20_000,
    )
    return screen, getattr(screen, importer).dialog
