"""Repeated asks: an ask of the Committee that repeats one it made in an earlier letter.

:class:`RepeatFinder` reads the register's asks once and answers, for any wording, which earlier
asks it repeats (TF-IDF cosine over the asks' own words, candidates from an inverted index of their
rarer terms: :class:`pcc_desk.matching.RepeatIndex`). :func:`likely_repeats` lists the pairs across
the whole register for a clerk to confirm (``pcc-desk repeats``); the letter import's dry run shows
them on each new ask. :func:`confirm` stores a clerk's confirmation (one transaction, one undoable
journal row), :func:`unlink` takes a link out again (the same); :func:`chain` gives an ask's chain
of repeats, oldest first; :func:`links_of` the links of one ask, for the detail screen."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk import matching
from pcc_desk.dates import house_date
from pcc_desk.errors import Conflict, InvalidInput, NotFound
from pcc_desk.model import OperationKind, Recommendation, RecommendationLink
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal
from pcc_desk.services.desk import Desk
from pcc_desk.services.register import recommendation_by_ref
from pcc_desk.vocabulary import ChangeKind as C
from pcc_desk.vocabulary import LinkKind, Status


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
    document: uuid.UUID | None


# the index of the last texts indexed: previewing a letter again, or the review after the dry run,
# finds the register's asks unchanged and reuses it (building it takes seconds on 20,000 asks;
# reading the asks to compare takes a tenth of that)
_last_index: tuple[tuple[str, ...], matching.RepeatIndex] | None = None
_last_index_lock = threading.Lock()


def _index_of(texts: tuple[str, ...]) -> matching.RepeatIndex:
    global _last_index
    with _last_index_lock:
        if _last_index is not None and _last_index[0] == texts:
            return _last_index[1]
    index = matching.RepeatIndex(texts)
    with _last_index_lock:
        _last_index = (texts, index)
    return index


class RepeatFinder:
    def __init__(self, desk: Desk, threshold: float = matching.REPEAT_THRESHOLD) -> None:
        columns = (
            Recommendation.ref,
            Recommendation.made,
            Recommendation.status,
            Recommendation.text,
            Recommendation.document_id,
        )
        with desk.reading() as session:
            self.rows = [
                _Row(*row)
                for row in session.execute(
                    select(*columns).order_by(Recommendation.made, Recommendation.id)
                )
            ]
        self.index = _index_of(tuple(r.text for r in self.rows))
        self.threshold = threshold

    def earlier(
        self,
        text: str,
        *,
        before: dt.date | None = None,
        exclude: str = "",
        document: uuid.UUID | None = None,
        _vector: matching.Vector | None = None,
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
    """Every ask of the register that likely repeats an earlier one and is not yet linked to it,
    most alike first."""
    with desk.reading() as session:
        linked = {
            (a, b)
            for a, b in session.execute(
                select(Recommendation.ref, RecommendationLink.earlier_id).join(
                    RecommendationLink, RecommendationLink.recommendation_id == Recommendation.id
                )
            ).all()
        }
        refs = dict(session.execute(select(Recommendation.id, Recommendation.ref)).all())
    done = {(a, refs.get(b)) for a, b in linked}
    return [p for p in RepeatFinder(desk).pairs() if (p.ref, p.earlier.ref) not in done]


# --- confirmed links -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AskedBefore:
    """One ask of a chain of repeats, oldest first."""

    ref: str
    made: dt.date
    kind: LinkKind | None  # how it relates to the one before it in the chain (None: the first)


def confirm(
    desk: Desk,
    ref: str,
    earlier_ref: str,
    kind: LinkKind = LinkKind.REPEATS,
    score: float | None = None,
) -> tuple[AskedBefore, ...]:
    """Store the clerk's confirmation that ``ref`` repeats (supersedes, is related to)
    ``earlier_ref``: one transaction, one journal row (undoable). Returns ``ref``'s chain."""
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        rec = recommendation_by_ref(session, ref)
        earlier = recommendation_by_ref(session, earlier_ref)
        if rec.id == earlier.id:
            raise InvalidInput(f"{ref} cannot repeat itself.")
        if earlier.made > rec.made:
            raise InvalidInput(
                f"{earlier.ref} was made after {rec.ref}: link the later ask to the earlier one."
            )
        if _link_between(session, rec.id, earlier.id) is not None:
            raise Conflict(f"{rec.ref} is already linked to {earlier.ref}.")
        op = journal.pending(OperationKind.LINK_ASKS, _pair(rec, earlier, kind, score), desk.user)
        apply_link(session, op, op.payload)
        journal.write(session, op)
        return _chain(session, rec)


