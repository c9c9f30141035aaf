"""A follow-up letter read back into the register: each of its asks that chases an earlier ask is
linked to it (a link of kind "follows up") instead of standing as an unrelated new ask. Letters PCC
Desk wrote itself (its letter writer, read back as .docx and as the PDF LibreOffice makes of it),
archive follow-ups worded "we previously asked", and an ask naming a register reference."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from support import docx_readback as rb
from support.letter_fixtures import SAMPLE

from pcc_desk.importers.letters import read_letter
from pcc_desk.services import Desk, letter_import, repeats, undo
from pcc_desk.services.letters import Selection, draft_letter
from pcc_desk.vocabulary import LinkKind

# the follow-up letters written from the sample register: (the asks chased, the letter's date)
WRITTEN = {
    "three": (("PCC-2023-03-17/01", "PCC-2023-03-17/03", "PCC-2023-03-17/08"), dt.date(2024, 9, 2)),
    "five": (
        tuple(f"PCC-2023-03-17/{n:02d}" for n in (2, 6, 12, 17, 22)),
        dt.date(2025, 1, 14),
    ),
}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The sample letter's register, and the follow-up letters PCC Desk writes from it."""
    folder = tmp_path_factory.mktemp("follow-ups")
    db = folder / "register.sqlite3"
    desk = Desk.open(db)
    try:
        letter_import.commit(desk, letter_import.preview(desk, SAMPLE))
        letters = {
            name: draft_letter(
                desk,
                Selection(refs=refs),
                folder / f"follow-up-{name}.docx",
                letter_date=date,
                today=date,
            ).path
            for name, (refs, date) in WRITTEN.items()
        }
    finally:
        desk.close()
    return db, letters


def _register(written, tmp_path):
    db = tmp_path / "r.sqlite3"
    shutil.copy(written[0], db)
    return db


def _links(db):
    desk = Desk.open(db)
    try:
        with desk.reading() as session:
            from sqlalchemy import select

            from pcc_desk.model import Recommendation, RecommendationLink

            rows = session.execute(
                select(RecommendationLink.kind, Recommendation.ref, RecommendationLink.earlier_id)
                .join(Recommendation, Recommendation.id == RecommendationLink.recommendation_id)
                .order_by(Recommendation.ref)
            ).all()
            refs = dict(session.execute(select(Recommendation.id, Recommendation.ref)).all())
            return [(ref, refs[earlier], kind) for kind, ref, earlier in rows]
    finally:
        desk.close()


def _check_written_letter_read_back(cli, db, path, chased):
    out = json.loads(cli("import-letter", str(path), "--dry-run", "--json", db=db).stdout)
    assert [r["follows_up"] for r in out["recommendations"]] == list(chased)
    # the recap of what was asked stays with the new ask: its words are the earlier ask's
    assert all("In our letter of 17 March 2023" in r["context"] for r in out["recommendations"])
    assert _links(db) == []  # a dry run saves nothing
    done = json.loads(cli("import-letter", str(path), "--json", db=db).stdout)
    new = [r["ref"] for r in done["recommendations"]]
    assert len(new) == len(chased)
    assert _links(db) == [(n, c, LinkKind.FOLLOWS_UP) for n, c in zip(new, chased, strict=True)]
    desk = Desk.open(db)
    try:
        for n, c in zip(new, chased, strict=True):
            assert [a.ref for a in repeats.chain(desk, n)] == [c, n]
            assert n in repeats.linked_refs(desk)
    finally:
        desk.close()
    return new


@pytest.mark.parametrize("name", sorted(WRITTEN))
def test_a_follow_up_letter_pcc_desk_wrote_links_each_ask_to_the_one_it_chases(
    cli, tmp_path, written, name
):
    db = _register(written, tmp_path)
    chased, _date = WRITTEN[name]
    new = _check_written_letter_read_back(cli, db, written[1][name], chased)
    cli("undo", db=db, check_rc=0)  # the import and its links go together
    assert _links(db) == []
    cli("redo", db=db, check_rc=0)  # and come back together, from the journal
    assert [link[:2] for link in _links(db)] == list(zip(new, chased, strict=True))


