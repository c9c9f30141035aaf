"""Matching text without a model: which passage of a reply answers which ask, and which asks repeat
earlier ones. Pure Python, no database, no Qt.

- :class:`TfIdf`: word 1-2-grams after stop words, sublinear tf, smoothed idf, L2-normalised sparse
  vectors; :func:`cosine` between two of them.
- :func:`explicit_reference`: the evidence a passage names its ask ("Recommendation 3", the ask's
  reference, the ask's words quoted).
- :func:`align`: the passages chosen for the asks, in the letter's order (an order-preserving
  alignment, a dynamic programme) or not (a one-to-one assignment, the Hungarian method).
- :func:`position_of`: the Met's position read from the wording, refusals first, so a refusal is
  never read as accepted.
- :func:`follow_up_cues`: what a follow-up letter says of an earlier ask (its wording, the earlier
  letter's date, the words it quotes).

Nothing here is tuned to a data set: the thresholds are round numbers chosen before measuring (see
``benchmarks/bench_replies.py`` for the figures they give).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pcc_desk.dates import parse_date
from pcc_desk.vocabulary import Position

# a passage scoring under this (after the evidence of references) answers nothing
MATCH_THRESHOLD = 0.05
# two asks this similar are offered as a repeat: the two most alike different asks of the real
# letter in resources/samples score 0.22; a repeat in other words keeps about half of its terms
REPEAT_THRESHOLD = 0.4

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves us may might must shall upon within
    without would whether however therefore thus also etc""".split()  # noqa: SIM905
)
# words that decide the position: kept out of the similarity (every answer has them)
POSITION_WORDS = frozenset(
    """accept accepts accepted agree agrees agreed disagree support supports welcome welcomes note
    notes noted recommendation recommendations recommend recommends committee""".split()  # noqa: SIM905
)

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@functools.lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """A light normalisation: plural and possessive endings only (no stemmer library). Cached: a
    register's asks use a few thousand distinct words many times over."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The content words of ``text``, lower-cased and lightly normalised."""
    text = text.lower().replace("\u2019", "'")
    return [
        _stem(w)
        for w in _WORD.findall(text)
        if w not in STOP_WORDS and w not in POSITION_WORDS and len(w) > 1 and not w.isdigit()
    ]


def terms(text: str) -> list[str]:
    """Unigrams and bigrams of the content words (bigrams across removed stop words, as usual)."""
    ws = words(text)
    return ws + [f"{a} {b}" for a, b in itertools.pairwise(ws)]


Vector = dict[str, float]


class TfIdf:
    """Sublinear tf × smoothed idf, fitted on a collection of texts."""

    def __init__(self, texts: Iterable[str] = ()):
        self.df: Counter[str] = Counter()
        self.n = 0
        for text in texts:
            self.add(text)

    def add(self, text: str) -> None:
        self.add_terms(terms(text))

    def add_terms(self, text_terms: Iterable[str]) -> None:
        self.df.update(set(text_terms))
        self.n += 1

    def idf(self, term: str) -> float:
        return math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0

    def vector(self, text: str, weight: float = 1.0) -> Vector:
        return self.terms_vector(terms(text), weight)

    def terms_vector(self, text_terms: Iterable[str], weight: float = 1.0) -> Vector:
        counts = Counter(text_terms)
        vec = {t: (1.0 + math.log(c)) * self.idf(t) for t, c in counts.items()}
        return normalised(vec, weight)


def normalised(vec: Vector, weight: float = 1.0) -> Vector:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: weight * v / norm for t, v in vec.items()} if norm else {}


def combined(*vectors: Vector) -> Vector:
    total: dict[str, float] = {}
    for vec in vectors:
        for t, v in vec.items():
            total[t] = total.get(t, 0.0) + v
    return normalised(total)


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def shared_words(a: str, b: str) -> list[str]:
    """The content words two texts share, in the order of ``b`` (for highlighting)."""
    mine = set(words(a))
    seen: list[str] = []
    for raw in _WORD.findall(b.lower().replace("\u2019", "'")):
        if _stem(raw) in mine and raw not in STOP_WORDS and raw not in seen and not raw.isdigit():
            seen.append(raw)
    return seen


# --- explicit references ---------------------------------------------------------------------------

