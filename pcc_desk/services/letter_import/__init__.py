"""Importing a Committee letter (or meeting minutes) into the register, with a review in between.

``preview(desk, path)`` reads the file and compares it with the register, writing nothing. The clerk
(or the review dialog) may edit the parsed letter with the functions of
:mod:`pcc_desk.letter_values` (edit, drop, merge, split asks; accept suggestions), then
``commit(desk, preview, letter=edited)`` saves it in ONE transaction: the Document (original file kept,
content-addressed), its Footnotes, Themes, and one Recommendation per ask, each with its first status
history row. The file itself is not read again, only checked to be unchanged.

Re-import rules: the very same file (same SHA-256) adds nothing. An edited version of a letter already
imported (same date, and same subject or same sender and recipient) is saved as a new Document that
supersedes the old one; its asks are matched with the register's by their words: only new asks are
added; changed and removed asks are listed, and the register's records (with their responses and
quotes) are kept as they are.

``undo_import(desk, document_id)`` takes one import out again (its asks, footnotes, the themes it made,
the Document row) while nothing the clerk did since hangs on it; the kept original file stays.

The package: :mod:`.values` (what it hands out), :mod:`.compare` (reading and comparing, writing
nothing), :mod:`.saving` (the one transaction, and the journal's replay of it), :mod:`.removal`
(taking an import out again).
"""

from pcc_desk.services.letter_import.compare import (
    by_sha,
    compare,
    document_kind,
    preview,
    refresh,
)
from pcc_desk.services.letter_import.removal import (
    apply_remove_import,
    find_import,
    import_blocker,
    undo_import,
)
from pcc_desk.services.letter_import.saving import (
    apply_import,
    commit,
    ensure_kept_copy,
    letter_from_json,
    letter_to_json,
    with_date,
)
from pcc_desk.services.letter_import.values import (
    CHANGES,
    OUTCOME_DUPLICATE,
    OUTCOME_IMPORTED,
    OUTCOME_REIMPORTED,
    SIMILAR,
    AskMatch,
    Comparison,
    FoundImport,
    ImportResult,
    LetterPreview,
    PriorImport,
    RemovedAsk,
    UndoneImport,
)

__all__ = [
    "CHANGES",
    "OUTCOME_DUPLICATE",
    "OUTCOME_IMPORTED",
    "OUTCOME_REIMPORTED",
    "SIMILAR",
    "AskMatch",
    "Comparison",
    "FoundImport",
    "ImportResult",
    "LetterPreview",
    "PriorImport",
    "RemovedAsk",
    "UndoneImport",
    "apply_import",
    "apply_remove_import",
    "by_sha",
    "commit",
    "compare",
    "document_kind",
    "ensure_kept_copy",
    "find_import",
    "import_blocker",
    "letter_from_json",
    "letter_to_json",
    "preview",
    "refresh",
    "undo_import",
    "with_date",
]
