"""The words of a follow-up letter: the fixed paragraphs (``resources/templates/letter-wording.json``,
overridden by the Committee's settings) with the placeholders each may use, and the small rules of
house style: the salutation from a name, quotations inside quotation marks, a committee named in a
sentence. Plain text only: no Word here (python-docx is not loaded)."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Sequence
from functools import cache

from pcc_desk import paths
from pcc_desk.errors import InvalidInput

WORDING_NAME = "letter-wording.json"


RESPONSE_QUOTE_LIMIT = (
    700  # characters of a response quoted in full; longer ones are cut at a sentence
)


@cache
def _default_wording() -> tuple[tuple[str, str], ...]:
    data = json.loads(
        (paths.resources_dir() / "templates" / WORDING_NAME).read_text(encoding="utf-8")
    )
    return tuple((k, v) for k, v in data.items() if not k.startswith("_"))


# The placeholders each wording may use: those every letter fills in, plus the wording's own.
COMMON_PLACEHOLDERS = ("committee", "clerk_name", "clerk_email", "recipient", "date", "reply_by")


_OWN_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "cc": ("cc",),
    "subject_one": ("original_date", "original_subject"),
    "subject_many": ("original_dates",),
    "original_letter": ("date", "subject"),
    "original_undated": ("date",),
    "opening": ("originals",),
    "recap": ("made", "ask"),
    "first_asked": ("first",),
    "response": ("received", "response", "from_whom"),
    "response_from": ("received", "response", "from_whom"),
    "no_response": ("due",),
    "quote_intro_you": ("meeting", "speaker"),
    "quote_intro_speaker": ("meeting", "speaker"),
    "quote_intro": ("meeting", "speaker"),
    "quote_intro_other_you": ("meeting", "speaker", "meeting_committee"),
    "quote_intro_other_speaker": ("meeting", "speaker", "meeting_committee"),
    "quote_intro_other": ("meeting", "speaker", "meeting_committee"),
    "quote_citation": ("meeting",),
}


def placeholders_for(key: str) -> tuple[str, ...]:
    """The ``{placeholders}`` the wording ``key`` may use (an unknown key is refused)."""
    if key not in dict(_default_wording()):
        known = ", ".join(k for k, _ in _default_wording())
        raise InvalidInput(f"'{key}' is not a letter wording anyone uses; known: {known}.")
    return tuple(dict.fromkeys(COMMON_PLACEHOLDERS + _OWN_PLACEHOLDERS.get(key, ())))


def check_wording(key: str, text: str) -> None:
    """Refuse (one line) a wording that uses a placeholder the writer cannot fill in, or bad braces."""
    allowed = placeholders_for(key)
    try:
        fields = [
            (name, conv, spec)
            for _lit, name, spec, conv in string.Formatter().parse(str(text))
            if name is not None
        ]
    except ValueError as exc:
        raise InvalidInput(
            f"The letter wording '{key}' is not valid ({exc}); a brace must open and close a placeholder such as {{committee}}."
        ) from None
    may_use = ", ".join(f"{{{p}}}" for p in allowed)
    for name, conv, spec in fields:
        if name not in allowed:
            raise InvalidInput(
                f"The letter wording '{key}' uses {{{name}}}, which it cannot fill in; it may use {may_use}."
            )
        if conv or spec:
            raise InvalidInput(
                f"The letter wording '{key}' adds something to {{{name}}}; write the placeholder alone, as {{{name}}}."
            )


def wording(overrides: dict[str, str] | None = None) -> dict[str, str]:
    """The default wording, with the Committee's overrides (unknown keys and placeholders are refused)."""
    merged = dict(_default_wording())
    for key, value in (overrides or {}).items():
        if key.startswith("_"):
            continue
        check_wording(key, str(value))
        merged[key] = str(value)
    return merged


class Words:
    def __init__(self, words: dict[str, str], common: dict[str, str]) -> None:
        self.words = words
        self.common = common

    def __call__(self, key: str, **values: object) -> str:
        template = self.words[key]
        given = {**self.common, **values}
        # only the placeholders check_wording allows, so that what passes the check is what can be filled
        allowed = {name: given[name] for name in placeholders_for(key) if name in given}
        try:
            return template.format_map(allowed)
        except KeyError as exc:
            raise InvalidInput(
                f"The letter wording '{key}' uses {{{exc.args[0]}}}, which it cannot fill in."
            ) from None
        except (ValueError, IndexError) as exc:
            raise InvalidInput(
                f"The letter wording '{key}' is not valid ({exc}); check its braces."
            ) from None


_KEEP_FIRST_NAME = {"sir", "dame"}


_KEEP_SURNAME = {"lord", "lady", "baroness", "baron", "viscount", "earl", "countess"}


