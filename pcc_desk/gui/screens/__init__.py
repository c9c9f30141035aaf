"""The screens of the main window: one module per screen, listed in :data:`SCREENS`.

A screen is a :class:`Screen` (a QWidget handed the :class:`Workbench`). The main window builds a
screen the first time it is shown, so start-up pays only for the first view. To add a screen, write
its module and add a :class:`ScreenSpec` here; a screen that handles imported files lists the kinds
in ``imports`` and implements :meth:`Screen.import_files`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QWidget

from pcc_desk.gui.workbench import Workbench


class Screen(QWidget):
    """Base of every screen."""

    loaded = (
        Signal()
    )  # the screen's data is on screen (the screenshot and the benchmark wait for it)

    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bench = bench
        self._loaded = False

    def activate(self) -> None:
        """Called each time the screen is shown; the first call starts loading its data."""

    def is_loaded(self) -> bool:
        return self._loaded

    def mark_loaded(self) -> None:
        self._loaded = True
        self.loaded.emit()

    def focus_search(self) -> bool:
        """Ctrl+F: put the cursor in the screen's search box; False when it has none."""
        return False

    def save(self) -> bool:
        """Ctrl+S: save the screen's pending edits; False when there is nothing to save."""
        return False

    def has_unsaved_changes(self) -> bool:
        return False

    def import_files(self, paths: list[Path], kind: str | None) -> bool:
        """Handle files the clerk imports or drops (screens listing ``imports`` in their spec)."""
        return False

    def save_state(self, settings: QSettings) -> None:
        """Store splitter positions and the like (window state only)."""

    def restore_state(self, settings: QSettings) -> None:
        pass


@dataclass(frozen=True)
class ScreenSpec:
    key: str
    title: str
    module: str
    class_name: str
    shortcut: str
    imports: tuple[str, ...] = ()  # kinds of file the screen imports ("letter", "transcript")

    def create(self, bench: Workbench, parent: QWidget | None = None) -> Screen:
        cls = getattr(importlib.import_module(self.module), self.class_name)
        return cls(bench, parent)


SCREENS: tuple[ScreenSpec, ...] = (
    ScreenSpec(
        "register",
        "Register",
        "pcc_desk.gui.screens.register",
        "RegisterScreen",
        "Ctrl+1",
        imports=("letter", "reply"),
    ),
    ScreenSpec(
        "transcripts",
        "Transcripts",
        "pcc_desk.gui.screens.transcripts",
        "TranscriptsScreen",
        "Ctrl+2",
        imports=("transcript",),
    ),
    ScreenSpec("due", "Due & overdue", "pcc_desk.gui.screens.due", "DueScreen", "Ctrl+3"),
    ScreenSpec("letters", "Letters", "pcc_desk.gui.screens.letters", "LettersScreen", "Ctrl+4"),
)


def spec_for(key: str) -> ScreenSpec:
    for spec in SCREENS:
        if spec.key == key:
            return spec
    raise KeyError(key)
