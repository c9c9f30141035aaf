"""The register's words: the enumerations a clerk reads and types (statuses, positions, kinds ...),
and the kinds of record and of change the services name (:class:`RecordKind`, :class:`ChangeKind`).

A foundation module, as :mod:`pcc_desk.errors` and :mod:`pcc_desk.dates` are: the front ends use
these without importing the ORM (:mod:`pcc_desk.model` stores them as their slugs and re-exports
them). Each value is its slug (``follow-up-needed``), the same word the CLI accepts.
"""

from __future__ import annotations

import enum
from typing import Self

__all__ = [
    "EXPORT_FORMATS",
    "Assessment",
    "ChangeKind",
    "DocumentKind",
    "Implementation",
    "OperationKind",
    "Position",
    "Priority",
    "RecommendationKind",
    "RecordKind",
    "SlugEnum",
    "Status",
]


class SlugEnum(enum.StrEnum):
    """An enum whose value is its slug; ``label`` is the words a clerk reads."""

    @property
    def label(self) -> str:
        return _LABELS.get(self.value, self.value.replace("-", " ").capitalize())

    @classmethod
    def parse(cls, text: str) -> Self:
        """Accept a slug, a label or an enum name, case-insensitively ("Follow-up needed")."""
        key = text.strip().lower().replace("_", "-").replace("–", "-").replace("—", "-")
        key = "-".join(key.replace("-", " ").split())
        for member in cls:
            if key in (member.value, "-".join(member.label.lower().replace("-", " ").split())):
                return member
        choices = ", ".join(m.value for m in cls)
        raise ValueError(f"'{text}' is not one of: {choices}")


class RecommendationKind(SlugEnum):
    RECOMMENDATION = "recommendation"
    REQUEST_FOR_INFORMATION = "request-for-information"
    UNDERTAKING = "undertaking"


class Status(SlugEnum):
    AWAITING_RESPONSE = "awaiting-response"
    RESPONSE_RECEIVED = "response-received"
    FOLLOW_UP_NEEDED = "follow-up-needed"
    CLOSED_IMPLEMENTED = "closed-implemented"
    CLOSED_NOT_ACCEPTED = "closed-not-accepted"
    SUPERSEDED = "superseded"

    @property
    def is_open(self) -> bool:
        return self in (Status.AWAITING_RESPONSE, Status.RESPONSE_RECEIVED, Status.FOLLOW_UP_NEEDED)


