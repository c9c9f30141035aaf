"""What the clerk filters the register by, and the lower-case text searched as you type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from pcc_desk.services.dto import ADDRESSEE_SEPARATOR, RecommendationSummary
from pcc_desk.vocabulary import Status


def haystacks_for(rows: Sequence[RecommendationSummary]) -> list[str]:
    """The lower-case text searched as you type, one per row (safe to compute on a worker thread;
    no Python call a row: 20,000 of them at once when the register is first searched)."""
    return [f"{r.ref}\n{r.text}\n{r.theme}\n{r.addressee}".lower() for r in rows]


def _addressees_of(rec: RecommendationSummary) -> set[str]:
    """The ask's addressee, or each of its several (named "A; B" in the row), in lower case."""
    whole = rec.addressee.lower()
    return {whole, *(name.strip() for name in whole.split(ADDRESSEE_SEPARATOR))}


def haystack_of(rec: RecommendationSummary) -> str:
    return haystacks_for((rec,))[0]


@dataclass(frozen=True)
class RegisterCriteria:
    """What the clerk filters the register by (all optional; empty means everything)."""

    text: str = ""
    statuses: frozenset[Status] = frozenset()
    theme: str = ""
    addressee: str = ""
    made_from: dt.date | None = None
    made_to: dt.date | None = None
    overdue_on: dt.date | None = None
    only_refs: frozenset[str] | None = None  # e.g. the asks asked more than once

    def accepts(self, rec: RecommendationSummary, haystack: str, words: Sequence[str]) -> bool:
        if self.only_refs is not None and rec.ref not in self.only_refs:
            return False
        if self.statuses and rec.status not in self.statuses:
            return False
        if self.theme and rec.theme.lower() != self.theme.lower():
            return False
        if self.addressee and self.addressee.lower() not in _addressees_of(rec):
            return False
        if self.made_from and rec.made < self.made_from:
            return False
        if self.made_to and rec.made > self.made_to:
            return False
        if self.overdue_on and not rec.is_overdue(self.overdue_on):
            return False
        return all(w in haystack for w in words)