@pytest.fixture(scope="module")
def written_pdfs(written, tmp_path_factory):
    if not rb.have_office():
        pytest.skip("needs LibreOffice, poppler-utils and pandoc")
    names = sorted(WRITTEN)
    pdfs = rb.to_pdf([written[1][n] for n in names], tmp_path_factory.mktemp("follow-up-pdfs"))
    return dict(zip(names, pdfs, strict=True))


@pytest.mark.office
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(WRITTEN))
def test_the_pdf_of_a_follow_up_letter_links_its_asks_too(
    cli, tmp_path, written, written_pdfs, name
):
    db = _register(written, tmp_path)
    _check_written_letter_read_back(cli, db, written_pdfs[name], WRITTEN[name][0])


# --- follow-ups from the archive: worded as such, and restating the ask ----------------------------

HEAD = """Susan Hall AM
Chairman of the Police and Crime Committee

Sir Mark Rowley
Commissioner of Police of the Metropolis

{date}

Dear Sir Mark,

{subject}

"""

CUES = (
    "We previously asked that {ask}",
    "Following up our letter of 17 March 2023, the Committee reiterates that {ask}",
    "The Committee has previously recommended that {ask}",
    "As we have already asked, {ask}",
)


def _restated(text: str, keep: int) -> str:
    """The ask in other words: every ``keep``-th word dropped."""
    words = text.rstrip(".").split()
    return " ".join(w for n, w in enumerate(words, start=1) if n % keep) + "."


def _archive_letter(path, asks, chased, *, keep, cue_offset, date="3 February 2025"):
    sample = read_letter(SAMPLE).asks
    body = []
    for n, number in enumerate(chased):
        cue = CUES[(n + cue_offset) % len(CUES)]
        ask = _restated(sample[number - 1].text, keep)
        lead, _, rest = cue.partition("{ask}")
        body.append(f"{lead}**{ask}**{rest}")
    body += asks
    text = HEAD.format(date=date, subject="Follow-up on the Turnaround Plan")
    path.write_text(text + "\n\n".join(body) + "\n\nYours sincerely,\n\nSusan Hall AM\n", "utf-8")
    return path


# new asks in follow-up wording (same themes, other asks), and a repeat without follow-up words
NEGATIVES = (
    "We previously asked about neighbourhood policing. **The Committee recommends that the Met "
    "publishes the number of horse-mounted officers in each borough.**",
    "Following up our last letter, **the Committee asks the Met to set out how it will measure "
    "public confidence in its handling of online fraud.**",
)


@pytest.mark.parametrize(
    ("chased", "keep", "cue_offset"),
    [((1, 8), 4, 0), ((3, 12, 21), 5, 1), ((5, 17, 22, 10), 6, 2), ((9, 15), 7, 3)],
)
def test_an_archive_follow_up_is_linked_and_a_new_ask_worded_alike_is_not(
    cli, tmp_path, written, chased, keep, cue_offset
):
    db = _register(written, tmp_path)
    plain_repeat = _restated(read_letter(SAMPLE).asks[19].text, keep)  # ask 20, no follow-up words
    path = _archive_letter(
        tmp_path / "archive.md",
        [*NEGATIVES, f"In addition, **{plain_repeat}**"],
        chased,
        keep=keep,
        cue_offset=cue_offset,
    )
    out = json.loads(cli("import-letter", str(path), "--dry-run", "--json", db=db).stdout)
    want = [f"PCC-2023-03-17/{n:02d}" for n in chased] + [None, None, None]
    assert [r["follows_up"] for r in out["recommendations"]] == want
    # the plain repeat is offered to the clerk as asked before, not linked without a question
    assert [r["ref"] for r in out["recommendations"][-1]["repeats"]][:1] == ["PCC-2023-03-17/20"]