class Priority(SlugEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class Position(SlugEnum):
    """The Met's position on an ask, as its response states it."""

    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly-accepted"
    NOT_ACCEPTED = "not-accepted"
    OTHER = "other"


class Implementation(SlugEnum):
    """What the Met reports about doing it: kept apart from acceptance."""

    NOT_STATED = "not-stated"
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    REPORTED_COMPLETE = "reported-complete"


class ResponseKind(SlugEnum):
    """A response to the ask, or a later progress update on doing it (what was done, the state)."""

    RESPONSE = "response"
    PROGRESS_UPDATE = "progress-update"


class Assessment(SlugEnum):
    """The Committee's own view of whether the response meets the ask."""

    NOT_YET_ASSESSED = "not-yet-assessed"
    ADDRESSED = "addressed"
    PARTLY_ADDRESSED = "partly-addressed"
    NOT_ADDRESSED = "not-addressed"


class DocumentKind(SlugEnum):
    LETTER = "letter"
    REPORT = "report"
    RESPONSE = "response"
    TRANSCRIPT = "transcript"
    MINUTES = "minutes"
    EVIDENCE = "evidence"  # a file attached as evidence (a policy, a data release, a PDF)
    OTHER = "other"


class LinkKind(SlugEnum):
    """How an ask a clerk linked to an earlier one relates to it."""

    REPEATS = "repeats"
    SUPERSEDES = "supersedes"
    RELATED = "related"
    FOLLOWS_UP = "follows-up"  # an ask of a follow-up letter: the Committee chasing an earlier ask


class OperationKind(SlugEnum):
    """What one journal entry did (see :class:`Operation`)."""

    ADD_RECOMMENDATION = "add-recommendation"
    EDIT_RECOMMENDATION = "edit-recommendation"
    CHANGE_STATUS = "change-status"
    REVISE_DUE = "revise-due"
    LOG_RESPONSE = "log-response"
    REMOVE_RESPONSE = "remove-response"
    REMOVE_RECOMMENDATION = "remove-recommendation"
    QUOTE = "quote"
    ATTACH_QUOTE = "attach-quote"
    DETACH_QUOTE = "detach-quote"
    DELETE_QUOTE = "delete-quote"
    IMPORT_LETTER = "import-letter"
    IMPORT_RESPONSE = "import-response"
    LINK_ASKS = "link-asks"
    UNLINK_ASKS = "unlink-asks"
    REMOVE_IMPORT = "remove-import"
    IMPORT_TRANSCRIPT = "import-transcript"
    DELETE_TRANSCRIPT = "delete-transcript"
    SAVE_SETTINGS = "save-settings"
    REVISE_TARGET = "revise-target"
    VERIFY = "verify"
    ATTACH_EVIDENCE = "attach-evidence"
    CLOSE = "close"  # asks the Committee agreed to close at a meeting
    SET_RAG = "set-rag"  # the clerk's own RAG rating of an ask, with the reason
    ADD_ADDRESSEE = "add-addressee"  # one more addressee of an ask
    REMOVE_ADDRESSEE = "remove-addressee"  # an addressee taken off an ask (none of its responses)
    UNDO = "undo"
    REDO = "redo"


class RecordKind(enum.StrEnum):
    """A kind of record in the register, as the operations journal names it (``records`` entries) and
    as ``pcc_desk.model.RECORD_MODELS`` maps it to its table. The values are stored in journal rows:
    never change one."""

    RECOMMENDATION = "recommendation"
    STATUS_CHANGE = "status_change"
    DUE_REVISION = "due_revision"
    TARGET_REVISION = "target_revision"
    VERIFICATION = "verification"
    EVIDENCE = "evidence"
    RESPONSE = "response"
    THEME = "theme"
    DOCUMENT = "document"
    FOOTNOTE = "footnote"
    TRANSCRIPT = "transcript"
    SEGMENT = "segment"
    QUOTE = "quote"
    ADDRESSEE = "addressee"  # one of an ask's addressees, with its own clock and status
    LINK = "link"  # an ask confirmed as repeating (superseding, related to) an earlier one
    SETTING = "setting"  # named by a UUID made from its key (settings are keyed by name)


class ChangeKind(enum.StrEnum):
    """A kind of record a committed use case wrote: what a change notice names
    (``pcc_desk.services.desk.Desk.transaction``). Screens refresh only for the kinds that concern
    them; every member is sent by some service (a test checks it)."""

    RECOMMENDATIONS = "recommendations"  # asks: added, edited, status, due date, quotes attached
    RESPONSES = "responses"
    THEMES = "themes"
    DOCUMENTS = "documents"  # imported letters and transcript files
    FOOTNOTES = "footnotes"
    TRANSCRIPTS = "transcripts"
    SEGMENTS = "segments"  # a transcript's turns
    QUOTES = "quotes"
    SETTINGS = "settings"  # the Committee's details and the letters' wording
    SEARCH = "search"  # the search index (rebuilt, or records added to it)


_LABELS = {
    "closed-implemented": "Closed – implemented",
    "closed-not-accepted": "Closed – not accepted",
    "follow-up-needed": "Follow-up needed",
    "request-for-information": "Request for information",
}


# the tracker's export formats (pcc-desk export --format, services.letters.export_tracker)
EXPORT_FORMATS = ("docx", "csv", "xlsx")

# the tracker paper's RAG ratings, worst last, with the fill each is shown in (the paper, the detail)
RAG_FILLS = {"Green": "4CAF50", "Amber": "FFC000", "Red": "FF6B6B"}

# the setting that marks a laptop copy of a team register and holds its sync's bookkeeping
# (pcc_desk.services.sync_state); not a Committee detail: settings.load reads only its own key
SYNC_KEY = "sync:origin"