_DROP = {
    "the",
    "rt",
    "rt.",
    "hon",
    "hon.",
    "right",
    "honourable",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "miss",
    "dr",
    "dr.",
    "prof",
    "prof.",
    "professor",
    "councillor",
    "cllr",
    "commander",
    "commissioner",
}


def salutation_for(name: str) -> str:
    """``Dear Sir Mark,`` for Sir Mark Rowley, ``Dear Sophie,`` for Sophie Linden, ``Dear Lord Harris,``."""
    words = [w for w in re.split(r"\s+", (name or "").replace(",", " ").strip()) if w]
    # post-nominals: AM, MP, QPM, CBE, KC... (all capitals, after the first word)
    while len(words) > 1 and re.fullmatch(r"[A-Z]{2,5}", words[-1]):
        words.pop()
    if not words:
        return "Dear Sir or Madam,"
    if words[0].lower() in _KEEP_FIRST_NAME and len(words) > 2:
        return f"Dear {words[0]} {words[1]},"
    if (
        words[0].lower() in _KEEP_SURNAME
    ):  # Lord Harris (of Haringey), Baroness Casey (of Blackstock)
        return f"Dear {' '.join(words[:2])},"
    while len(words) > 1 and words[0].lower() in _DROP:
        words.pop(0)
    return f"Dear {words[0]},"


def clean(text: str) -> str:
    return " ".join((text or "").split())


_INNER_QUOTES = str.maketrans({"“": "‘", "”": "’"})


def inner_quote(text: str) -> str:
    """Text to put inside quotation marks: whitespace collapsed, outer quotes and final stop removed,
    quotation marks within it made single (British style: “… ‘…’ …”)."""
    text = clean(text)
    if (
        len(text) > 1
        and (text[0], text[-1]) in (("“", "”"), ('"', '"'))
        and not any(c in text[1:-1] for c in '“”"')
    ):
        text = text[1:-1].strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    return text.translate(_INNER_QUOTES)


def shorten_quote(text: str, limit: int = RESPONSE_QUOTE_LIMIT) -> str:
    """The text, or its first sentences up to ``limit`` characters followed by ``[…]``."""
    text = inner_quote(text)
    if len(text) <= limit:
        return text
    cut = max(text.rfind(". ", 0, limit), text.rfind("? ", 0, limit), text.rfind("! ", 0, limit))
    if cut < limit // 3:
        cut = text.rfind(" ", 0, limit)
    return text[: cut + 1].rstrip() + " […]"


def join_and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def same_person(a: str, b: str) -> bool:
    def key(name: str) -> str:
        words = [
            w
            for w in re.split(r"\s+", name.replace(",", " "))
            if w and not re.fullmatch(r"[A-Z]{2,5}", w)
        ]
        return " ".join(words).lower()

    return bool(a.strip()) and key(a) == key(b)


# Words that say which body a committee belongs to, not which committee it is.
_COMMITTEE_BODIES = (
    ("london", "assembly"),
    ("london", "assemblys"),
    ("house", "of", "commons"),
    ("house", "of", "lords"),
    ("uk", "parliament"),
    ("commons",),
    ("lords",),
)


def _committee_key(name: str) -> tuple[str, ...]:
    words = re.sub(r"[^\w\s]", "", name.lower().replace("&", " and ")).split()
    full = tuple(words)
    words = [w for w in words if w != "select"]
    if words[:1] == ["the"]:
        words = words[1:]
    for body in _COMMITTEE_BODIES:
        if tuple(words[: len(body)]) == body and len(words) > len(body):
            words = words[len(body) :]
            break
    if words[:1] == ["the"]:
        words = words[1:]
    return tuple(words) or full


def same_committee(meeting_committee: str, committee: str) -> bool:
    """Whether a meeting's committee is the letter's own (an unknown one is taken to be):
    "London Assembly Police and Crime Committee", "The Police & Crime Committee" and "Police and
    Crime Committee" are one committee; the Home Affairs Committee is another."""
    if not clean(meeting_committee):
        return True
    return _committee_key(meeting_committee) == _committee_key(committee)


_SMALL_WORDS = {"and", "of", "the", "for", "on", "in"}


def committee_name(name: str) -> str:
    """A committee's name to follow "the" in a sentence ("HOME AFFAIRS COMMITTEE" -> "Home Affairs
    Committee"; "The Justice Committee" -> "Justice Committee"; "London Assembly (Plenary)" ->
    "London Assembly")."""
    name = clean(name)
    if name.isupper():
        name = " ".join(
            w.lower() if i and w.lower() in _SMALL_WORDS else w.capitalize()
            for i, w in enumerate(name.split())
        )
    name = re.sub(r"\s*\((?:plenary|[^()]*meeting[^()]*)\)$", "", name, flags=re.IGNORECASE)
    return re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
