"""Reading a reply laid out as a select committee's special report: each ask printed in bold, ending
with its paragraph reference and no full stop ("… (Paragraph 12)"), then the answer in plain type,
in one or several paragraphs. Generated variants, as .md and .docx, read by the real reply reader."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pcc_desk.importers.reply import read_reply

HEAD = ["Home Office", "Chair, Home Affairs Committee", "18 October 2022", "Dear Chair,"]
TAIL = ["Yours sincerely,", "Home Secretary"]
ASKS = [
    "We recommend that the Government publishes its plan for police vetting within six months",
    "The Home Office should set out how forces will share intelligence about disorder",
    "We urge the Government to fund the complaints body so that it can investigate serious cases",
    "Forces should record every stop and give a copy of the record to the person stopped",
    "The Government must review how recommendations of inspections are reported to the public",
]
SENTENCES = [
    "The Government agrees that this matters.",
    "Work with forces began last year and will continue.",
    "A national programme will report in the spring.",
    "Funding of two million pounds has been allocated to it.",
    "The College of Policing will publish guidance on this.",
]
ENDINGS = [
    "(Paragraph {n})",
    "(paragraph {n})",
    "(Recommendation, Paragraph {n})",
    "(Paragraph {n}).",
]


def _reply(seed: int) -> tuple[list[tuple[str, bool]], list[tuple[str, list[str]]]]:
    """Paragraphs (text, bold) and, for each ask, its bold text and its answer's paragraphs."""
    rng = random.Random(seed)
    paragraphs: list[tuple[str, bool]] = [
        ("Thank you for the Committee's report, which the Government has considered.", False)
    ]
    answers = []
    for ask in rng.sample(ASKS, rng.randint(3, len(ASKS))):
        ending = rng.choice(ENDINGS).format(n=rng.randint(2, 140))
        bold = f"{ask}. {ending}" if rng.random() < 0.5 else f"{ask} {ending}"
        paragraphs.append((bold, True))
        body = [
            " ".join(rng.sample(SENTENCES, rng.randint(1, 3))) for _ in range(rng.randint(1, 3))
        ]
        paragraphs += [(p, False) for p in body]
        answers.append((bold, body))
    return paragraphs, answers


def _write(path: Path, paragraphs: list[tuple[str, bool]]) -> Path:
    if path.suffix == ".docx":
        import docx

        document = docx.Document()
        for line in HEAD:
            document.add_paragraph(line)
        for text, bold in paragraphs:
            document.add_paragraph().add_run(text).bold = bold
        for line in TAIL:
            document.add_paragraph(line)
        document.save(path)
    else:
        body = [f"**{t}**" if bold else t for t, bold in paragraphs]
        path.write_text("\n\n".join([*HEAD, *body, *TAIL]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".md", ".docx"])
@pytest.mark.parametrize("seed", range(6))
def test_each_quoted_ask_and_its_whole_answer_are_one_passage(tmp_path, suffix, seed):
    paragraphs, answers = _reply(seed)
    reply = read_reply(_write(tmp_path / f"reply{suffix}", paragraphs))
    texts = [p.text for p in reply.passages]
    # the covering paragraph, then one passage an ask: nothing of an answer split off or joined
    assert len(texts) == 1 + len(answers), texts
    for (bold, body), passage, read in zip(answers, texts[1:], reply.passages[1:], strict=True):
        assert passage.startswith(bold)
        assert all(p in passage for p in body)
        assert read.bold == bold
