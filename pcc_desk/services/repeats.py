"""Repeated asks: an ask of the Committee that repeats one it made in an earlier letter.

:class:`RepeatFinder` reads the register's asks once and answers, for any wording, which earlier
asks it repeats (TF-IDF cosine over the asks' own words, candidates from an inverted index of their
rarer terms: :class:`pcc_desk.matching.RepeatIndex`). :func:`likely_repeats` lists the pairs across
the whole register for a clerk to confirm (``pcc-desk repeats``); the letter import's dry run shows
them on each new ask. Nothing here writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from pcc_desk import matching
from pcc_desk.model import Recommendation
from pcc_desk.services.desk import Desk
from pcc_desk.vocabulary import Status


@dataclass(frozen=True)
class EarlierAsk:
    ref: str
    made: dt.date
    status: Status
    score: float
    text: str


@dataclass(frozen=True)
class RepeatPair:
    """``ref`` (the later ask) repeats ``earlier``."""

    ref: str
    made: dt.date
    text: str
    earlier: EarlierAsk


@dataclass(frozen=True)
class _Row:
    ref: str
    made: dt.date
    status: Status
    text: str
    document: object


class RepeatFinder:
    def __init__(self, desk: Desk, threshold: float = matching.REPEAT_THRESHOLD) -> None:
        with desk.reading() as session:
            self.rows = [
                _Row(r.ref, r.made, r.status, r.text, r.document_id)
                for r in session.scalars(select(Recommendation).order_by(Recommendation.made))
            ]
        self.index = matching.RepeatIndex([r.text for r in self.rows])
        self.threshold = threshold

    def earlier(
        self,
        text: str,
        *,
        before: dt.date | None = None,
        exclude: str = "",
        document=None,
        _vector=None,
    ) -> list[EarlierAsk]:
        """The asks made before ``before`` (any date when None), in another letter, that ``text``
        repeats; most alike first."""
        found = []
        for n, score in self.index.similar(text, self.threshold, _vector):
            row = self.rows[n]
            if row.ref == exclude or (document is not None and row.document == document):
                continue
            if before is not None and row.made >= before:
                continue
            found.append(EarlierAsk(row.ref, row.made, row.status, score, row.text))
        return found

    def pairs(self) -> list[RepeatPair]:
        out = []
        for n, row in enumerate(self.rows):
            earlier = self.earlier(
                row.text,
                before=row.made,
                exclude=row.ref,
                document=row.document,
                _vector=self.index.vectors[n],
            )
            if earlier:
                out.append(RepeatPair(row.ref, row.made, row.text, earlier[0]))
        return sorted(out, key=lambda p: -p.earlier.score)


def likely_repeats(desk: Desk) -> list[RepeatPair]:
    """Every ask of the register that likely repeats an earlier one, most alike first."""
    return RepeatFinder(desk).pairs()
