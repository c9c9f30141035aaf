"""Many clerks on one team register at once: the mixed workload of the concurrency test
(tests/test_team_concurrency.py) and of the benchmark (benchmarks/bench_team.py).

:func:`prepare` seeds a register through the services (recommendations, a transcript and quotes) and
writes the letters to import; :func:`run_worker` is one clerk: a process of its own, its own login,
``ops`` operations drawn from the mix (log a response, change a status, edit a recommendation, edit
one with the version shown, attach a quote, quote words of a turn, import a letter of the shared
date), each through the services, each
noted with what came of it. Run a worker with ``python -m support.team_load CONFIG.json OUT.json``
(``tests`` on ``sys.path``).

Outcomes: ``done`` (the ids of the journal rows it wrote), ``nothing`` (the very same letter imported
already, a quote attached already: done, no change, no row), ``refused`` (a typed error of
:mod:`pcc_desk.errors`, with its one line) and ``error`` (anything else: always a bug).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pcc_desk.errors import PccError
from pcc_desk.model import Assessment, Position, Priority, Status
from pcc_desk.services import Desk, journal, quotes, register, transcripts
from pcc_desk.services import letter_import as imports
from support.batch_folders import letter_md

LETTER_DAY = dt.date(2024, 5, 2)  # every letter of the load is of this date
RECEIVED = dt.date(2024, 12, 2)  # after every date made
SAMPLE_TRANSCRIPT = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "samples"
    / "pcc-transcript-2022-10-12-sample.txt"
)
# themes typed by clerks, in the spellings they use (one theme, whatever the case)
THEMES = ("Stop and search", "stop and search", "Vetting", "VETTING", "Custody")
KINDS = ("respond", "status", "edit", "edit-versions", "attach", "quote", "import")
WEIGHTS = (18, 20, 10, 12, 12, 8, 16)


@dataclass
class Outcome:
    kind: str
    outcome: str  # done | nothing | refused | error
    seconds: float
    journal: list[str] = field(default_factory=list)
    error: str = ""  # the error's class
    message: str = ""
    refs: list[str] = field(default_factory=list)  # the references an import added


def prepare(
    desk: Desk, folder: Path, *, recommendations: int = 16, shared_letters: int = 4
) -> dict:
    """Seed the register for the load; returns the workers' common configuration."""
    for n in range(recommendations):
        register.add_recommendation(
            desk,
            f"Seeded ask {n}: the Met should report on its plan number {n}.",
            theme=THEMES[n % len(THEMES)],
            made=dt.date(2024, 1, 10) + dt.timedelta(days=n % 5),
        )
    transcript = transcripts.import_transcript(desk, SAMPLE_TRANSCRIPT)
    spans = []
    for segment in transcript.segments:
        words = segment.text.split(" ")
        if len(words) >= 8:
            start = len(" ".join(words[:2])) + 1
            end = start + len(" ".join(words[2:6]))
            spans.append((str(segment.id), start, end))
        if len(spans) == 12:
            break
    quote_ids = [
        str(quotes.quote_span(desk, segment, start, end).id) for segment, start, end in spans[:4]
    ]
    shared = []
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(shared_letters):
        path = folder / f"shared-{n}.md"
        path.write_text(letter_md(LETTER_DAY, f"Shared letter {n}", _asks(f"shared {n}")))
        shared.append(str(path))
    return {"quotes": quote_ids, "spans": spans, "shared_letters": shared}


def _asks(tag: str, count: int = 2) -> list[str]:
    return [f"the Met should publish its figures on {tag}, part {k}" for k in range(1, count + 1)]


def _refs(desk: Desk) -> list[str]:
    return [r.ref for r in register.list_recommendations(desk)]


