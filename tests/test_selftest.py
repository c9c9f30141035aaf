"""`pcc-desk --self-test`: real work on a temporary register, a summary that names what it did."""

from __future__ import annotations

import pytest

from pcc_desk import selftest


def test_self_test_from_the_command_line_passes_with_one_line(run_cli):
    proc = run_cli("--self-test", check_rc=0)
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and "self-test passed" in lines[0]
    for did in (
        "created a register",
        "imported the sample letter (22 recommendations under 8 themes)",
        "imported a transcript",
        "searched it",
        "attached a quote",
        "logged a response",
        "read them back",
        "drafted a follow-up letter",
        "took and checked a backup",
    ):
        assert did in lines[0]


def test_the_summary_names_exactly_the_steps_that_ran(capsys, monkeypatch, qapp):
    monkeypatch.setattr(
        selftest, "STEPS", [selftest.step_open_register, selftest.step_import_letter]
    )
    assert selftest.run_self_test() == 0
    out = capsys.readouterr().out
    assert (
        "created a register, imported the sample letter (22 recommendations under 8 themes) in"
        in out
    )
    assert "logged a response" not in out


def test_a_failing_step_exits_1_naming_it_and_leaves_nothing_behind(capsys, monkeypatch, tmp_path):
    folders = []

    def broken(ctx):
        folders.append(ctx.folder)
        raise ValueError("the register\nwas empty")

    monkeypatch.setattr(selftest, "STEPS", [selftest.step_open_register, broken])
    assert selftest.run_self_test() == 1
    err = capsys.readouterr().err.strip()
    assert err.endswith("FAILED at broken: the register was empty")
    assert "\n" not in err
    assert not folders[0].exists(), "the temporary register is removed"


def test_read_back_really_checks_what_was_written(monkeypatch):
    def wrong_response(ctx):
        import datetime as dt

        from pcc_desk.model import Position
        from pcc_desk.services import register

        register.log_response(
            ctx.desk,
            ctx.values["ref"],
            received=dt.date(2023, 5, 2),
            position=Position.ACCEPTED,
            text="Something else",
        )
        return "logged a different response"

    steps = [
        selftest.step_open_register,
        selftest.step_import_letter,
        selftest.step_import_transcript,
        selftest.step_attach_quote,
        wrong_response,
        selftest.step_read_back,
    ]
    with pytest.raises(selftest.SelfTestFailed, match="read back"):
        selftest.run_steps(steps)
