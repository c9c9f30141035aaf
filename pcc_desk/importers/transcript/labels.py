"""Speaker labels ("Susan Hall AM (Chairman): …"), and the lines of public inquiry evidence that are
not anyone's words: a witness called, "Questions from …", time markers and breaks."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from pcc_desk.speakers import POST_NOMINALS, PREFIXES, role_only_key, split_label

# --- speaker labels -----------------------------------------------------------------------------

_NAME_WORD = r"[A-ZÀ-Þ][A-Za-zÀ-ÿ'’.\-]*"
# the same word, taken whole (possessive): in the labels below a word is always followed by a space, a
# bracket, a comma or a colon, none of which a word holds, so giving back letters can never make a
# match; the regex engine is spared trying every shorter word before it fails
_WHOLE_NAME_WORD = _NAME_WORD + "+"
_JOINER = r"(?:of|the|and|for|de|van|von|der|den|le|la|du|da|di|ap|bin|al|el)"
_MODULE = r"\d{1,2}[A-Z](?![\w'’])"  # "Lead 2A": lead counsel for an inquiry's Module 2A
_LABEL = re.compile(
    rf"^(?P<label>(?:Q\s?\d{{1,5}}(?:[-–]\d{{1,5}})?\s+|T?\d{{1,3}}\.\s+(?:\[\d{{3,9}}\]\s+)?)?"
    rf"{_WHOLE_NAME_WORD}(?:\s+(?:{_WHOLE_NAME_WORD}|{_JOINER}|{_MODULE})|,\s+{_WHOLE_NAME_WORD}){{0,9}}"
    rf"(?:,?\s*\([^()\n]{{1,160}}\)){{0,3}})\s*:(?:\s+|$)(?P<rest>.*)$",
    re.DOTALL,
)
# Public inquiries: a witness called ("MR MATT HANCOCK (sworn)", "<GRANT JAMES McKAY, affirmed:"), or
# carrying on from an earlier day ("MR MATT HANCOCK (continued)."), on a line of its own
_OATH = re.compile(
    rf"^<?\s*(?P<name>{_WHOLE_NAME_WORD}(?:\s+(?:{_WHOLE_NAME_WORD}|{_JOINER})){{1,8}})\s*"
    r"(?:\(\s*(?i:(?:further\s+|re-?)?(?:sworn|affirmed|recalled)|continued|cont'?d)\s*\)"
    r"|,\s*(?i:(?:further\s+|re-?)?(?:sworn|affirmed|recalled)))"
    r"\s*[.:]?\s*(?:\[[^\]]{0,20}\])?$"
)
# "Questions from LEAD COUNSEL TO THE INQUIRY", "Examination by MR GLOVER (continued)"
_QUESTIONS = re.compile(
    r"^<?(?i:(?:further\s+)?(?:questions|questioned|examination|examined|cross-examination|"
    r"cross-examined|re-examination|re-examined)\s+(?:from|by))\s+(?P<who>[^()\n]{2,80}?)"
    r"\s*(?:\((?i:continued)\))?\s*[.:]?$"
)
_TIME_MARKER = re.compile(r"^\(\s*\d{1,2}(?:[.:]\d{2})?\s*(?i:am|pm|a\.m\.|p\.m\.)?\s*\)\.?$")
_STAGE = re.compile(
    r"^[(\[][^()\[\]\n]{1,80}[)\]]\.?$",
)
_STAGE_WORDS = re.compile(
    r"(?i:\b(?:break|adjourn\w*|luncheon|lunch|recess|pause|interruption|laughter|applause|inaudible"
    r"|resum\w*|witness\w*|withdr\w*|sworn|affirmed|video|remotely)\b)|\d{1,2}[.:]\d{2}"
)
# Question and answer in a witness's evidence: "Q. Could you..." / "A. Yes."
_QA = re.compile(r"^(?P<qa>[QA])[.:]\s+(?P<rest>\S.*)$", re.DOTALL)
_NOT_SPEAKERS = {
    "note",
    "notes",
    "witnesses",
    "witness",
    "present",
    "members",
    "subject",
    "agenda",
    "item",
    "transcript",
    "question",
    "answer",
    "date",
    "time",
    "venue",
    "location",
    "apologies",
    "also",
    "in",
    "attendance",
    "key",
    "points",
    "summary",
    "action",
    "actions",
    "update",
    "recommendation",
    "recommendations",
    "source",
    "sources",
    "contents",
    "page",
    "example",
    "examples",
    "part",
    "section",
    "annex",
    "appendix",
    "oral",
    "evidence",
    "written",
    "minutes",
    "meeting",
    "chapter",
    "title",
    "re",
    "fao",
    "cc",
    "tel",
    "email",
}


def match_label(text: str) -> tuple[str, str] | None:
    """``(label, rest)`` when a paragraph opens with a speaker label, else None."""
    match = _LABEL.match(text)
    if not match:
        return None
    label = match.group("label").strip()
    return (label, match.group("rest")) if _plausible_label(label) else None


@functools.lru_cache(maxsize=4096)  # a transcript writes the same few labels thousands of times
def _plausible_label(label: str) -> bool:
    """Whether what stands before a paragraph's colon reads as a speaker's label."""
    if "(" not in label and (re.match(r"T?\d", label) or "," in label):
        return False  # Hansard's numbers and "Role, Department" come with a Member's brackets
    parsed = split_label(label)
    bare = re.sub(r"\([^()]*\)", " ", label)
    bare = re.sub(r"^(?:Q\s?\d+(?:[-–]\d+)?|T?\d+\.(?:\s+\[\d+\])?)\s+", "", bare).strip(" ,")
    words = bare.split()
    lowered = [w.lower().strip(".,") for w in words]
    if not words or all(w in _NOT_SPEAKERS for w in lowered):
        return False
    if lowered[0] in _NOT_SPEAKERS and parsed.question is None and not parsed.role:
        return False
    return (
        parsed.question is not None
        or bool(parsed.role)
        or any(w.upper().rstrip(".") in POST_NOMINALS for w in words)
        or lowered[0] in PREFIXES
        or role_only_key(bare) is not None
        or sum(1 for w in words if w[:1].isupper() or re.fullmatch(_MODULE, w)) >= 2
    )


def witness_called(text: str) -> str | None:
    """The witness named by a line like "MR MATT HANCOCK (continued)." or "Dr X (affirmed)", else None."""
    match = _OATH.match(_unwrap(text))
    return match.group("name") if match else None


def questions_from(text: str) -> str | None:
    """Who a "Questions from MR KEITH" line names ("" when it names a role, not a person), else None."""
    match = _QUESTIONS.match(_unwrap(text))
    if not match:
        return None
    who = match.group("who").strip(" .")
    words = who.split()
    return who if words and words[0].lower().strip(".") in PREFIXES - {"the"} else ""


def is_standalone(text: str) -> bool:
    """A line that is not part of anyone's sentence: a time marker ("(11.00 am)"), a break
    ("(A short break)"), a witness called or continuing, "Questions from …"."""
    line = _unwrap(text)
    if _TIME_MARKER.match(line) or witness_called(line) is not None:
        return True
    if questions_from(line) is not None:
        return True
    return bool(_STAGE.match(line) and _STAGE_WORDS.search(line))


def _unwrap(text: str) -> str:
    """Emphasis around a whole line (``*(10.00 am)*``, ``_MR X (sworn)._``) is not part of it."""
    line = text.strip()
    while len(line) > 2 and line[0] == line[-1] and line[0] in "*_":
        line = line[1:-1].strip()
    return line


class _InquiryStyle:
    """:func:`inquiry_style`, fed a line at a time."""

    def __init__(self) -> None:
        self.questions = self.answers = 0
        self.witness = False

    @staticmethod
    def kind(line: str, called: str | bool | None = False) -> str | None:
        """``called``: what :func:`witness_called` gave for the line, when the caller knows."""
        stripped = line.strip()
        if stripped[:2] in ("Q.", "Q:"):
            return "Q"
        if stripped[:2] in ("A.", "A:"):
            return "A"
        if called is False:
            called = witness_called(stripped)
        return "W" if called is not None else None

    def add(self, kind: str | None) -> None:
        if kind == "Q":
            self.questions += 1
        elif kind == "A":
            self.answers += 1
        elif kind == "W":
            self.witness = True

    @property
    def found(self) -> bool:
        return self.witness or (self.questions >= 3 and self.answers >= 3)


def inquiry_style(lines: Iterable[str], called: Sequence[str | None] | None = None) -> bool:
    """Evidence given as questions and answers ("Q. …" / "A. …"), as public inquiries transcribe it:
    a witness called or continuing, or at least three of each. ``called``: :func:`witness_called` of
    each line, when the caller has it already."""
    style = _InquiryStyle()
    for n, line in enumerate(lines):
        style.add(style.kind(line) if called is None else style.kind(line, called[n]))
        if style.witness:
            return True
    return style.found
