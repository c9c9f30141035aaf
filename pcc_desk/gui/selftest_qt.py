"""The Qt part of ``pcc-desk --self-test``: build the main window without showing it on screen, and
check the text services Qt takes from ICU."""

from __future__ import annotations

import functools

from PySide6.QtCore import (
    QCollator,
    QEventLoop,
    QLocale,
    QStringDecoder,
    Qt,
    QThreadPool,
    QTimer,
    QTimeZone,
)
from PySide6.QtWidgets import QApplication

from pcc_desk.gui.main_window import MainWindow


def build_main_window_offscreen(desk) -> None:
    app = QApplication.instance()
    if app is None:  # never pop a window on the clerk's screen: Qt's offscreen platform
        app = QApplication(["pcc-desk", "-platform", "offscreen"])
    window = MainWindow(desk)
    window.show()
    screen = window.start("register")
    if screen is None:
        raise RuntimeError("the main window has no register")
    if not screen.is_loaded():  # the register's rows load on a worker thread
        loop = QEventLoop()
        screen.loaded.connect(loop.quit)
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()
    if not window.isVisible() or not screen.is_loaded():
        raise RuntimeError("the main window did not show the register")
    window.close()
    QThreadPool.globalInstance().waitForDone(30_000)
    window.deleteLater()
    app.processEvents()


def check_text_services() -> None:
    """What Qt Core asks ICU for works: the file dialog's natural, case-blind sort of names
    (collation), a Windows encoding, a time zone's name and locale-aware upper case. The Linux
    bundle carries a reduced ICU data library (build.spec): this is the check that it still
    holds what those calls read."""
    collator = QCollator(QLocale("en_GB"))
    collator.setNumericMode(True)
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    names = ["letter 10.docx", "Letter 2.docx", "letter 1.docx"]
    ordered = sorted(names, key=functools.cmp_to_key(collator.compare))
    if ordered != ["letter 1.docx", "Letter 2.docx", "letter 10.docx"]:
        raise RuntimeError(f"Qt sorts file names as {ordered}")
    if collator.compare("eclair", "Éclair") >= 0 or collator.compare("Éclair", "zebra") >= 0:
        raise RuntimeError("Qt does not sort accented names as English does")
    for encoding in ("windows-1252", "ISO-8859-15", "macintosh"):
        if not QStringDecoder(encoding).isValid():
            raise RuntimeError(f"Qt cannot decode {encoding}")
    london = QTimeZone(b"Europe/London")
    name = london.displayName(
        QTimeZone.TimeType.DaylightTime, QTimeZone.NameType.LongName, QLocale("en_GB")
    )
    if name != "British Summer Time":
        raise RuntimeError(f"Qt names London's summer time {name!r}")
    if QLocale("tr_TR").toUpper("istanbul") != "İSTANBUL":
        raise RuntimeError("Qt's locale-aware upper case is missing")
