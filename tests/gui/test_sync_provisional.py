"""The register and detail screens of a laptop copy mark the references of recommendations added
offline, not yet synced, as provisional (the team register numbers them at the sync)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from pcc_desk.gui.models.register_model import COL_REF
from pcc_desk.model import Operation
from pcc_desk.services import register, sync_state


@pytest.mark.parametrize("seed", [1, 2])
def test_register_and_detail_mark_the_references_added_offline(qtbot, desk, window, seed):
    rng = random.Random(seed)
    made = dt.date(2026, 5, 4) + dt.timedelta(days=seed)
    synced = [
        register.add_recommendation(desk, f"Synced ask {n}", theme="Trust", made=made).ref
        for n in range(rng.randint(1, 3))
    ]
    with desk.transaction() as session:  # a laptop copy whose journal so far is on the server
        top = int(session.scalar(select(func.max(Operation.seq))) or 0)
        sync_state.write_origin(
            session, sync_state.Origin("postgresql+psycopg://clerk@office/pcc", top, top)
        )
    offline = [
        register.add_recommendation(desk, f"Offline ask {n}", theme="Trust", made=made).ref
        for n in range(rng.randint(1, 3))
    ]
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    proxy = screen.proxy
    shown = {
        proxy.record(r).ref: proxy.data(proxy.index(r, COL_REF), Qt.ItemDataRole.DisplayRole)
        for r in range(proxy.rowCount())
    }
    assert shown == {
        **{ref: ref for ref in synced},
        **{ref: f"{ref} (provisional)" for ref in offline},
    }
    for ref, marked in ((offline[-1], True), (synced[0], False)):
        assert screen.select_ref(ref)
        qtbot.waitUntil(lambda ref=ref: screen.detail.detail.ref == ref, timeout=5_000)
        assert ("(provisional)" in screen.detail.heading.text()) == marked
