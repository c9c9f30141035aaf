"""The letter review links asks to earlier ones: a follow-up found at reading is shown and saved
linked; a likely repeat is linked only when the clerk links it; "No link" saves an ask of its own.
On real files: a follow-up letter PCC Desk's own writer made (.docx), and archive letters (.md)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from support.gui_review import open_review
from support.letter_fixtures import SAMPLE

from pcc_desk.importers.letters import read_letter
from pcc_desk.services import letter_import, repeats
from pcc_desk.services.letters import Selection, draft_letter
from pcc_desk.vocabulary import LinkKind


def _select(dialog, index):
    dialog.ui.asksTree.clearSelection()
    item = dialog.item_for(index)
    item.setSelected(True)
    dialog.ui.asksTree.setCurrentItem(item, 1)


def _links(desk):
    out = set()
    with desk.reading() as session:
        from sqlalchemy import select

        from pcc_desk.model import Recommendation, RecommendationLink

        refs = dict(session.execute(select(Recommendation.id, Recommendation.ref)).all())
        for link in session.scalars(select(RecommendationLink)):
            out.add((refs[link.recommendation_id], refs[link.earlier_id], link.kind))
    return out


@pytest.mark.parametrize("chased", [(1, 3, 8), (2, 6, 12, 22)])
def test_a_follow_up_letter_pcc_desk_wrote_is_reviewed_with_each_ask_linked(
    qtbot, window, desk, tmp_path, chased
):
    letter_import.commit(desk, letter_import.preview(desk, SAMPLE))
    refs = tuple(f"PCC-2023-03-17/{n:02d}" for n in chased)
    day = dt.date(2024, 9, 2)
    path = draft_letter(
        desk, Selection(refs=refs), tmp_path / "follow-up.docx", letter_date=day, today=day
    ).path
    _screen, dialog = open_review(qtbot, window, path)
    labels = [dialog.item_for(n).text(0) for n in range(len(refs))]
    for label, ref in zip(labels, refs, strict=True):  # the asks share their words, not their link
        assert label.endswith(f"follows up: {ref} (17 March 2023), Awaiting response"), label
    _select(dialog, 1)
    assert dialog.links.state_label.text() == f"Will be saved linked: follows up {refs[1]}."
    dialog.links.clear_button.click()  # the clerk: this one is an ask of its own
    assert "follows up" not in dialog.item_for(1).text(0)
    assert dialog.import_letter()
    new = dialog.result.refs
    assert _links(desk) == {
        (new[n], refs[n], LinkKind.FOLLOWS_UP) for n in range(len(refs)) if n != 1
    }
    window.bench.undo.undo()  # Ctrl+Z: the import goes, its links with it
    assert _links(desk) == set()


def _restated(text: str, keep: int) -> str:
    """The ask in other words: every ``keep``-th word dropped."""
    words = text.rstrip(".").split()
    return " ".join(w for n, w in enumerate(words, start=1) if n % keep) + "."


LETTER = """Susan Hall AM
Chairman of the Police and Crime Committee

Sir Mark Rowley
Commissioner of Police of the Metropolis

{date}

Dear Sir Mark,

Vetting and neighbourhoods

We previously asked that **{follow_up}**

In addition, **{repeat}**

**The Committee recommends that the Met publishes the number of its police dogs in each borough.**

Yours sincerely,

Susan Hall AM
"""


@pytest.mark.parametrize(("chased", "repeated", "keep"), [(1, 20, 99), (8, 3, 4), (22, 12, 5)])
def test_the_clerk_links_a_likely_repeat_in_the_review(
    qtbot, window, desk, tmp_path, chased, repeated, keep
):
    letter_import.commit(desk, letter_import.preview(desk, SAMPLE))
    sample = read_letter(SAMPLE).asks
    path = tmp_path / "later.md"
    path.write_text(
        LETTER.format(
            date="12 June 2024",
            follow_up=_restated(sample[chased - 1].text, keep),
            repeat=_restated(sample[repeated - 1].text, 4),
        ),
        "utf-8",
    )
    earlier = f"PCC-2023-03-17/{chased:02d}"
    again = f"PCC-2023-03-17/{repeated:02d}"
    _screen, dialog = open_review(qtbot, window, path)
    labels = [dialog.item_for(n).text(0) for n in range(3)]
    assert labels[0].endswith(f"follows up: {earlier} (17 March 2023), Awaiting response")
    assert labels[1].endswith(f"asked before: {again} (17 March 2023), Awaiting response")
    assert "—" not in labels[2]
    if (
        os.environ.get("PCC_DESK_SCREENSHOTS") and chased == 1
    ):  # the README's picture: before any choice
        dialog.resize(1600, 720)
        dialog.ui.splitter.setSizes([1000, 600])
        dialog.ui.asksTree.setColumnWidth(0, 600)
        dialog.ui.asksTree.horizontalScrollBar().setValue(0)
        dialog.grab().save(str(Path(os.environ["PCC_DESK_SCREENSHOTS"]) / "screenshot-repeats.png"))
    _select(dialog, 1)
    box = dialog.links
    assert box.earlier_combo.currentData() == again and not box.clear_button.isEnabled()
    box.kind_combo.setCurrentIndex(box.kind_combo.findData(LinkKind.SUPERSEDES.value))
    box.link_button.click()
    assert (
        dialog.item_for(1)
        .text(0)
        .endswith(f"supersedes: {again} (17 March 2023), Awaiting response")
    )
    _select(dialog, 2)
    assert box.state_label.text() == "No earlier ask like this one."
    assert not box.link_button.isEnabled()
    assert dialog.import_letter()
    new = dialog.result.refs
    assert _links(desk) == {
        (new[0], earlier, LinkKind.FOLLOWS_UP),
        (new[1], again, LinkKind.SUPERSEDES),
    }
    assert [a.ref for a in repeats.chain(desk, new[1])] == [again, new[1]]
