"""The transcript library through the services and the CLI: import, dedupe, all-or-nothing, footnote
links, listing and deletion."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select
from support.originals import kept_files
from support.transcript_samples import LA_TURNS, UK_TEXT, write_la_docx, write_la_txt

from pcc_desk.errors import Conflict, ImportRejected, NotFound
from pcc_desk.model import Document, DocumentKind, Footnote, Segment, Transcript
from pcc_desk.services import search as search_service
from pcc_desk.services import transcripts
from pcc_desk.services.quotes import create_quote

# a laptop's file and a team register (PostgreSQL)
pytestmark = pytest.mark.backends("sqlite", "postgresql")

OCT_12 = dt.date(2022, 10, 12)


def _counts(desk):
    with desk.reading() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t)) for t in (Document, Transcript, Segment)
        )


def test_import_writes_transcript_segments_and_keeps_the_original(desk, tmp_path):
    path = write_la_txt(tmp_path)
    result = transcripts.import_transcript(desk, path)
    assert result.created
    t = result.transcript
    assert (t.committee, t.date) == ("Police and Crime Committee", OCT_12)
    assert t.segment_count == len(LA_TURNS) == len(result.segments)
    assert [s.ordinal for s in result.segments] == list(range(1, len(LA_TURNS) + 1))
    detail = transcripts.get_transcript(desk, str(t.id)[:8])
    assert [s.speaker_name for s in detail.segments][:3] == [
        "Susan Hall",
        "Sir Mark Rowley",
        "Caroline Russell",
    ]
    assert kept_files(desk) == {t.sha256: path.read_bytes()}  # kept in the register itself
    assert not desk.location.files_dir.exists()
    with desk.reading() as s:
        doc = s.scalars(select(Document)).one()
        assert doc.kind is DocumentKind.TRANSCRIPT and doc.file_name == "transcript.txt"


def test_reimport_of_the_same_file_adds_nothing(desk, tmp_path):
    path = write_la_txt(tmp_path)
    first = transcripts.import_transcript(desk, path)
    before = _counts(desk)
    again = transcripts.import_transcript(desk, path)
    assert not again.created and again.transcript.id == first.transcript.id
    assert _counts(desk) == before == (1, 1, len(LA_TURNS))


def test_a_failure_half_way_leaves_the_register_unchanged(desk, tmp_path, monkeypatch):
    transcripts.import_transcript(desk, write_la_txt(tmp_path, "first.txt"))
    before = _counts(desk)

    def boom(session):
        raise RuntimeError("disk full")

    monkeypatch.setattr(transcripts, "link_footnotes", boom)  # runs after every row is flushed
    with pytest.raises(RuntimeError):
        transcripts.import_transcript(desk, write_la_docx(tmp_path))
    assert _counts(desk) == before
    assert len(kept_files(desk)) == 1  # only the first file's copy
    assert search_service.search(
        desk, "privilege", kinds="transcript"
    )  # only the first, still indexed
    assert len(search_service.search(desk, "privilege")) == 1


def test_a_file_that_cannot_be_read_is_refused_and_nothing_is_written(desk, tmp_path):
    bad = tmp_path / "pcc-2022-10-12.docx"
    bad.write_bytes(b"not a docx")
    with pytest.raises(ImportRejected, match=r"pcc-2022-10-12\.docx"):
        transcripts.import_transcript(desk, bad)
    assert _counts(desk) == (0, 0, 0)
    assert not desk.location.files_dir.exists()


def _letter_with_footnotes(desk, notes):
    with desk.transaction() as s:
        doc = Document(kind=DocumentKind.LETTER, title="Letter", date=dt.date(2023, 3, 17))
        s.add(doc)
        s.flush()
        for number, (committee, date) in enumerate(notes, start=1):
            s.add(
                Footnote(
                    document_id=doc.id,
                    number=number,
                    committee=committee,
                    meeting_date=date,
                    text=f"{committee}, {date:%d %B %Y} – transcript",
                )
            )


def _links(desk):
    with desk.reading() as s:
        return {n.number: n.transcript_id for n in s.scalars(select(Footnote))}


def test_footnotes_citing_the_meeting_are_linked_when_its_transcript_arrives(desk, tmp_path):
    _letter_with_footnotes(
        desk,
        [
            ("Police and Crime Committee", OCT_12),
            ("police and crime committee", OCT_12),  # same committee, other case
            ("Police and Crime Committee", dt.date(2023, 1, 11)),  # no transcript yet
            ("Budget and Performance Committee", OCT_12),  # another committee that day
        ],
    )
    result = transcripts.import_transcript(desk, write_la_txt(tmp_path))
    assert result.footnotes_linked == 2
    assert _links(desk) == {1: result.transcript.id, 2: result.transcript.id, 3: None, 4: None}


def test_link_footnotes_also_links_footnotes_imported_after_the_transcript(desk, tmp_path):
    result = transcripts.import_transcript(desk, write_la_txt(tmp_path))
    _letter_with_footnotes(desk, [("Police and Crime Committee", OCT_12)])
    with desk.transaction() as s:
        assert transcripts.link_footnotes(s) == 1
    assert _links(desk) == {1: result.transcript.id}


def test_list_transcripts_most_recent_first(desk, tmp_path):
    transcripts.import_transcript(desk, write_la_txt(tmp_path))
    uk = tmp_path / "hac.txt"
    uk.write_text(UK_TEXT, encoding="utf-8")
    transcripts.import_transcript(desk, uk)
    rows = transcripts.list_transcripts(desk)
    assert [(r.committee, r.date) for r in rows] == [
        ("Home Affairs Committee", dt.date(2023, 4, 19)),
        ("Police and Crime Committee", OCT_12),
    ]
    assert rows[1].segment_count == len(LA_TURNS)
    speakers = {name: turns for name, _, turns in transcripts.list_speakers(desk)}
    assert speakers["Sir Mark Rowley"] == 3 + 2


def test_deleting_a_quoted_transcript_is_refused_unless_forced(desk, tmp_path):
    from pcc_desk.services import register

    ref = register.add_recommendation(desk, "Publish the plan", made=dt.date(2023, 3, 17)).ref
    t = transcripts.import_transcript(desk, write_la_txt(tmp_path)).transcript
    create_quote(desk, t.id, "We will rebuild trust", refs=[ref])
    with pytest.raises(Conflict, match="1 quote"):
        transcripts.delete_transcript(desk, t.id)
    assert _counts(desk) == (1, 1, len(LA_TURNS))
    assert register.get_recommendation(desk, ref).quotes
    transcripts.delete_transcript(desk, t.id, force=True)
    assert _counts(desk) == (0, 0, 0)
    assert register.get_recommendation(desk, ref).quotes == ()
    assert search_service.search(desk, "rebuild trust") == []
    with pytest.raises(NotFound):
        transcripts.get_transcript(desk, t.id)
    # the same file can be imported again afterwards
    assert transcripts.import_transcript(desk, write_la_txt(tmp_path)).created


def test_cli_imports_a_folder_skipping_a_bad_file_with_progress_and_json(cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_la_txt(folder, "a-pcc-2022-10-12.txt")
    (folder / "b-broken.docx").write_bytes(b"PK\x03\x04broken")
    (folder / "c-hac.txt").write_text(UK_TEXT, encoding="utf-8")
    (folder / "ignored.png").write_bytes(b"\x89PNG")
    db = tmp_path / "cli.sqlite3"
    out = cli("import-transcript", str(folder), "--json", db=db)
    assert out.returncode == 1, out.stderr
    assert "[1/3] a-pcc-2022-10-12.txt: imported" in out.stderr
    assert "[2/3] b-broken.docx: skipped:" in out.stderr
    assert "1 of 3 file(s) could not be imported" in out.stderr
    payload = json.loads(out.stdout)
    assert [p["transcript"]["committee"] for p in payload] == [
        "Police and Crime Committee",
        "Home Affairs Committee",
    ]
    assert set(payload[0]["transcript"]) >= {"id", "committee", "date", "title"}
    assert set(payload[0]["segments"][0]) >= {"speaker", "speaker_name", "role", "text", "page"}
    assert payload[0]["segments"][1]["speaker_name"] == "Sir Mark Rowley"
    listed = json.loads(cli("transcripts", "--json", db=db, check_rc=0).stdout)
    assert [r["date"] for r in listed] == ["2023-04-19", "2022-10-12"]


def test_cli_single_file_json_is_one_object_and_a_bad_single_file_exits_2(cli, tmp_path):
    db = tmp_path / "cli.sqlite3"
    path = write_la_txt(tmp_path)
    one = json.loads(cli("import-transcript", str(path), "--json", db=db, check_rc=0).stdout)
    assert one["transcript"]["date"] == "2022-10-12" and len(one["segments"]) == len(LA_TURNS)
    shown = json.loads(
        cli("transcript", one["transcript"]["id"][:8], "--json", db=db, check_rc=0).stdout
    )
    assert [seg["speaker_name"] for seg in shown["segments"]][:2] == [
        "Susan Hall",
        "Sir Mark Rowley",
    ]
    assert shown["transcript"]["segment_count"] == len(LA_TURNS)
    text = cli("transcript", one["transcript"]["id"], db=db, check_rc=0).stdout
    assert text.startswith("Police and Crime Committee, 12 October 2022 – transcript")
    undated = tmp_path / "notes.txt"
    undated.write_text("Susan Hall AM (Chairman): Hello.\n", encoding="utf-8")
    out = cli("import-transcript", str(undated), db=db, check_rc=2)
    assert "no meeting date" in out.stderr
    out = cli(
        "import-transcript", str(undated), "--date", "2023-01-11", "--json", db=db, check_rc=0
    )
    assert json.loads(out.stdout)["transcript"]["date"] == "2023-01-11"


def test_the_same_file_saved_twice_at_once_is_refused_cleanly(desk, tmp_path):
    from pcc_desk.errors import DuplicateImport
    from pcc_desk.importers.transcript import parse_transcript
    from pcc_desk.storage import sha256_file

    path = write_la_txt(tmp_path)
    parsed = parse_transcript(path)
    transcripts.save_parsed(desk, parsed, path=path, sha256=sha256_file(path))
    with pytest.raises(DuplicateImport, match="just been imported"):
        transcripts.save_parsed(desk, parsed, path=path, sha256=sha256_file(path))
    assert _counts(desk) == (1, 1, len(LA_TURNS))
    assert len(kept_files(desk)) == 1