def _pair(
    rec: Recommendation, earlier: Recommendation, kind: LinkKind, score: float | None
) -> dict[str, Any]:
    """A link's journal payload (linking, and unlinking: its undo links again)."""
    return {
        "recommendation": rec.id,
        "ref": rec.ref,
        "earlier": earlier.id,
        "earlier_ref": earlier.ref,
        "kind": kind,
        "score": score,
    }


def apply_link(session: Session, op: journal.Pending, p: dict[str, Any]) -> RecommendationLink:
    link = RecommendationLink(
        id=op.new_id(R.LINK),
        recommendation_id=journal.uid(p["recommendation"]),
        earlier_id=journal.uid(p["earlier"]),
        kind=LinkKind(p["kind"]),
        score=p.get("score"),
    )
    session.add(link)
    session.flush()
    op.created(R.LINK, link.id)
    op.used(R.RECOMMENDATION, link.recommendation_id)
    op.used(R.RECOMMENDATION, link.earlier_id)
    op.summary = f"Link {p['ref']} to {p['earlier_ref']} ({LinkKind(p['kind']).label.lower()})"
    return link


def unlink(desk: Desk, ref: str, earlier_ref: str) -> tuple[AskedBefore, ...]:
    """Take out the link of ``ref`` to ``earlier_ref`` (confirmed by a clerk, or made by a follow-up
    letter's import): one transaction, one journal row (undoable). Returns ``ref``'s chain."""
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        rec = recommendation_by_ref(session, ref)
        earlier = recommendation_by_ref(session, earlier_ref)
        link = _link_between(session, rec.id, earlier.id)
        if link is None:
            raise NotFound(f"{rec.ref} is not linked to {earlier.ref}.")
        op = journal.pending(
            OperationKind.UNLINK_ASKS, _pair(rec, earlier, link.kind, link.score), desk.user
        )
        apply_unlink_pair(session, op, op.payload)
        journal.write(session, op)
        return _chain(session, rec)


def _link_between(
    session: Session, rec: uuid.UUID | str, earlier: uuid.UUID | str
) -> RecommendationLink | None:
    return session.scalars(
        select(RecommendationLink).where(
            RecommendationLink.recommendation_id == journal.uid(rec),
            RecommendationLink.earlier_id == journal.uid(earlier),
        )
    ).first()


def apply_unlink_pair(session: Session, op: journal.Pending, p: dict[str, Any]) -> str:
    """Take out the link between the two asks of ``p`` (the unlink, and its redo)."""
    link = _link_between(session, p["recommendation"], p["earlier"])
    if link is None:
        raise NotFound(f"{p['ref']} is no longer linked to {p['earlier_ref']}.")
    op.used(R.RECOMMENDATION, link.recommendation_id)
    op.used(R.RECOMMENDATION, link.earlier_id)
    apply_unlink(session, op, link.id)
    op.summary = f"Unlink {p['ref']} from {p['earlier_ref']}"
    return f"{p['ref']} is no longer linked to {p['earlier_ref']}."


def why_not_relink(session: Session, p: dict[str, Any]) -> str | None:
    """Why an unlink cannot be undone (one line), or None."""
    for key in ("recommendation", "earlier"):
        if session.get(Recommendation, journal.uid(p[key])) is None:
            return "An ask of that link is no longer in the register; it was not undone."
    if _link_between(session, p["recommendation"], p["earlier"]) is not None:
        return f"{p['ref']} has been linked to {p['earlier_ref']} again since; it was not undone."
    return None


def apply_unlink(session: Session, op: journal.Pending, ident: uuid.UUID | str) -> str:
    link = session.get(RecommendationLink, journal.uid(ident))
    if link is None:
        raise NotFound("That link is no longer in the register.")
    message = f"Undone: {link.recommendation.ref} is no longer linked to {link.earlier.ref}."
    session.delete(link)
    session.flush()
    op.removed(R.LINK, link.id)
    return message