_NUMBERED = re.compile(
    r"\b(?:recommendations?|asks?|requests?|points?|questions?)\s+((?:\d+(?:\.\d+)?)"
    r"(?:\s*(?:,|and|&|to|-|–)\s*\d+(?:\.\d+)?)*)",
    re.IGNORECASE,
)
_LEADING_NUMBER = re.compile(r"^\(?(\d{1,3})[.)]\s")


def numbers_named(text: str) -> set[int]:
    """The ask numbers a passage names: "Recommendation 3", "Recommendations 4 and 5", "6-8"."""
    named: set[int] = set()
    for match in _NUMBERED.finditer(text):
        found = [int(float(n)) for n in re.findall(r"\d+(?:\.\d+)?", match.group(1))]
        if re.search(r"\d\s*(?:to|-|–)\s*\d", match.group(1)) and len(found) == 2:
            low, high = sorted(found)
            if high - low <= 30:
                found = list(range(low, high + 1))
        named.update(found)
    return named


def leading_number(text: str) -> int | None:
    match = _LEADING_NUMBER.match(text)
    return int(match.group(1)) if match else None


def _raw_words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def quoted_share(ask: str, passage: str) -> float:
    """How much of the ask the passage repeats word for word: the longest run of the ask's words
    found in the passage, as a share of the ask (0 when the run is under 6 words)."""
    a, p = _raw_words(ask), _raw_words(passage)
    if len(a) < 4 or not p:
        return 0.0
    where: dict[str, list[int]] = {}
    for i, w in enumerate(p):
        where.setdefault(w, []).append(i)
    best = 0
    previous: dict[int, int] = {}
    for w in a:
        current: dict[int, int] = {}
        for j in where.get(w, ()):
            current[j] = previous.get(j - 1, 0) + 1
            best = max(best, current[j])
        previous = current
    if best < min(6, len(a)):
        return 0.0
    return best / len(a)


def explicit_reference(ask_number: int, ask_ref: str, ask_text: str, passage: str) -> float:
    """The evidence that ``passage`` names this ask, from 0 (none) to 1."""
    if ask_ref and ask_ref.lower() in passage.lower():
        return 1.0
    evidence = 0.0
    if ask_number in numbers_named(passage):
        evidence = 0.6
    elif leading_number(passage) == ask_number:
        evidence = 0.15
    share = quoted_share(ask_text, passage)
    if share:
        evidence = max(evidence, 0.3 + 0.5 * share)
    return evidence


# --- structure: which passage for which ask --------------------------------------------------------


@dataclass(frozen=True)
class Alignment:
    chosen: tuple[int | None, ...]  # per ask: the passage's index, or None (not answered)
    in_order: bool  # whether the letter's order was kept


def _ordered(gain: Sequence[Sequence[float]]) -> tuple[float, list[int | None]]:
    """The best total gain with the chosen passages in non-decreasing order (a passage may answer
    several asks in a row; an ask may go unanswered)."""
    n = len(gain)
    m = len(gain[0]) if n else 0
    if not m:
        return 0.0, [None] * n
    best = [0.0] * m  # best[j]: best total so far with every chosen passage <= j
    back: list[list[tuple[str, int]]] = []
    for i in range(n):
        row, new = gain[i], [0.0] * m
        choice: list[tuple[str, int]] = []
        run, run_at = -math.inf, -1
        for j in range(m):
            if best[j] + row[j] > run:
                run, run_at = best[j] + row[j], j
            carry = new[j - 1] if j else -math.inf
            options = [(best[j], ("skip", j)), (run, ("take", run_at)), (carry, ("carry", j - 1))]
            value, step = max(options, key=lambda o: o[0])
            new[j] = value
            choice.append(step)
        back.append(choice)
        best = new
    chosen: list[int | None] = [None] * n
    j = m - 1
    for i in range(n - 1, -1, -1):
        how, at = back[i][j]
        while how == "carry":
            j = at
            how, at = back[i][j]
        if how == "take":
            chosen[i] = at
            j = at
    return best[m - 1], chosen


