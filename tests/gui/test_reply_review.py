"""File → Import a reply…: the review dialog, driven through its real widgets, the register checked
after; and a screenshot of it for the README (docs/screenshot-reply-review.png)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from support import gui_review
from support.letter_fixtures import SAMPLE
from support.replies import make_reply, write_reply

from pcc_desk.gui.dialogs.reply_review import NOT_ANSWERED, highlighted
from pcc_desk.model import Position, Status
from pcc_desk.services import letter_import, register


@pytest.fixture
def asks(desk):
    preview = letter_import.preview(desk, SAMPLE)
    letter_import.commit(desk, preview)
    return [a.text for a in preview.letter.asks]


def open_review(qtbot, window, path):
    return gui_review.open_review(qtbot, window, path, "reply")[1]


def test_the_clerk_reviews_chooses_splits_and_imports(qtbot, window, desk, asks, tmp_path):
    reply = make_reply(asks, seed=41, skip=(6,))
    dialog = open_review(qtbot, window, write_reply(tmp_path / "reply.docx", reply))
    assert dialog.asks_tree.topLevelItemCount() == 22
    assert "17 March 2023" in dialog.letter_label.text()
    # ask 6 is not answered; the first ask's suggestion is its passage, highlighted words shown
    six = dialog.asks_tree.topLevelItem(5)
    assert six.text(1) == "not answered in this reply"
    dialog.select("PCC-2023-03-17/01")
    if os.environ.get("PCC_DESK_SCREENSHOTS"):  # the README's picture
        shots = Path(os.environ["PCC_DESK_SCREENSHOTS"])
        dialog.grab().save(str(shots / "screenshot-reply-review.png"))
    assert dialog.passage_list.count() >= 2
    assert dialog.passage_list.item(0).data(256) == reply.answers[1]
    assert "background:#ffe680" in dialog.ask_view.toHtml() or "ffe680" in dialog.ask_view.toHtml()
    # the clerk marks ask 2 not answered, sets ask 3's position, splits ask 4's answer
    dialog.choose("PCC-2023-03-17/02", NOT_ANSWERED)
    dialog.select("PCC-2023-03-17/03")
    dialog.position_combo.setCurrentIndex(dialog.position_combo.findData("not-accepted"))
    dialog.select("PCC-2023-03-17/04")
    text = dialog.answer_edit.toPlainText()
    cursor = dialog.answer_edit.textCursor()
    cursor.setPosition(text.index(".") + 1)
    dialog.answer_edit.setTextCursor(cursor)
    before = len(dialog.passages)
    dialog.split_button.click()
    assert len(dialog.passages) == before + 1
    assert dialog.answer_edit.toPlainText() == text[: text.index(".") + 1]
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.import_button.click()
    assert register.get_recommendation(desk, "PCC-2023-03-17/02").responses == ()
    assert register.get_recommendation(desk, "PCC-2023-03-17/06").responses == ()
    three = register.get_recommendation(desk, "PCC-2023-03-17/03").responses[0]
    assert three.position == Position.NOT_ACCEPTED
    four = register.get_recommendation(desk, "PCC-2023-03-17/04").responses[0]
    assert four.text == text[: text.index(".") + 1]
    assert four.received == dt.date(2023, 5, 12)
    # Ctrl+Z takes the whole import out again
    window.undo_stack.undo()
    qtbot.waitUntil(
        lambda: register.get_recommendation(desk, "PCC-2023-03-17/04").responses == (),
        timeout=10_000,
    )
    assert register.get_recommendation(desk, "PCC-2023-03-17/04").status == Status.AWAITING_RESPONSE


def test_not_in_order_matches_again_one_to_one(qtbot, window, desk, asks, tmp_path):
    reply = make_reply(asks, seed=42, shuffled=True)
    dialog = open_review(qtbot, window, write_reply(tmp_path / "reply.md", reply))
    dialog.order_box.setChecked(True)
    chosen = [dialog.choice[s.ref] for s in dialog.suggestions]
    answered = [c for c in chosen if c != NOT_ANSWERED]
    assert len(answered) == len(set(answered))  # one to one
    right = sum(1 for s in dialog.suggestions if dialog.choice[s.ref] == reply.answers[s.number])
    assert right >= 0.65 * len(reply.answers)
    dialog.reject()


def test_shared_words_are_marked_whole_words_only():
    marked = highlighted("Publish the vetting timescales; publishing <b>", ["vetting", "publish"])
    assert marked.count("ffe680") == 2 and "&lt;b&gt;" in marked
