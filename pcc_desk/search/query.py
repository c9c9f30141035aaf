"""The query language: the clerk's text as phrases of words, and the FTS5 MATCH expressions built
from them (nothing the clerk types is read as query syntax)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pcc_desk.search.common import MAX_CHUNKS, MAX_QUERY_CHARS, MIN_PREFIX

# --- the query language -------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
_PHRASE = re.compile(r'"([^"]*)"')


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _chunks(text: str) -> list[tuple[str, ...]]:
    """Each whitespace-separated chunk as a phrase of its words: ``Met's`` → ``met s``, ``a-b`` → ``a b``."""
    return [tuple(words) for chunk in text.split() if (words := _words(chunk))]


@dataclass(frozen=True)
class ParsedQuery:
    """The user's text as phrases of words; ``prefix_last``: the last phrase is typed-so-far;
    ``quoted``: for each phrase, whether the clerk put it between quotes."""

    phrases: tuple[tuple[str, ...], ...]
    prefix_last: bool
    quoted: tuple[bool, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.phrases


def parse_query(text: str, *, prefix: bool = True) -> ParsedQuery:
    """Split the clerk's text into phrases: "quoted words" stay together, other words stand alone.

    Only letters and digits survive, so no character the clerk types can be read as FTS syntax: a lone
    ``"``, ``*``, ``-``, ``:``, ``(``, AND/OR/NOT/NEAR are all plain words or nothing.
    """
    text = (text or "")[:MAX_QUERY_CHARS]
    phrases: list[tuple[str, ...]] = []
    quotes: list[bool] = []
    last_is_bare = False
    position = 0
    for match in _PHRASE.finditer(text):
        for chunk in _chunks(text[position : match.start()]):
            phrases.append(chunk)
            quotes.append(False)
            last_is_bare = True
        quoted = tuple(_words(match.group(1)))
        if quoted:
            phrases.append(quoted)
            quotes.append(True)
            last_is_bare = False
        position = match.end()
    tail = text[position:]
    for chunk in _chunks(tail):
        phrases.append(chunk)
        quotes.append(False)
        last_is_bare = True
    # the last word is being typed only when the text does not end in a space or punctuation; a
    # one-letter prefix ("s" of "Met's") would match half the vocabulary, so it stays a whole word
    typing = (
        bool(tail)
        and bool(_WORD.search(tail[-1:]))
        and bool(phrases)
        and len(phrases[-1][-1]) >= MIN_PREFIX
    )
    prefix_last = prefix and last_is_bare and typing and len(phrases) <= MAX_CHUNKS
    return ParsedQuery(tuple(phrases[:MAX_CHUNKS]), prefix_last, tuple(quotes[:MAX_CHUNKS]))


def _quote(words: Sequence[str]) -> str:
    return '"' + " ".join(words) + '"'  # words hold letters and digits only: nothing to escape


# The columns the clerk's words are looked for in: the text, the labels, and who said or received it.
SEARCHED = "{body title names roles heading}"


def _phrase_terms(parsed: ParsedQuery, columns: str) -> list[str]:
    terms = []
    for i, words in enumerate(parsed.phrases):
        star = " *" if parsed.prefix_last and i == len(parsed.phrases) - 1 else ""
        terms.append(f"{columns} : {_quote(words)}{star}")
    return terms


def build_match(text: str, *, prefix: bool = True, columns: str = SEARCHED) -> str | None:
    """An FTS5 MATCH expression for the clerk's text, or None when it holds no word at all."""
    parsed = parse_query(text, prefix=prefix)
    if parsed.empty:
        return None
    return " AND ".join(_phrase_terms(parsed, columns))


def speaker_match(speaker: str) -> str | None:
    """Every word of the name or role typed, the last one possibly unfinished ("Rowl")."""
    words = _words(speaker or "")[:MAX_CHUNKS]
    if not words:
        return None
    parts = [f"speaker : {_quote([w])}" for w in words]
    if len(words[-1]) >= MIN_PREFIX:
        parts[-1] += " *"
    return " AND ".join(parts)


def left_out_note(parsed: ParsedQuery, absent: list[int]) -> str:
    """What the clerk is told when words no record holds were left out of the search."""
    left_out = ", ".join(f"“{' '.join(parsed.phrases[i])}”" for i in absent)
    return f"No record holds {left_out}, so the search is for the other words."
