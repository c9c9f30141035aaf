"""Settings commands: the Committee's details (settings) and the wording of letters (wording)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from pcc_desk import lazy
from pcc_desk.cli.common import print_json, table
from pcc_desk.errors import InvalidInput

if TYPE_CHECKING:
    from pcc_desk.services import settings as committee_settings
else:  # the services load SQLAlchemy: not for `pcc-desk --help` (pcc_desk.lazy)
    committee_settings = lazy.module("pcc_desk.services.settings")


def add_commands(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "settings", parents=[parent], help="show or change the Committee's details used in letters"
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="change one detail (repeatable): FIELD is one of those `pcc-desk settings` lists; "
        "default_cc takes entries separated by ';'",
    )
    p.add_argument(
        "--if-version",
        dest="if_version",
        type=int,
        metavar="N",
        help="with --set: save only if the details are still at version N (settings --json); "
        "otherwise say who changed them and exit with code 3",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_settings)

    p = subparsers.add_parser(
        "wording", parents=[parent], help="show or change the fixed wording of follow-up letters"
    )
    p.add_argument("key", nargs="?", help="the paragraph to show or change (see the list)")
    p.add_argument("text", nargs="?", help="its new text; {placeholders} as the list shows")
    p.add_argument("--default", action="store_true", help="restore the default text of KEY")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_wording)


def _parse_set(pairs: list[str]) -> dict[str, str]:
    changes = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(
                f'--set {pair}: write it as FIELD=VALUE, e.g. --set chair="Jane Doe AM".'
            )
        changes[name.strip()] = value
    return changes


def cmd_settings(args, desk) -> int:
    if args.set:
        current = committee_settings.update_settings(
            desk, _parse_set(args.set), expected_version=args.if_version
        )
    else:
        current = committee_settings.get_settings(desk)
    if args.json:
        print_json(current)
        return 0
    rows = [
        [
            f.name,
            "; ".join(value)
            if isinstance(value := getattr(current, f.name), tuple)
            else str(value),
        ]
        for f in dataclasses.fields(current)
        if f.name != "wording"
    ]
    rows.append(
        [
            "wording",
            f"{len(current.wording)} paragraph(s) in the Committee's own words (pcc-desk wording)",
        ]
    )
    print(table(rows, ["field", "value"]))
    return 0


def cmd_wording(args, desk) -> int:
    if args.text is not None and args.default:
        raise InvalidInput("Give either a new text or --default, not both.")
    if args.key is None:
        if args.default:
            raise InvalidInput("Name the paragraph to restore: pcc-desk wording KEY --default.")
        entries = committee_settings.wording_entries(desk)
        if args.json:
            print_json(entries)
        else:
            for entry in entries:
                mark = " (the Committee's own)" if entry.overridden else ""
                print(f"{entry.key}: {entry.label}{mark}\n    {entry.text}")
        return 0
    if args.default:
        entry = committee_settings.restore_wording(desk, args.key)
    elif args.text is not None:
        entry = committee_settings.set_wording(desk, args.key, args.text)
    else:
        entry = committee_settings.wording_entry(
            args.key, committee_settings.get_settings(desk).wording
        )
    if args.json:
        print_json(entry)
        return 0
    state = "the Committee's own" if entry.overridden else "the default"
    print(f"{entry.key}: {entry.label} ({state})\n    {entry.text}")
    print("May use: " + ", ".join(f"{{{p.name}}} {p.meaning}" for p in entry.placeholders))
    return 0
