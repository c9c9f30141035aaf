"""The labels of the SQLite index's hits (:class:`HitLabel`: what a hit's title is made from), read in
the ranked query itself: the top hits joined to their records, so a search is one statement, as a bare
FTS5 query is, instead of one more query a kind of record through the ORM."""

from __future__ import annotations

import datetime as dt

from pcc_desk.search.common import HitLabel, Row

# over the ranked hits' keys (alias d: search_docs), each hit's record by its kind
LABEL_JOINS = (
    " LEFT JOIN segments lseg ON d.kind = 'transcript' AND lseg.id = d.record_id"
    " LEFT JOIN transcripts ltr ON ltr.id = lseg.transcript_id"
    " LEFT JOIN recommendations lrec ON d.kind = 'recommendation' AND lrec.id = d.record_id"
    " LEFT JOIN responses lrsp ON d.kind = 'response' AND lrsp.id = d.record_id"
    " LEFT JOIN recommendations lrsp_rec ON lrsp_rec.id = lrsp.recommendation_id"
    " LEFT JOIN footnotes lfn ON d.kind = 'footnote' AND lfn.id = d.record_id"
    " LEFT JOIN documents lfn_doc ON lfn_doc.id = lfn.document_id"
)
LABEL_COLUMNS = (
    "ltr.id, lseg.ordinal, ltr.committee, ltr.meeting_date, ltr.title, "
    "lrec.ref, lrec.text, lrsp_rec.ref, lrsp.from_whom, "
    "lfn_doc.id, lfn.number, lfn.transcript_id, lfn_doc.title, lfn_doc.subject"
)


def label(kind: str, values: Row) -> HitLabel | None:
    """A hit's label from the :data:`LABEL_COLUMNS` of its row; None when its record is gone."""
    (tid, ordinal, committee, meeting_date, title, ref, text, response_ref, from_whom) = values[:9]
    (doc_id, number, note_tid, doc_title, subject) = values[9:]
    if kind == "transcript" and tid is not None:
        return HitLabel(
            number=ordinal,
            transcript_id=tid,
            committee=committee or "",
            meeting_date=dt.date.fromisoformat(meeting_date) if meeting_date else None,
            title=title or "",
        )
    if kind == "recommendation" and ref is not None:
        return HitLabel(ref=ref, text=text or "")
    if kind == "response" and response_ref is not None:
        return HitLabel(ref=response_ref, from_whom=from_whom or "")
    if kind == "footnote" and doc_id is not None:
        return HitLabel(
            number=number, transcript_id=note_tid, title=doc_title or "", subject=subject or ""
        )
    return None