def test_an_ask_naming_a_reference_of_the_register_follows_it_up(cli, tmp_path, written):
    db = _register(written, tmp_path)
    path = tmp_path / "named.md"
    path.write_text(
        HEAD.format(date="3 March 2025", subject="Vetting")
        + "On recommendation PCC-2023-03-17/05, **the Committee asks for the vetting figures for "
        "each quarter since then.**\n\n**The Committee asks about a new matter entirely here.**"
        "\n\nYours sincerely,\n\nSusan Hall AM\n",
        "utf-8",
    )
    out = json.loads(cli("import-letter", str(path), "--dry-run", "--json", db=db).stdout)
    assert [r["follows_up"] for r in out["recommendations"]] == ["PCC-2023-03-17/05", None]
    text = cli("import-letter", str(path), db=db, check_rc=0).stdout
    assert "follows up: PCC-2023-03-17/05" in text
    assert _links(db) == [("PCC-2025-03-03/01", "PCC-2023-03-17/05", LinkKind.FOLLOWS_UP)]


def test_a_link_the_clerk_removed_in_the_review_is_not_saved(tmp_path, written):
    import dataclasses

    db = _register(written, tmp_path)
    desk = Desk.open(db)
    try:
        preview = letter_import.preview(desk, written[1]["three"])
        assert [a.link_to for a in preview.letter.asks] == list(WRITTEN["three"][0])
        asks = list(preview.letter.asks)
        asks[1] = dataclasses.replace(asks[1], link_to="", link_kind="")
        asks[2] = dataclasses.replace(asks[2], link_kind=LinkKind.RELATED.value)
        letter = dataclasses.replace(preview.letter, asks=tuple(asks))
        result = letter_import.commit(desk, preview, letter=letter)
        assert undo.next_undo(desk).id == result.operation_id
    finally:
        desk.close()
    assert _links(db) == [
        (result.refs[0], "PCC-2023-03-17/01", LinkKind.FOLLOWS_UP),
        (result.refs[2], "PCC-2023-03-17/08", LinkKind.RELATED),
    ]


@pytest.mark.backends("sqlite", "postgresql")
def test_a_written_follow_up_is_linked_undone_and_redone_on_either_backend(desk, tmp_path):
    letter_import.commit(desk, letter_import.preview(desk, SAMPLE))
    chased, day = WRITTEN["three"]
    path = draft_letter(
        desk, Selection(refs=chased), tmp_path / "f.docx", letter_date=day, today=day
    ).path
    result = letter_import.commit(desk, letter_import.preview(desk, path))
    pairs = list(zip(chased, result.refs, strict=True))
    assert [[a.ref for a in repeats.chain(desk, new)] for _c, new in pairs] == [
        [c, new] for c, new in pairs
    ]
    undo.undo(desk)
    assert repeats.linked_refs(desk) == set()
    undo.redo(desk)
    assert repeats.linked_refs(desk) == set(chased) | set(result.refs)


@pytest.mark.parametrize("wording", ["follow up and", "as previously requested,", "once again"])
def test_an_undertaking_in_minutes_never_follows_up_an_ask(desk, tmp_path, wording):
    from support.letter_fixtures import MINUTES

    from pcc_desk.services import register

    asked = "provide the Committee with the number of officers abstracted from neighbourhood teams"
    register.add_recommendation(desk, asked + " in each month", made=dt.date(2022, 9, 1))
    path = tmp_path / "minutes.txt"
    path.write_text(MINUTES.replace("(a) provide", f"(a) {wording} provide"), "utf-8")
    preview = letter_import.preview(desk, path)
    assert preview.letter.asks[0].text.lower().startswith(f"{wording} provide")
    assert [a.link_to for a in preview.letter.asks] == [""] * 4
    letter_import.commit(desk, preview)
    assert repeats.linked_refs(desk) == set()


def test_an_import_whose_ask_was_followed_up_since_is_not_undone(cli, tmp_path, written):
    db = tmp_path / "r.sqlite3"
    cli("import-letter", str(SAMPLE), db=db, check_rc=0)
    first = next(o for o in json.loads(cli("undo", "--list", "--json", db=db).stdout))
    cli("import-letter", str(written[1]["three"]), db=db, check_rc=0)  # links to the sample's asks
    refused = cli("undo", first["id"], db=db)
    assert refused.returncode != 0
    assert refused.stderr.strip().endswith(
        f"PCC-2024-09-02/01 has been linked to PCC-2023-03-17/01 since {SAMPLE.name} was "
        "imported; the import was not undone."
    )
    assert len(_links(db)) == 3
