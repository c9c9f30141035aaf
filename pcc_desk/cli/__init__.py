"""``pcc-desk``: with no sub-command it opens the desktop app; with one it runs headless.

Every sub-command lives in one module per area (``pcc_desk/cli/<area>.py``) exposing
``add_commands(subparsers, parent)``; each command's handler takes ``(args, desk)`` and returns an
exit code. Expected failures become one line on stderr and exit code 2, with nothing written.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from pcc_desk import __version__
from pcc_desk.errors import PccError
from pcc_desk.selftest import run_self_test
from pcc_desk.services.logging_setup import quiet_casework_logging

# Areas whose commands the CLI offers, in the order --help lists them.
COMMAND_MODULES = [
    "pcc_desk.cli.register",
    "pcc_desk.cli.letter_import",
    "pcc_desk.cli.replies",
    "pcc_desk.cli.transcripts",
    "pcc_desk.cli.letters",
    "pcc_desk.cli.follow",
    "pcc_desk.cli.undo",
    "pcc_desk.cli.settings",
    "pcc_desk.cli.maintenance",
    "pcc_desk.cli.team",
]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line and exit code 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="pcc-desk", description="Casework desk for the Police and Crime Committee's clerks."
    )
    parser.add_argument("--version", action="version", version=f"PCC Desk {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help="database file or SQLAlchemy URL (default: $PCC_DESK_DB, else the user data folder)",
    )
    parser.add_argument(
        "--screenshot",
        metavar="FILE.png",
        help="open the app, save a screenshot of a view and exit",
    )
    parser.add_argument(
        "--view",
        choices=["register", "detail", "transcripts", "due", "letters", "statistics"],
        default="register",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="run an end-to-end check on a temporary database and exit",
    )
    parser.add_argument(
        "--allow-unsafe-location",
        action="store_true",
        help="open a database in a synced folder or network share anyway",
    )
    parent = _Parser(add_help=False)
    parent.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    parent.add_argument(
        "--allow-unsafe-location",
        action="store_true",
        default=argparse.SUPPRESS,
        help=argparse.SUPPRESS,
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(subparsers, parent)
    return parser


def _configure_logging() -> None:
    level = os.environ.get("PCC_DESK_LOG", "WARNING").upper()
    logging.basicConfig(
        level=getattr(logging, level, logging.WARNING), format="%(levelname)s %(name)s: %(message)s"
    )
    # the PDF libraries' warnings name the file's full path (casework): never on screen or in a log

    quiet_casework_logging()


def open_desk(args):
    from pcc_desk.services import Desk

    return Desk.open(
        args.db, allow_unsafe_location=bool(getattr(args, "allow_unsafe_location", False))
    )


def _worded(error: Exception, args) -> PccError:
    """A :class:`PccError` as it is; a database error as one line (without its text, which may hold
    casework); anything else is a bug and goes on up (with its traceback)."""
    if isinstance(error, PccError):
        return error
    from pcc_desk.services import failures  # SQLAlchemy: only when something failed

    worded = failures.explain(error, getattr(args, "db", None))
    if worded is None:
        raise error
    return worded


def main(argv: list[str] | None = None) -> int:
    _configure_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            if args.self_test:
                return run_self_test()
            from pcc_desk.gui.launch import run

            return run(args)
        if not getattr(args, "opens_desk", True):  # e.g. `check`, which must work on a damaged file
            return int(args.handler(args, None) or 0)
        desk = open_desk(args)
        try:
            return int(args.handler(args, desk) or 0)
        finally:
            desk.close()
    except BrokenPipeError:
        return 0
    except Exception as error:  # expected failures, and a database error no service worded
        error = _worded(error, args)
        message = str(error)
        offer = getattr(error, "offer", None)
        if offer is not None:  # a damaged register: say what can be done about it
            message += f" {offer.describe()} Run 'pcc-desk check' to choose."
        print(f"pcc-desk: {message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("pcc-desk: cancelled; nothing more was saved.", file=sys.stderr)
        return 130
