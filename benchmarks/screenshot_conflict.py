"""The conflict dialog's screenshot in the README (docs/screenshot-conflict.png): two Desks on a
fresh register, alice's edit and status change, then bob's edit from the version he saw.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python benchmarks/screenshot_conflict.py docs/screenshot-conflict.png
"""

import datetime as dt
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from pcc_desk.errors import VersionConflict
from pcc_desk.gui.dialogs.conflict import ConflictDialog
from pcc_desk.model import Status
from pcc_desk.services import Desk, register

app = QApplication(sys.argv)
tmp = Path(tempfile.mkdtemp()) / "register.sqlite3"
with Desk.open(tmp) as alice, Desk.open(tmp) as bob:
    alice.user, bob.user = "alice", "bob"
    ref = register.add_recommendation(
        alice,
        "The Met should publish timescales for the reform of its vetting processes.",
        theme="Delivering the mission",
        addressee="Sir Mark Rowley",
        made=dt.date(2023, 3, 1),
        ref="PCC-2023-03-01/01",
    ).ref
    seen = register.get_recommendation(bob, ref).version
    register.edit_recommendation(
        alice,
        ref,
        text="The Met should publish timescales for the reform of its vetting processes, and report on them quarterly.",
        notes="Chased at the June meeting.",
    )
    register.change_status(alice, ref, Status.FOLLOW_UP_NEEDED, "No timescales given")
    try:
        register.edit_recommendation(
            bob,
            ref,
            expected_version=seen,
            text="The Met should publish timescales for the reform of vetting, by borough.",
            notes="Asked the Commissioner's office for an update.",
            priority="high",
        )
    except VersionConflict as c:
        d = ConflictDialog(c)
        d.resize(900, 390)
        d.show()
        app.processEvents()
        d.grab().save(sys.argv[1])
        print(str(c))
