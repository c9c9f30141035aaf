"""Letters: a placeholder until the letter-writing services land (it will be replaced)."""

from __future__ import annotations

from pcc_desk.gui.screens.placeholder import PlaceholderScreen


class LettersScreen(PlaceholderScreen):
    HEADING = "Letters"
    BODY = (
        "<p>This screen will draft the Committee's follow-up letters: pick recommendations (or a filter "
        "of the register), preview the letter's outline, choose the template and the recipient, write "
        "the Word file with real footnotes and offer to open it; and export the tracker.</p>"
        "<p>Until then, the register and the due list can be filtered and read here, and "
        "<code>pcc-desk list --json</code> exports the register.</p>"
    )