def _chain(session: Session, rec: Recommendation) -> tuple[AskedBefore, ...]:
    """Every ask linked to ``rec``, directly or through others, with it, oldest first."""
    seen: dict[uuid.UUID, LinkKind | None] = {rec.id: None}
    todo = [rec.id]
    while todo:
        ident = todo.pop()
        links = session.scalars(
            select(RecommendationLink).where(
                (RecommendationLink.recommendation_id == ident)
                | (RecommendationLink.earlier_id == ident)
            )
        ).all()
        for link in links:
            pairs: tuple[tuple[uuid.UUID, LinkKind | None], ...] = (
                (link.recommendation_id, link.kind),
                (link.earlier_id, None),
            )
            for other, kind in pairs:
                if other not in seen:
                    seen[other] = kind
                    todo.append(other)
                elif kind is not None and other == link.recommendation_id:
                    seen[other] = kind
    if len(seen) == 1:
        return ()
    recs = [r for i in seen if (r := session.get(Recommendation, i)) is not None]
    recs.sort(key=lambda r: (r.made, r.ref))
    return tuple(
        AskedBefore(r.ref, r.made, None if n == 0 else seen[r.id]) for n, r in enumerate(recs)
    )


chain_of = _chain  # for the services that hold a session (a follow-up letter's asks)


def chain(desk: Desk, ref: str) -> tuple[AskedBefore, ...]:
    """The asks ``ref`` is linked with (confirmed repeats), oldest first; () when none."""
    with desk.reading() as session:
        return _chain(session, recommendation_by_ref(session, ref))


def chain_sentence(asked: tuple[AskedBefore, ...]) -> str:
    """'first asked 17 March 2023; asked again 12 June 2024' ('' for no chain)."""
    if not asked:
        return ""
    parts = [f"first asked {house_date(asked[0].made)}"]
    parts += [f"asked again {house_date(a.made)}" for a in asked[1:]]
    return "; ".join(parts)


def linked_refs(desk: Desk) -> set[str]:
    """The refs of every ask in a chain of confirmed repeats (the register's "asked more than once")."""
    with desk.reading() as session:
        rows = session.execute(
            select(RecommendationLink.recommendation_id, RecommendationLink.earlier_id)
        ).all()
        ids = {i for row in rows for i in row}
        if not ids:
            return set()
        return set(
            session.scalars(select(Recommendation.ref).where(Recommendation.id.in_(ids))).all()
        )


@dataclass(frozen=True)
class Link:
    """One stored link of an ask, seen from that ask: ``later`` repeats (follows up...) ``earlier``;
    ``other`` is the ask at the other end."""

    later: str
    earlier: str
    kind: LinkKind
    other: str
    other_made: dt.date


def links_of(desk: Desk, ref: str) -> tuple[Link, ...]:
    """The links stored for ``ref`` (to earlier asks, then from later ones), oldest other first."""
    with desk.reading() as session:
        rec = recommendation_by_ref(session, ref)
        rows = session.scalars(
            select(RecommendationLink).where(
                (RecommendationLink.recommendation_id == rec.id)
                | (RecommendationLink.earlier_id == rec.id)
            )
        ).all()
        out = []
        for link in rows:
            later, earlier = link.recommendation, link.earlier
            other = earlier if later.id == rec.id else later
            out.append(Link(later.ref, earlier.ref, link.kind, other.ref, other.made))
    return tuple(sorted(out, key=lambda x: (x.other_made, x.other)))


def suggested_for(desk: Desk, ref: str) -> list[EarlierAsk]:
    """The earlier asks ``ref`` likely repeats that it is not linked to yet, most alike first (the
    whole register is read: call it off the screen's thread)."""
    with desk.reading() as session:
        rec = recommendation_by_ref(session, ref)
        text, made, document = rec.text, rec.made, rec.document_id
    linked = {link.other for link in links_of(desk, ref)}
    found = RepeatFinder(desk).earlier(text, before=made, exclude=ref, document=document)
    return [e for e in found if e.ref not in linked]
