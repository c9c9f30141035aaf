"""Transcript file kinds in the desktop: .rst (and .md) transcripts are offered by the file dialog,
accepted when dropped, and sent to the transcripts screen."""

from __future__ import annotations

from support.transcript_styles import inquiry_day

from pcc_desk.importers.transcript import TRANSCRIPT_SUFFIXES


def test_the_transcript_dialog_offers_every_kind_the_importer_reads(window, monkeypatch):
    from pcc_desk.gui import main_window

    offered = []

    def choose(parent, title, folder, pattern):
        offered.append(pattern)
        return [], ""

    monkeypatch.setattr(main_window.QFileDialog, "getOpenFileNames", choose)
    window.import_transcript()
    assert offered, "the dialog was not opened"
    assert {f"*{suffix}" for suffix in TRANSCRIPT_SUFFIXES} <= set(
        offered[0].split("(")[1].rstrip(")").split()
    )


def test_a_dropped_rst_transcript_goes_to_the_transcripts(tmp_path):
    from pcc_desk.gui.file_kinds import IMPORTABLE_SUFFIXES, TRANSCRIPT, group_by_kind

    day = tmp_path / "2023-11-30_module-2.rst"
    day.write_text(inquiry_day(3, "rst").text, encoding="utf-8")
    notes = tmp_path / "notes.rst"
    notes.write_text("Dear Commissioner,\n\nThank you for your letter.\n", encoding="utf-8")
    assert ".rst" in IMPORTABLE_SUFFIXES
    assert group_by_kind([day, notes]) == {TRANSCRIPT: [day], "letter": [notes]}