def run_worker(config: dict) -> tuple[float, float, list[Outcome]]:
    """One clerk: ``config["ops"]`` operations drawn from the mix, through the services. Returns
    when the first began and the last ended (wall clock, seconds) and what came of each."""
    rng = random.Random(config["seed"])
    folder = Path(config["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    outcomes: list[Outcome] = []
    own_letters = 0
    with Desk.open(config["url"]) as desk:
        fixed = config.get("refs")  # a large register: these (and this clerk's imports) only
        refs = list(fixed) if fixed else _refs(desk)
        _wait_for_the_others(config)
        started = time.time()
        for n in range(config["ops"]):
            if n % 10 == 0 and not fixed:  # other clerks' imports join the pool
                refs = _refs(desk)
            kind = rng.choices(KINDS, weights=config.get("weights", WEIGHTS))[0]
            ref = rng.choice(refs)
            if kind == "import":
                if config["shared_letters"] and rng.random() < 0.35:
                    path = Path(rng.choice(config["shared_letters"]))
                else:
                    own_letters += 1
                    path = folder / f"w{config['worker']}-{own_letters}.md"
                    subject = f"Letter {own_letters} of clerk {config['worker']}"
                    tag = f"clerk {config['worker']} letter {own_letters}"
                    path.write_text(letter_md(LETTER_DAY, subject, _asks(tag, rng.randint(1, 3))))
                outcomes.append(_run(kind, lambda p=path: _import(desk, p)))
                if fixed:
                    refs.extend(outcomes[-1].refs)
            else:
                action = _action(kind, desk, rng, config, ref, refs)
                outcomes.append(_run(kind, action))
        ended = time.time()
    return started, ended, outcomes


def _wait_for_the_others(config: dict) -> None:
    """With ``config["barrier"]`` (a folder): say this clerk is ready, then start when told
    (``go`` appears there), so that every clerk's operations overlap."""
    folder = config.get("barrier")
    if not folder:
        return
    (Path(folder) / f"ready-{config['worker']}").touch()
    deadline = time.monotonic() + 300
    while not (Path(folder) / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def release(folder: Path, clerks: int, timeout: float = 300) -> None:
    """Wait until ``clerks`` workers are ready at the barrier ``folder``, then let them all go."""
    deadline = time.monotonic() + timeout
    while len(list(Path(folder).glob("ready-*"))) < clerks:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {len(list(Path(folder).glob('ready-*')))} clerks got ready")
        time.sleep(0.02)
    (Path(folder) / "go").touch()


def _action(kind: str, desk: Desk, rng: random.Random, config: dict, ref: str, refs: list[str]):
    if kind == "respond":
        return lambda: register.log_response(
            desk,
            ref,
            received=RECEIVED,
            position=rng.choice(list(Position)),
            assessment=rng.choice(list(Assessment)),
            text=f"The Met replies on {ref}.",
        )
    if kind == "status":
        return lambda: register.change_status(
            desk, ref, rng.choice(list(Status)), "Changed during the load"
        )
    if kind in ("edit", "edit-versions"):
        name = rng.choice(("text", "notes", "priority", "theme"))
        value = {
            "text": f"Edited ask {rng.randrange(10**6)}: the Met should report.",
            "notes": f"Note {rng.randrange(10**6)}",
            "priority": rng.choice(list(Priority)),
            "theme": rng.choice(THEMES),
        }[name]
        if kind == "edit":
            return lambda: register.edit_recommendation(desk, ref, **{name: value})

        pause = rng.uniform(0, 0.05)

        def edit_shown():  # as the desktop does: the version shown, the clerk types, then saves
            shown = register.get_recommendation(desk, ref).version
            time.sleep(pause)
            return register.edit_recommendation(desk, ref, expected_version=shown, **{name: value})

        return edit_shown
    if kind == "attach":
        chosen = rng.sample(refs, 2)
        return lambda: quotes.attach_quote(desk, rng.choice(config["quotes"]), chosen)
    if kind == "quote":
        segment, start, end = rng.choice(config["spans"])
        return lambda: quotes.quote_span(desk, segment, start, end, refs=[ref])
    raise AssertionError(kind)


def _import(desk: Desk, path: Path):
    result = imports.commit(desk, imports.preview(desk, path))
    return result.outcome != imports.OUTCOME_DUPLICATE, list(result.refs)


def _run(kind: str, action) -> Outcome:
    start = time.perf_counter()
    try:
        with journal.capture() as written:
            done = action()
    except PccError as refused:
        return Outcome(
            kind, "refused", time.perf_counter() - start, [], type(refused).__name__, str(refused)
        )
    except Exception as exc:
        return Outcome(
            kind,
            "error",
            time.perf_counter() - start,
            [],
            type(exc).__name__,
            "".join(traceback.format_exception_only(exc)).strip()[:2000],
        )
    refs: list[str] = []
    if kind == "import":
        _, refs = done
    return Outcome(
        kind,
        "done" if written else "nothing",
        time.perf_counter() - start,
        [str(i) for i in written],
        refs=refs,
    )


def main(argv: list[str]) -> int:
    """``CONFIG.json OUT.json``: OUT gets ``{"started", "ended", "outcomes"}`` (wall-clock seconds
    of the first operation's start and the last one's end)."""
    config = json.loads(Path(argv[0]).read_text())
    started, ended, outcomes = run_worker(config)
    Path(argv[1]).write_text(
        json.dumps({"started": started, "ended": ended, "outcomes": [asdict(o) for o in outcomes]})
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
