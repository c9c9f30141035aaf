"""Generated register rows for the Register's model, proxy and tree tests: asks on varied dates,
themes and addressees, a share of them joint (several addressees, one sub-row each)."""

from __future__ import annotations

import datetime as dt
import random
import sys
import uuid

from PySide6.QtCore import Qt

from pcc_desk.gui.models.register_filter import RegisterFilterProxy
from pcc_desk.gui.models.register_model import COL_REF, RegisterTableModel
from pcc_desk.gui.screens.register_tree import RegisterTree
from pcc_desk.services.dto import AddresseeLine, RecommendationSummary
from pcc_desk.vocabulary import Priority, RecommendationKind, Status

NAMES = ["the Met", "MOPAC", "the Mayor", "the Home Office"]
WORDS = ["publish", "vetting", "recruit", "engagement", "stop", "search", "report", "plan"]


def generated(count: int, seed: int, joint_share: float) -> list[RecommendationSummary]:
    rng = random.Random(seed)
    rows = []
    start = dt.date(2015, 1, 1)
    for n in range(count):
        made = start + dt.timedelta(days=rng.randrange(3650))
        lines: tuple[AddresseeLine, ...] = ()
        if rng.random() < joint_share:
            lines = tuple(
                AddresseeLine(name, rng.choice(list(Status)), made + dt.timedelta(days=60))
                for name in rng.sample(NAMES, rng.randrange(2, len(NAMES) + 1))
            )
        rows.append(
            RecommendationSummary(
                id=uuid.uuid4(),
                ref=f"PCC-{made.isoformat()}/{n:04d}",
                kind=RecommendationKind.RECOMMENDATION,
                text=" ".join(rng.sample(WORDS, 4)),
                theme=f"Theme {rng.randrange(5)}",
                addressee="; ".join(line.name for line in lines) or rng.choice(NAMES),
                made=made,
                due=made + dt.timedelta(days=rng.randrange(30, 90)),
                status=rng.choice(list(Status)),
                priority=Priority.NORMAL,
                addressee_lines=lines,
            )
        )
    return rows


def tree_over(qtbot, rows, proxy=None, model=None):
    """The register's tree shown over ``rows`` (sorted by reference), as the Register screen has it."""
    model = model or RegisterTableModel(today=dt.date(2020, 1, 1))
    proxy = proxy or RegisterFilterProxy()
    proxy.setSourceModel(model)
    tree = RegisterTree()
    qtbot.addWidget(tree)
    tree.setModel(proxy)
    tree.setSortingEnabled(True)
    tree.sortByColumn(COL_REF, Qt.SortOrder.AscendingOrder)
    tree.resize(900, 400)
    tree.show()
    model.set_rows(rows)
    return model, proxy, tree


def python_calls(action) -> int:
    """How many calls of the app's Python functions ``action`` makes: the tree's questions to the
    models reach Python only through such calls."""
    calls = 0

    def count(frame, event, _arg):
        nonlocal calls
        if event == "call" and "pcc_desk" in frame.f_code.co_filename:
            calls += 1

    sys.setprofile(count)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls
