"""Words broken at the end of a line, joined again: "large-" / "scale" → "large-scale",
"govern-" / "ment" → "government".

Text from a PDF (or a text file exported from one) keeps the hyphen that ends a line, and joining the
lines with a space gives "large- scale": a clerk who types the words as spoken finds nothing. A hyphen
straight after a letter at the end of a line is either a real one (a compound broken at its own hyphen:
"long-term", "co-operate") or the typesetter's (a word split between syllables). What decides, in order:

1. a digit or a capital after the break keeps the hyphen ("Covid-19", "mid-March"), and so does a
   one-letter first part ("e-mail", "U-turn");
2. the rest of the document: whichever of "large-scale" and "largescale" it uses more often elsewhere;
3. a word ending that is not a word ("-ment", "-tion", "-ing"...) joins without a hyphen;
4. a prefix that takes a hyphen ("co-", "non-", "self-"...) before a word the document uses keeps it,
   and so do two parts that the document uses as words on their own ("large", "scale");
5. otherwise what the document's other breaks showed: a document with several breaks that were
   clearly the typesetter's (by 2 and 3), and few real ones, joins; any other keeps the hyphen (Word
   does not hyphenate, so a line-end hyphen in a transcript made from Word is a real one).

"pre- and post-war" (a hyphen before "and", "or", "to"...) is left as it is.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator

_LETTERS = r"[^\W\d_]"
# a hyphen straight after a letter, then spaces (a line break joined with a space, or the break
# itself), then the start of the next word; the words either side are read from there
_JOINT = re.compile(rf"(?<={_LETTERS})[-\u00ad\u2010](?:[ \t]*\n[ \t]*|[ \t]+)(?=[\w'’])")
_HEAD = re.compile(
    rf"(?<![\w'’-]){_LETTERS}(?:[\w'’-]*{_LETTERS})?$"
)  # the word before, own hyphens and all
_TAIL = re.compile(r"[\w'’]+")
_SOFT_BREAK = re.compile(rf"({_LETTERS})\u00ad[ \t]*\n?[ \t]*({_LETTERS})")
_NUMBER_BREAK = re.compile(r"(\d)[-\u2010](?:[ \t]*\n[ \t]*|[ \t]+)(?=\d)")
_WORD = re.compile(rf"{_LETTERS}+(?:[-'’]{_LETTERS}+)*")


def _may_break(line: str) -> bool:
    """Whether a line holds a hyphen (or a soft one), so may end in a broken word (``in``: a string
    search in C, several times faster than a character class's search over a long line)."""
    return "-" in line or "\u00ad" in line or "\u2010" in line


_SUSPENDED = {"and", "or", "to", "nor", "but", "rather", "versus", "vs", "than", "as", "&"}
_ENDINGS = {
    "tion",
    "tions",
    "sion",
    "sions",
    "ation",
    "ations",
    "ment",
    "ments",
    "ness",
    "ity",
    "ities",
    "ing",
    "ings",
    "ed",
    "ly",
    "ally",
    "able",
    "ible",
    "ance",
    "ances",
    "ence",
    "ences",
    "ency",
    "ancy",
    "ship",
    "ships",
    "ous",
    "ious",
    "ive",
    "ives",
    "ical",
    "ised",
    "ized",
    "ising",
    "izing",
    "isation",
    "ization",
    "ism",
    "isms",
    "ist",
    "ists",
    "ure",
    "ures",
    "ant",
    "ants",
    "ent",
    "ents",
    "ary",
    "ery",
    "ory",
    "ories",
    "ful",
    "less",
    "est",
    "er",
    "ers",
    "ic",
    "ics",
    "al",
    "hood",
    "hoods",
    "tive",
    "tives",
    "ture",
    "tures",
    "ties",
    "ty",
    "cy",
    "gy",
    "ny",
    "ry",
    "sive",
    "tial",
    "cial",
    "cal",
    "tal",
    "nal",
}
_HYPHEN_PREFIXES = {
    "co",
    "non",
    "self",
    "ex",
    "anti",
    "post",
    "semi",
    "multi",
    "cross",
    "mid",
    "quasi",
    "pseudo",
    "vice",
    "counter",
    "ultra",
    "well",
    "so",
    "all",
    "half",
    "cyber",
}


class Dehyphenator:
    """Joins the line breaks of one document, using what the rest of it says.

    Given the whole text, or fed it a line at a time (:meth:`feed`, then :meth:`finish`: a big file
    need never be held whole); what it keeps of the document is a count of its words and of the
    pieces of its broken words, not its text. The decisions are the same either way.
    """

    def __init__(self, document_text: str | None = None):
        self.words: Counter[str] = Counter()
        self.compounds: Counter[str] = Counter()
        self.keep_by_default = True
        self.breaks = False
        self._pieces: Counter[tuple[str, str]] = (
            Counter()
        )  # (word before, word after) of each break
        self._previous: str | None = None  # the line fed last: its breaks need the next line
        if document_text is not None:
            for line in document_text.split("\n"):
                self.feed(line)
            self.finish()

    def feed(self, line: str, *, words: bool = True) -> None:
        """The document's next line (without its newline). ``words=False``: its breaks only, the words
        being counted by another Dehyphenator fed the same document (see :meth:`finish`)."""
        if words:
            self.count_words(line)
        if not self.breaks and "\u00ad" in line:
            self.breaks = True
        self._breaks_before(line)
        self._previous = line

    def count_words(self, line: str) -> None:
        """Count a line's words (and nothing else) towards the document's."""
        self.words.update(_WORD.findall(line.lower()))  # counted in C, not word by word

    @property
    def broken_words(self) -> bool:
        """Whether a word broken at a line's end has been fed so far (before :meth:`finish`); only
        then are the document's words needed."""
        return bool(self._pieces) or (self._previous is not None and _may_break(self._previous))

    def _breaks_before(self, line: str | None) -> None:
        """The breaks whose hyphen is on the previous line, now that the line after it is known."""
        previous = self._previous
        if previous is None or not _may_break(previous):
            return
        window = previous if line is None else f"{previous}\n{line}"
        for head, tail, start, _ in _breaks(window):
            if start < len(previous):
                self._pieces[head, tail] += 1
        if not self.breaks and _NUMBER_BREAK.search(window) is not None:
            self.breaks = True

    def finish(self, words: Dehyphenator | None = None) -> Dehyphenator:
        """Decide, once the whole document has been fed; ``words``: the Dehyphenator that counted its
        words, when this one was fed with ``words=False``."""
        self._breaks_before(None)
        self._previous = None
        counted = (words if words is not None else self).words
        pieces, self._pieces = self._pieces, Counter()
        self.breaks = self.breaks or bool(pieces)
        self.words = Counter()
        if not pieces:
            return self  # nothing to decide: no need to know the document's words
        for word, count in counted.items():
            if "-" in word:
                self.compounds[word] += count
                parts = word.split("-")
                for part in parts:
                    self.words[part] += count
                for a, b in itertools.pairwise(parts):
                    self.compounds[f"{a}-{b}"] += count
            else:
                self.words[word] += count
        for (head, tail), count in pieces.items():  # the broken pieces are no evidence
            self.words[head.split("-")[-1].lower()] -= count
            self.words[tail.lower()] -= count
        soft = hard = 0
        for (head, tail), count in pieces.items():
            verdict = self._evidence(head, tail)
            if verdict is True:
                hard += count
            elif verdict is False:
                soft += count
        # a handful of typesetter's breaks is needed to say the document was typeset with hyphenation
        self.keep_by_default = not (soft >= 3 and soft > 2 * hard)
        return self

    def fix(self, text: str) -> str:
        """``text`` with each broken word joined: with its hyphen when it is a real one."""
        if not self.breaks or ("-" not in text and "\u00ad" not in text and "\u2010" not in text):
            return text
        text = _SOFT_BREAK.sub(r"\1\2", text)
        text = _NUMBER_BREAK.sub(r"\1-", text)  # "2019-" / "20": a range
        out: list[str] = []
        done = 0
        for head, tail, start, end in _breaks(text):
            after = text[end + len(tail) : end + len(tail) + 1]
            if (
                tail.lower() in _SUSPENDED and after != "-"
            ):  # "pre- and post-war", not "stop-and-search"
                continue
            out.append(text[done:start])
            out.append("-" if self.keep_hyphen(head, tail) else "")
            done = end
        out.append(text[done:])
        return "".join(out)

    def keep_hyphen(self, head: str, tail: str) -> bool:
        verdict = self._evidence(head, tail)
        if verdict is not None:
            return verdict
        first, second = head.split("-")[-1].lower(), _leading_letters(tail).lower()
        if first in _HYPHEN_PREFIXES and self.words[second] > 0:
            return True
        if "-" in head or (self.words[first] > 0 and self.words[second] > 0):
            return True
        return self.keep_by_default

    def _evidence(self, head: str, tail: str) -> bool | None:
        """True (a real hyphen), False (the typesetter's) or None (undecided) from the break itself and
        the rest of the document."""
        second = _leading_letters(tail)
        first = head.split("-")[-1]
        if not second or not tail[:1].isalpha() or tail[:1].isupper() or len(first) == 1:
            return True
        hyphenated = self.compounds[f"{first}-{second}".lower()]
        closed = self.words[f"{first}{second}".lower()]
        if hyphenated != closed:
            return hyphenated > closed
        if second.lower() in _ENDINGS:
            return False
        return None


def _breaks(text: str) -> Iterator[tuple[str, str, int, int]]:
    """(word before, word after, start of the hyphen, end of the spaces) for each broken word."""
    for joint in _JOINT.finditer(text):
        head = _HEAD.search(text, max(0, joint.start() - 80), joint.start())
        tail = _TAIL.match(text, joint.end())
        if head and tail:
            yield head.group(), tail.group(), joint.start(), joint.end()


def _leading_letters(text: str) -> str:
    match = re.match(rf"{_LETTERS}+", text)
    return match.group() if match else ""
