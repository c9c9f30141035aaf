"""``pcc-desk import-letter`` end to end, in a subprocess, as a clerk (or a script) would run it."""

from __future__ import annotations

import json
import shutil

from letter_fixtures import MINUTES, SAMPLE, write_letter_docx


def test_json_output_has_the_documented_shape(run_cli, tmp_path):
    db = tmp_path / "r.sqlite3"
    out = json.loads(run_cli("import-letter", str(SAMPLE), "--json", db=db, check_rc=0).stdout)
    assert set(out["document"]) >= {
        "date",
        "sender",
        "sender_role",
        "recipient",
        "recipient_role",
        "cc",
        "subject",
    }
    assert (
        out["document"]["date"] == "2023-03-17"
        and out["document"]["cc"][1] == "Diana Luchford, CEO, MOPAC"
    )
    assert (
        len(out["themes"]) == 8
        and len(out["recommendations"]) == 22
        and len(out["footnotes"]) == 36
    )
    first = out["recommendations"][0]
    assert set(first) >= {"ref", "theme", "text", "context", "footnotes"}
    assert (
        first["ref"] == "PCC-2023-03-17/01"
        and first["footnotes"] == [1]
        and first["theme"] == "Delivering the mission"
    )
    assert set(out["footnotes"][0]) >= {"number", "text", "urls"}
    assert out["footnotes"][0]["urls"] == ["https://www.met.police.uk/turnaround-plan"]
    assert out["suggested"] and set(out["suggested"][0]) >= {"theme", "text"}
    listed = json.loads(run_cli("list", "--json", db=db, check_rc=0).stdout)
    assert [r["ref"] for r in listed] == [r["ref"] for r in out["recommendations"]]


def test_dry_run_reads_and_reports_but_saves_nothing(run_cli, tmp_path):
    db = tmp_path / "r.sqlite3"
    proc = run_cli("import-letter", str(SAMPLE), "--dry-run", db=db, check_rc=0)
    assert "22 ask(s), 36 footnote(s), 8 theme(s) read (dry run: nothing saved)" in proc.stdout
    assert "PCC-2023-03-17/22" in proc.stdout
    assert json.loads(run_cli("list", "--json", db=db, check_rc=0).stdout) == []
    assert not (tmp_path / "r-files").exists()


def test_folder_imports_each_file_reports_progress_and_lists_failures_at_the_end(run_cli, tmp_path):
    db = tmp_path / "db" / "r.sqlite3"
    archive = tmp_path / "archive"
    (archive / "2023").mkdir(parents=True)
    shutil.copyfile(SAMPLE, archive / "2023" / "a-turnaround-plan.md")
    (archive / "b-broken.docx").write_bytes(b"not a word file")
    (archive / "c-minutes.txt").write_text(MINUTES, encoding="utf-8")
    write_letter_docx(archive / "d-turnaround-plan.docx")
    (archive / "notes.csv").write_text("ignored", encoding="utf-8")

    proc = run_cli("import-letter", str(archive), db=db)
    assert proc.returncode == 2
    assert (
        "[1/4] 2023/a-turnaround-plan.md" in proc.stderr
        and "[4/4] d-turnaround-plan.docx" in proc.stderr
    )
    tail = proc.stderr.strip().splitlines()[-2:]
    assert tail[0] == "1 of 4 file(s) could not be imported:" and tail[1].startswith(
        "  b-broken.docx: "
    )
    assert "c-minutes.txt: 4 undertaking(s)" in proc.stdout
    # the same letter as .docx is recognised as a version of the one imported from .md: nothing doubled
    assert "d-turnaround-plan.docx: an edited version of a-turnaround-plan.md" in proc.stdout
    rows = json.loads(run_cli("list", "--json", db=db, check_rc=0).stdout)
    assert len(rows) == 22 + 4
    assert sum(r["kind"] == "undertaking" for r in rows) == 4

    (archive / "b-broken.docx").unlink()
    again = run_cli("import-letter", str(archive), "--json", db=db, check_rc=0)
    reports = json.loads(again.stdout)
    assert [r["outcome"] for r in reports] == ["duplicate", "duplicate", "duplicate"]
    assert all("already imported on" in r["message"] for r in reports)
