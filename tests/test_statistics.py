"""Statistics against a register whose figures were worked out by hand (support.follow_register).

On 30 June 2024 the seven asks stand so:

| ask | made | addressee | theme | first response | days | on time | latest position, implementation | status | open age |
|---|---|---|---|---|---|---|---|---|---|
| A1 | 2023-01-10 | Met | Stop | 2023-03-01 | 50 | yes | accepted, in progress | response received | 17 months |
| A2 | 2023-01-10 | Met | Stop | 2023-04-20 | 100 | no | not accepted | closed not accepted | - |
| A3 | 2023-06-05 | MOPAC | Neighbourhood | 2023-07-05 | 30 | yes | partly, reported complete | closed implemented | - |
| A4 | 2023-06-05 | MOPAC | Neighbourhood | - | | past due | | awaiting, overdue | 12 months |
| A5 | 2024-05-20 | Met | Neighbourhood | - | | not yet due | | awaiting | 1 month |
| A6 | 2024-02-01 | Met | Stop | 2024-03-15 | 43 | yes | accepted; an update reports it complete | response received | 4 months |
| A7 | 2023-09-01 | - | - | - | | past due | | awaiting (due put back) | 9 months |
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json

import pytest
from openpyxl import load_workbook
from support import follow_register
from support.follow_register import MET, MOPAC, NEIGHBOURHOOD, STOP, TODAY

from pcc_desk.errors import InvalidInput
from pcc_desk.services import statistics

BANDS = ("under 3 months", "3–6 months", "6–12 months", "1–2 years", "over 2 years")


def figures(row) -> dict:
    values = dataclasses.asdict(row)
    values.pop("group")
    return values


def expect(**values) -> dict:
    keys = [f.name for f in dataclasses.fields(statistics.GroupStatistics) if f.name != "group"]
    assert set(values) == set(keys)
    return {k: values[k] for k in keys}


TOTAL = expect(
    asks=7,
    answered=4,
    deadline_passed=6,  # the four answered, A4 and A7 (past their original due date)
    answered_on_time=3,
    on_time_percent=50.0,
    median_days_to_respond=46.5,  # 30, 43, 50, 100
    accepted=2,
    partly_accepted=1,
    not_accepted=1,
    other_position=0,
    accepted_percent=50.0,
    partly_accepted_percent=25.0,
    not_accepted_percent=25.0,
    agreed=3,  # A1, A3, A6
    reported_implemented=2,  # A3, A6
    reported_implemented_percent=66.7,
    verified=1,  # A3
    verified_percent=33.3,
    open=5,
    open_by_age=(1, 1, 1, 2, 0),
    overdue=1,  # A4 (A7's due date was put back)
)

BOTH = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def small(desk):
    return follow_register.build(desk)


@BOTH
def test_figures_of_the_whole_register_are_the_hand_computed_ones(desk, small):
    stats = statistics.compute(desk, today=TODAY)
    assert stats.age_bands == BANDS
    assert [g.group for g in stats.groups] == ["All asks"]
    assert figures(stats.groups[0]) == TOTAL
    assert figures(stats.total) == TOTAL


@BOTH
def test_figures_by_addressee(desk, small):
    stats = statistics.compute(desk, by="addressee", today=TODAY)
    assert [g.group for g in stats.groups] == [MET, MOPAC, "(no addressee)"]
    met, mopac, nobody = stats.groups
    assert figures(met) == expect(
        asks=4,
        answered=3,
        deadline_passed=3,
        answered_on_time=2,
        on_time_percent=66.7,
        median_days_to_respond=50.0,
        accepted=2,
        partly_accepted=0,
        not_accepted=1,
        other_position=0,
        accepted_percent=66.7,
        partly_accepted_percent=0.0,
        not_accepted_percent=33.3,
        agreed=2,
        reported_implemented=1,
        reported_implemented_percent=50.0,
        verified=0,
        verified_percent=0.0,
        open=3,
        open_by_age=(1, 1, 0, 1, 0),
        overdue=0,
    )
    assert figures(mopac) == expect(
        asks=2,
        answered=1,
        deadline_passed=2,
        answered_on_time=1,
        on_time_percent=50.0,
        median_days_to_respond=30.0,
        accepted=0,
        partly_accepted=1,
        not_accepted=0,
        other_position=0,
        accepted_percent=0.0,
        partly_accepted_percent=100.0,
        not_accepted_percent=0.0,
        agreed=1,
        reported_implemented=1,
        reported_implemented_percent=100.0,
        verified=1,
        verified_percent=100.0,
        open=1,
        open_by_age=(0, 0, 0, 1, 0),
        overdue=1,
    )
    # nothing answered: no share is made up
    assert figures(nobody) == expect(
        asks=1,
        answered=0,
        deadline_passed=1,
        answered_on_time=0,
        on_time_percent=0.0,
        median_days_to_respond=None,
        accepted=0,
        partly_accepted=0,
        not_accepted=0,
        other_position=0,
        accepted_percent=None,
        partly_accepted_percent=None,
        not_accepted_percent=None,
        agreed=0,
        reported_implemented=0,
        reported_implemented_percent=None,
        verified=0,
        verified_percent=None,
        open=1,
        open_by_age=(0, 0, 1, 0, 0),
        overdue=0,
    )
    assert figures(stats.total) == TOTAL


@BOTH
def test_figures_by_year_and_by_theme(desk, small):
    by_year = statistics.compute(desk, by="year", today=TODAY)
    assert [g.group for g in by_year.groups] == ["2023", "2024"]
    y2023, y2024 = by_year.groups
    assert (y2023.asks, y2023.answered, y2023.deadline_passed, y2023.answered_on_time) == (
        5,
        3,
        5,
        2,
    )
    assert (y2023.on_time_percent, y2023.median_days_to_respond) == (40.0, 50.0)
    assert (y2023.accepted, y2023.partly_accepted, y2023.not_accepted) == (1, 1, 1)
    assert (y2023.agreed, y2023.reported_implemented, y2023.verified) == (2, 1, 1)
    assert (y2023.open, y2023.open_by_age, y2023.overdue) == (3, (0, 0, 1, 2, 0), 1)
    assert (y2024.asks, y2024.answered, y2024.on_time_percent) == (2, 1, 100.0)
    assert (y2024.median_days_to_respond, y2024.reported_implemented_percent) == (43.0, 100.0)
    assert (y2024.verified_percent, y2024.open_by_age) == (0.0, (1, 1, 0, 0, 0))

    by_theme = statistics.compute(desk, by="theme", today=TODAY)
    # themes in the order the register first used them; the asks without one last
    assert [g.group for g in by_theme.groups] == [STOP, NEIGHBOURHOOD, "(no theme)"]
    stop, neighbourhood, none = by_theme.groups
    assert (stop.asks, stop.answered_on_time, stop.on_time_percent) == (3, 2, 66.7)
    assert stop.median_days_to_respond == 50.0  # 43, 50, 100
    assert (neighbourhood.asks, neighbourhood.overdue, neighbourhood.open) == (3, 1, 2)
    assert neighbourhood.deadline_passed == 2  # A5 is not yet due
    assert (none.asks, none.open_by_age) == (1, (0, 0, 1, 0, 0))
    assert sum(g.asks for g in by_theme.groups) == by_theme.total.asks == 7


@BOTH
def test_only_the_asks_made_between_the_dates_count(desk, small):
    stats = statistics.compute(
        desk, made_from=dt.date(2023, 6, 1), made_to=dt.date(2023, 12, 31), today=TODAY
    )
    total = stats.total  # A3, A4, A7
    assert (total.asks, total.answered, total.deadline_passed, total.answered_on_time) == (
        3,
        1,
        3,
        1,
    )
    assert (total.on_time_percent, total.median_days_to_respond) == (33.3, 30.0)
    assert (total.verified, total.open, total.overdue) == (1, 2, 1)
    with pytest.raises(InvalidInput, match="wrong way round"):
        statistics.compute(desk, made_from=dt.date(2024, 1, 1), made_to=dt.date(2023, 1, 1))
    with pytest.raises(InvalidInput, match="grouped by"):
        statistics.compute(desk, by="colour")


def test_a_progress_update_alone_is_not_an_answer(desk):
    from pcc_desk.model import Implementation, ResponseKind
    from pcc_desk.services import register

    ref = register.add_recommendation(desk, "Ask", made=dt.date(2024, 1, 2)).ref
    register.log_response(
        desk,
        ref,
        received=dt.date(2024, 2, 1),
        position=None,
        text="Work has started.",
        implementation=Implementation.IN_PROGRESS,
        kind=ResponseKind.PROGRESS_UPDATE,
    )
    total = statistics.compute(desk, today=TODAY).total
    assert (total.answered, total.answered_on_time, total.deadline_passed) == (0, 0, 1)
    assert total.median_days_to_respond is None


@BOTH
def test_an_empty_register_gives_no_made_up_figures(desk):
    stats = statistics.compute(desk, by="addressee", today=TODAY)
    assert stats.groups == ()
    assert stats.total.asks == 0 and stats.total.on_time_percent is None
    assert stats.total.median_days_to_respond is None


def test_the_command_offers_every_grouping():
    from pcc_desk.cli import follow

    assert follow.GROUPINGS == statistics.GROUPINGS


def test_age_in_whole_months():
    assert statistics.months_between(dt.date(2023, 3, 17), dt.date(2023, 5, 16)) == 1
    assert statistics.months_between(dt.date(2023, 3, 17), dt.date(2023, 5, 17)) == 2
    assert statistics.months_between(dt.date(2023, 1, 31), dt.date(2023, 2, 28)) == 0
    assert [statistics.age_band(m) for m in (0, 2, 3, 5, 6, 11, 12, 23, 24, 120)] == [
        0, 0, 1, 1, 2, 2, 3, 3, 4, 4
    ]  # fmt: skip


@BOTH
def test_the_table_is_written_as_csv_and_xlsx_and_read_back(desk, small, tmp_path):
    stats = statistics.compute(desk, by="addressee", today=TODAY)
    out = statistics.export_table(stats, tmp_path / "figures.csv")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    headers = rows[0]
    assert headers[:5] == ["Addressee", "Asks made", "Answered", "Answered on time", "On time (%)"]
    assert [r[0] for r in rows[1:]] == [MET, MOPAC, "(no addressee)", "All asks"]
    total = dict(zip(headers, rows[-1], strict=True))
    assert total["Asks made"] == "7" and total["Median days to respond"] == "46.5"
    assert total["Reported implemented (%)"] == "66.7" and total["Open 1–2 years"] == "2"
    assert dict(zip(headers, rows[3], strict=True))["Accepted (%)"] == ""  # no answer, no share

    out = statistics.export_table(stats, tmp_path / "figures.xlsx")
    sheet = load_workbook(out).active
    table = [[c.value for c in row] for row in sheet.iter_rows(min_row=1, max_row=5)]
    assert table[0] == headers
    assert table[1][:5] == [MET, 4, 3, 2, 66.7]  # numbers, not text
    assert table[4][0] == "All asks" and table[4][headers.index("Overdue now")] == 1
    with pytest.raises(InvalidInput, match=r"\.csv or \.xlsx"):
        statistics.export_table(stats, tmp_path / "figures.pdf")


@BOTH
def test_a_name_that_looks_like_a_formula_is_text_in_the_table(desk, tmp_path):
    from pcc_desk.services import register

    register.add_recommendation(desk, "Ask", made=dt.date(2024, 1, 2), addressee="=HYPERLINK(1)")
    stats = statistics.compute(desk, by="addressee", today=TODAY)
    out = statistics.export_table(stats, tmp_path / "f.xlsx")
    assert load_workbook(out).active["A2"].value == "'=HYPERLINK(1)"


def test_stats_command_prints_the_table_json_and_writes_the_file(cli, db_path, tmp_path, desk):
    follow_register.build(desk)
    on = ("--today", TODAY.isoformat())
    out = cli("stats", "--by", "addressee", *on, db=db_path, check_rc=0).stdout
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["ADDRESSEE", "ASKS", "ON-TIME"]
    met = next(line for line in lines if line.startswith(MET))
    assert met.split()[3:8] == ["4", "66.7%", "50", "66.7%", "0.0%"]
    age_rows = lines[lines.index("Open asks by age on 30 June 2024:") + 1 :]
    assert age_rows[0].split()[:3] == ["ADDRESSEE", "UNDER", "3"]
    assert age_rows[-1].split() == ["All", "asks", "1", "1", "1", "2", "0"]
    data = json.loads(cli("stats", "--by", "year", "--json", *on, db=db_path, check_rc=0).stdout)
    assert data["by"] == "year" and [g["group"] for g in data["groups"]] == ["2023", "2024"]
    assert data["total"]["median_days_to_respond"] == 46.5
    assert data["total"]["open_by_age"] == [1, 1, 1, 2, 0]
    narrow = json.loads(
        cli("stats", "--from", "2024-01-01", "--to", "2024-12-31", "--json", *on, db=db_path).stdout
    )
    assert narrow["total"]["asks"] == 2 and narrow["made_from"] == "2024-01-01"
    target = tmp_path / "by-theme.xlsx"
    cli("stats", "--by", "theme", "--out", str(target), *on, db=db_path, check_rc=0)
    sheet = load_workbook(target).active
    assert [sheet.cell(row=r, column=1).value for r in range(2, 6)] == [
        STOP,
        NEIGHBOURHOOD,
        "(no theme)",
        "All asks",
    ]
    bad = cli("stats", "--by", "colour", db=db_path)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    bad = cli("stats", "--out", str(tmp_path / "x.pdf"), db=db_path)
    assert (
        bad.returncode == 2 and "csv or .xlsx" in bad.stderr and not (tmp_path / "x.pdf").exists()
    )


@BOTH
def test_figures_by_letter(desk):
    from support import letter_register as reg

    letter_refs = reg.build(desk)
    follow_register.build(desk)
    stats = statistics.compute(desk, by="letter", today=TODAY)
    assert [g.group for g in stats.groups] == [
        f"17 March 2023 – {reg.SUBJECT}",
        "(added by hand)",
    ]
    letter, by_hand = stats.groups
    assert letter.asks == len(letter_refs) and by_hand.asks == 7
    assert figures(by_hand) == TOTAL  # the hand-computed register, whole
    assert stats.total.asks == len(letter_refs) + 7
