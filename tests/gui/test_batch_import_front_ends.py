"""A folder imported from the window and the same folder imported with the command line skip exactly
the same files (the register's own files and backups, hidden files, Word lock files, other kinds),
with the same reasons, and import the same records."""

from __future__ import annotations

import html
import json

import pytest
from batch_folders import VARIANTS, import_earlier, make_folder, without_sidecars

from pcc_desk.cli import main as cli_main
from pcc_desk.services import Desk, register, transcripts
from pcc_desk.services.batch_import import Outcome


def _records(db, kind) -> list[tuple]:
    with Desk.open(db) as desk:
        if kind == "letter":
            return sorted(
                (r.ref, r.text, r.theme, r.made) for r in register.list_recommendations(desk)
            )
        return sorted(
            (t.date, t.title, t.committee, t.segment_count)
            for t in transcripts.list_transcripts(desk)
        )


def _from_the_window(qtbot, db, folder, kind):
    from pcc_desk.gui.main_window import MainWindow

    desk = Desk.open(db)
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.show()
    try:
        window.import_files([folder], kind)
        screen = window.screens["register" if kind == "letter" else "transcripts"]
        signal = screen.letters.batch_finished if kind == "letter" else screen.transcripts_imported
        with qtbot.waitSignal(signal, timeout=60_000) as finished:
            pass
        box = screen.letters.report_box if kind == "letter" else screen.report_box
        shown = box.informativeText() if box is not None else ""
        if box is not None:
            box.close()
        return finished.args[0], shown
    finally:
        window.bench.tasks.cancel_all()
        window.bench.tasks.wait(5000)
        window.close()
        desk.close()


def _from_the_command_line(capsys, db, folder, kind) -> tuple[list[str], list, str]:
    command = "import-letter" if kind == "letter" else "import-transcript"
    code = cli_main(["--db", str(db), command, str(folder), "--json"])
    out = capsys.readouterr()
    assert code in (1, 2), out.err  # one damaged file in every folder
    skipped = [
        line.removeprefix("skipped: ")
        for line in out.err.splitlines()
        if line.startswith("skipped: ")
    ]
    return skipped, json.loads(out.out), out.err


@pytest.mark.parametrize("kind", ["letter", "transcript"])
@pytest.mark.parametrize("variant", VARIANTS)
def test_window_and_command_line_skip_and_import_the_same_files(
    qtbot, capsys, tmp_path, template_db, variant, kind
):
    gui = make_folder(tmp_path / "gui", VARIANTS[variant], kind, template_db)
    cli = make_folder(tmp_path / "cli", VARIANTS[variant], kind, template_db)
    import_earlier(gui, kind)
    import_earlier(cli, kind)
    before = _records(gui.db, kind)
    assert before == _records(cli.db, kind) and len(before) >= 1

    batch, shown = _from_the_window(qtbot, gui.db, gui.folder, kind)
    skipped_cli, payload, err = _from_the_command_line(capsys, cli.db, cli.folder, kind)

    # the same files skipped, for the same reasons, and they are the ones the folder says
    skipped_gui = [r.reason for r in batch.skipped]
    assert without_sidecars(skipped_gui, gui.db) == without_sidecars(skipped_cli, cli.db)
    names = {reason.split(": ")[0] for reason in skipped_gui}
    assert without_sidecars(names, gui.db) == set(gui.skipped)
    for reason in skipped_gui:
        assert html.escape(reason) in shown  # the window lists them in its report
    # the same files read, in the same order, with the same outcomes
    assert [r.name for r in batch.results] == gui.read
    for n, result in enumerate(batch.results, start=1):
        assert f"[{n}/{len(gui.read)}] " in err and result.path.name in err
    gui_read = [(r.path.name, r.outcome.value) for r in batch.results if r.outcome != "refused"]
    if kind == "letter":
        assert [(r["file"], r["outcome"]) for r in payload] == gui_read
    else:  # the transcripts' JSON names no file
        cli_read = ["imported" if r["created"] else "duplicate" for r in payload]
        assert cli_read == [outcome for _name, outcome in gui_read]
    gui_added = batch.of(Outcome.IMPORTED)
    assert [r.name for r in batch.refused] == gui.refused
    assert len(gui_added) == len(gui.read) - len(gui.refused) - len(gui.duplicates)
    # and the same records in both registers
    after = _records(gui.db, kind)
    assert after == _records(cli.db, kind)
    assert len(after) > len(before)
