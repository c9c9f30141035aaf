"""Importing a reply to a Committee letter (the Met's, MOPAC's, anyone's), with a review in between.

``preview(desk, path)`` reads the reply, finds the letter it answers (or takes the one given) and
suggests for every ask of that letter the passage that answers it, with up to 3 alternatives, a
score, and the position read from the wording; nothing is written. ``commit(desk, preview,
answers)`` logs one Response per answered ask, linked to the kept copy of the reply, in ONE
transaction and ONE journal row: undoing it takes all of them out again.

The package: :mod:`.values` (what it hands out), :mod:`.suggest` (reading and matching, writing
nothing), :mod:`.saving` (the one transaction, its replay and its undo).
"""

from pcc_desk.services.reply_import.saving import (
    apply_import,
    apply_remove,
    commit,
    suggested_answers,
    undo_blocker,
)
from pcc_desk.services.reply_import.suggest import Ask, position_of, preview, suggest
from pcc_desk.services.reply_import.values import (
    CHANGES,
    Answer,
    AskSuggestion,
    LetterAnswered,
    PassageScore,
    ReplyImportResult,
    ReplyPreview,
)

__all__ = [
    "CHANGES",
    "Answer",
    "Ask",
    "AskSuggestion",
    "LetterAnswered",
    "PassageScore",
    "ReplyImportResult",
    "ReplyPreview",
    "apply_import",
    "apply_remove",
    "commit",
    "position_of",
    "preview",
    "suggest",
    "suggested_answers",
    "undo_blocker",
]
