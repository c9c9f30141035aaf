"""The detail's "Verified & evidence" tab: a verification with its files and a file attached, both
undoable, each file opened from its kept copy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices

from pcc_desk.gui.screens.detail_evidence import VerifyDialog
from pcc_desk.services import register


@pytest.fixture
def opened(monkeypatch):
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: urls.append(url)))
    return urls


def test_verify_and_attach_from_the_detail_and_open_the_kept_copy(
    qtbot, window, desk, register_screen, sample_register, tmp_path, opened
):
    ref = sample_register[1]
    register_screen.select_ref(ref)
    panel = register_screen.detail.evidence
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.ref == ref, timeout=10_000)
    assert "Not verified" in panel.summary.text()
    policy = tmp_path / "Stop and search policy – 2024.pdf"
    policy.write_bytes(b"%PDF-1.4 policy")
    panel.record_verification(
        {"note": "Policy published", "verified_by": "Clerk A", "verified_on": dt.date(2024, 1, 5),
         "evidence": (policy,)}
    )  # fmt: skip
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 1, timeout=10_000)
    assert "Verified 5 January 2024 by Clerk A: Policy published" in panel.summary.text()
    assert panel.tree.topLevelItem(0).text(1) == "verification of 5 January 2024"
    tab = register_screen.detail.tabs.tabText(4)
    assert tab.startswith("✔") and tab.endswith("(1)")
    policy.unlink()  # the kept copy is what opens
    panel.open_item(panel.tree.topLevelItem(0))
    (url,) = opened
    assert Path(url.toLocalFile()).read_bytes() == b"%PDF-1.4 policy"  # the register's copy
    note = tmp_path / "data.csv"
    note.write_text("a,b\n")
    panel.attach(note)
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 2, timeout=10_000)
    window.bench.undo.undo()
    assert len(register.get_recommendation(desk, ref).evidence) == 1
    window.bench.undo.undo()
    stored = register.get_recommendation(desk, ref)
    assert (stored.verifications, stored.evidence) == ((), ())


def test_the_verify_dialog_needs_what_was_seen(qtbot, desk, sample_register, tmp_path):
    dialog = VerifyDialog(register.get_recommendation(desk, sample_register[0]))
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.note_edit.setText("Seen")
    dialog.add_files([tmp_path / "a.pdf"])
    assert dialog.ok_button.isEnabled()
    values = dialog.values()
    assert values["note"] == "Seen" and values["evidence"] == (tmp_path / "a.pdf",)