def _hungarian(cost: list[list[float]]) -> list[int]:
    """Minimum-cost assignment of rows to distinct columns (rows <= columns); the column per row."""
    n, m = len(cost), len(cost[0])
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    p, way = [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [math.inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], math.inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    result = [0] * n
    for j in range(1, m + 1):
        if p[j]:
            result[p[j] - 1] = j - 1
    return result


def _assigned(gain: Sequence[Sequence[float]]) -> tuple[float, list[int | None]]:
    """One passage per ask at most, each passage to one ask at most (a dummy column per ask stands
    for "not answered", at gain 0)."""
    n = len(gain)
    m = len(gain[0]) if n else 0
    if not n or not m:
        return 0.0, [None] * n
    cost = [[-g for g in row] + [0.0] * n for row in gain]
    cols = _hungarian(cost)
    chosen: list[int | None] = [c if c < m and gain[i][c] > 0 else None for i, c in enumerate(cols)]
    return sum(gain[i][c] for i, c in enumerate(chosen) if c is not None), chosen


def follows_order(chosen: Sequence[int | None]) -> bool:
    """Whether passages chosen freely mostly follow the asks' order: at least 80% of the steps from
    one answered ask to the next go forward (or stay)."""
    seq = [c for c in chosen if c is not None]
    steps = list(itertools.pairwise(seq))
    if len(steps) < 2:
        return True
    return sum(b >= a for a, b in steps) >= 0.8 * len(steps)


def align(
    scores: Sequence[Sequence[float]],
    threshold: float = MATCH_THRESHOLD,
    in_order: bool | None = None,
) -> Alignment:
    """The passage for each ask from a score matrix (asks × passages). ``in_order``: True keeps the
    letter's order, False does not, None decides: the order is kept when the one-to-one assignment
    itself mostly follows it (:func:`follows_order`)."""
    gain = [[s - threshold for s in row] for row in scores]
    if in_order is True:
        return Alignment(tuple(_ordered(gain)[1]), True)
    free = _assigned(gain)[1]
    if in_order is None and follows_order(free):
        return Alignment(tuple(_ordered(gain)[1]), True)
    return Alignment(tuple(free), False)


# --- the position, from the wording ---------------------------------------------------------------

_REFUSAL = re.compile(
    r"\b(?:(?:do|does|did|can|could|will|would|is|are)\s*(?:not|n't)|cannot|unable to|not able to)"
    r"\s+(?:\w+\s+){0,2}?(?:accept|agree|support|implement|adopt|endorse|taken? forward|proceed)"
    r"|\b(?:reject(?:s|ed)?|disagree(?:s|d)?|declines?|not accepted|not agreed|not supported)\b",
    re.IGNORECASE,
)
_NOT_FULLY = re.compile(r"\bnot\s+(?:fully|entirely|wholly)\s+(?:accept|agree|support)", re.I)
_PARTLY = re.compile(
    r"\b(?:in principle|partly|partially|in part|part of (?:this|the) recommendation|"
    r"the spirit of|accepts? (?:some|elements))\b",
    re.IGNORECASE,
)
_OTHER = re.compile(
    r"\b(?:notes?|noted|will consider|(?:is|are) considering|under (?:consideration|review)|"
    r"keep (?:this|it) under review|will (?:review|explore|look at|look into))\b",
    re.IGNORECASE,
)
_ACCEPTED = re.compile(
    r"\b(?:accepts?|accepted|agrees?|agreed|supports?|supported|will implement|"
    r"(?:has|have) (?:already )?(?:implemented|published|introduced))\b",
    re.IGNORECASE,
)


def position_of(text: str) -> tuple[Position, str]:
    """The position the wording states, and the words that said so ('' when nothing did: OTHER).
    A refusal is looked for first, then a qualified answer ("not fully", "in principle", "partly");
    then whichever of an acceptance or a non-committal answer ("notes", "will consider") comes first.
    Welcoming a report is not accepting a recommendation."""
    for pattern, position in (
        (_NOT_FULLY, Position.PARTLY_ACCEPTED),
        (_REFUSAL, Position.NOT_ACCEPTED),
        (_PARTLY, Position.PARTLY_ACCEPTED),
    ):
        found = pattern.search(text)
        if found:
            return position, found.group(0)
    first = [
        (m.start(), kind, m.group(0))
        for pattern, kind in ((_ACCEPTED, Position.ACCEPTED), (_OTHER, Position.OTHER))
        if (m := pattern.search(text))
    ]
    if first:
        _at, kind, words = min(first)
        return kind, words
    return Position.OTHER, ""


# --- repeated asks ---------------------------------------------------------------------------------


class RepeatIndex:
    """The asks of a register, indexed for "which earlier ask does this one repeat?": TF-IDF over
    the asks' own words (their paragraphs would make every ask of one letter alike), candidates from
    an inverted index of the rarer terms (those in at most 2% of the asks, or 50): the asks sharing
    one of the query's 12 rarest terms, each then scored by its full cosine. A repeat shares most of
    its rare terms, so it is among the candidates."""

    RAREST = 12

    def __init__(self, texts: Sequence[str]):
        term_lists = [terms(t) for t in texts]  # once a text: the counts and the vectors share them
        self.model = TfIdf()
        for text_terms in term_lists:
            self.model.add_terms(text_terms)
        self.vectors = [self.model.terms_vector(t) for t in term_lists]
        limit = max(50, self.model.n // 50)
        self.postings: dict[str, list[int]] = {}
        for n, vec in enumerate(self.vectors):
            for term in vec:
                if self.model.df[term] <= limit:
                    self.postings.setdefault(term, []).append(n)

    def similar(
        self, text: str, threshold: float = REPEAT_THRESHOLD, vector: Vector | None = None
    ) -> list[tuple[int, float]]:
        """The indexed asks at least ``threshold`` alike to ``text``, most alike first."""
        vec = vector if vector is not None else self.model.vector(text)
        candidates: set[int] = set()
        indexed = sorted((t for t in vec if t in self.postings), key=lambda t: -vec[t])
        for term in indexed[: self.RAREST]:
            candidates.update(self.postings[term])
        scored = [(n, cosine(vec, self.vectors[n])) for n in candidates]
        return sorted(((n, round(s, 3)) for n, s in scored if s >= threshold), key=lambda x: -x[1])


# --- follow-ups: an ask that chases one made before --------------------------------------------------

_FOLLOW_UP_WORDING = re.compile(
    r"\bfollow(?:s|ing|ed)?[- ]?up\b"
    r"|\b(?:we|the committee|it)\s+(?:has\s+|have\s+|had\s+)?(?:previously|already|earlier)\s+"
    r"(?:asked|recommended|requested|called|raised)"
    r"|\b(?:previously|earlier)\s+(?:asked|recommended|requested)"
    r"|\breiterates?\b|\bonce again\b|\bagain\s+(?:asks?|recommends?|calls?|urges?|requests?)\b"
    r"|\brepeats?\s+(?:its|our)\s+(?:call|recommendation|request)"
    r"|\b(?:our|its|the committee's)\s+(?:previous\s+|earlier\s+)?(?:letter|report)\s+(?:of|dated)\b",
    re.IGNORECASE,
)
_EARLIER_LETTER = re.compile(
    r"\b(?:our|its|the committee's)\s+(?:previous\s+|earlier\s+)?letter\s+(?:of|dated)\s+"
    r"([^,.:;()]{6,30})",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[“\"]([^”\"]{20,})[”\"]")


@dataclass(frozen=True)
class FollowUpCues:
    """What a passage says about an earlier ask: follow-up wording ("follow up", "we previously
    asked", "reiterate", "our letter of ..."), the dates of the earlier letters it names, and the
    words it quotes (a follow-up quotes what was asked)."""

    worded: bool
    letter_dates: tuple[dt.date, ...]
    quotes: tuple[str, ...]


def follow_up_cues(text: str) -> FollowUpCues:
    text = text.replace("\u2019", "'")
    dates = []
    for found in _EARLIER_LETTER.finditer(text):
        day = parse_date(found.group(1))
        if day is not None and day not in dates:
            dates.append(day)
    quotes = tuple(q.strip() for q in _QUOTED.findall(text))
    return FollowUpCues(bool(_FOLLOW_UP_WORDING.search(text)), tuple(dates), quotes)


def quote_share(quote: str, text: str) -> float:
    """The share of a quotation's content words found in ``text`` (1.0: every word is there)."""
    said = set(words(quote))
    return len(said & set(words(text))) / len(said) if said else 0.0
