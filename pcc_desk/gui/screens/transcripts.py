"""Transcripts: a placeholder until the transcript services land (it will be replaced)."""

from __future__ import annotations

from pcc_desk.gui.screens.placeholder import PlaceholderScreen


class TranscriptsScreen(PlaceholderScreen):
    HEADING = "Transcripts"
    BODY = (
        "<p>This screen will list the Committee's meeting transcripts and read them speaker turn by "
        "speaker turn, with search (highlighted matches, filters by speaker and date).</p>"
        "<p>Selecting words will offer <i>Attach as quote to…</i> one or more recommendations, and "
        "<i>Show in transcript</i> on a recommendation's quote will open the transcript at its place.</p>"
        "<p>Importing transcripts (File → Import transcript…, Ctrl+I, or dropping a file on the window) "
        "arrives with it.</p>"
    )
