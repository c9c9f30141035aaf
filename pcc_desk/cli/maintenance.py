"""Keeping the register safe from the command line: check, backups, backup, restore, unlock.

``check`` and ``restore`` work on a register that may be damaged, so they do not open it as the other
commands do (``opens_desk=False``): they look at the file read-only and act only when told.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from pcc_desk import lazy
from pcc_desk.cli.common import print_json, table
from pcc_desk.errors import DatabaseDamaged

if TYPE_CHECKING:
    from pcc_desk.services import maintenance
else:  # the services load SQLAlchemy: not for `pcc-desk --help` (pcc_desk.lazy)
    maintenance = lazy.module("pcc_desk.services.maintenance")


def add_commands(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "check",
        parents=[parent],
        help="check the register's integrity; offer a repair when it is damaged",
    )
    choice = p.add_mutually_exclusive_group()
    choice.add_argument(
        "--restore-latest", action="store_true", help="if damaged: restore the newest good backup"
    )
    choice.add_argument(
        "--fresh",
        action="store_true",
        help="if damaged: set the file aside and start an empty register",
    )
    p.set_defaults(handler=cmd_check, opens_desk=False)

    p = subparsers.add_parser(
        "backups", parents=[parent], help="list the register's backups, newest first"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_backups, opens_desk=False)

    p = subparsers.add_parser("backup", parents=[parent], help="take a backup now")
    p.set_defaults(handler=cmd_backup)

    p = subparsers.add_parser(
        "restore",
        parents=[parent],
        help="put a backup in place of the register (the current file is kept aside)",
    )
    p.add_argument("file", help="a backup file, or its name in the backups folder")
    p.set_defaults(handler=cmd_restore, opens_desk=False)

    p = subparsers.add_parser(
        "unlock",
        parents=[parent],
        help="clear the register's lock when it names another computer or cannot be read "
        "(refused while PCC Desk has the register open on this computer)",
    )
    p.set_defaults(handler=cmd_unlock, opens_desk=False)


def _location(args) -> maintenance.Location:
    return maintenance.file_location(args.db)


def _check_team(location: maintenance.Location) -> int:
    from pcc_desk.services import team

    found = team.check_team_register(location.url)
    name = f"Team register {found.database} at {found.host}"
    if found.sound:
        print(f"{name}: OK (schema {found.revision}; tables, indexes, search index and grants).")
        return 0
    print(f"{name}: {len(found.problems)} problem(s):", file=sys.stderr)
    for problem in found.problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, n // 1024)} KB"


def cmd_check(args, _desk=None) -> int:
    server = maintenance.locate(args.db)
    if server.is_server:
        return _check_team(server)
    location = _location(args)
    warning = maintenance.explain_location(location.path) if location.path else ""
    if warning:
        print(f"Warning: {warning}")
    try:
        health = maintenance.check_health(location)
    except DatabaseDamaged as damaged:
        return _repair(args, location, damaged)
    print(health.describe())
    newest = health.newest_backup
    print(f"Newest backup: {newest.describe()}." if newest else "No backups yet.")
    return 0


def _repair(args, location: maintenance.Location, damaged: DatabaseDamaged) -> int:
    offer = damaged.offer or maintenance.recovery_offer(location)
    choice: str | None
    if args.restore_latest or args.fresh:
        choice = (
            maintenance.CHOICE_RESTORE_LATEST if args.restore_latest else maintenance.CHOICE_FRESH
        )
    elif sys.stdin.isatty() and sys.stdout.isatty():
        print(f"{damaged} It has been left exactly as it is.")
        print(offer.describe())
        choice = _ask(offer)
        if choice is None:
            print("Nothing was changed.")
            return 2
    else:
        options = " or ".join(f"--{c}" for c in offer.choices)
        raise DatabaseDamaged(
            f"{damaged} It has been left as it is. {offer.describe()} Run 'pcc-desk check {options}'."
        )
    result = maintenance.recover(location, choice)
    print(result.describe())
    return 0


def _ask(offer: maintenance.RecoveryOffer) -> str | None:
    keys = (
        {"r": maintenance.CHOICE_RESTORE_LATEST, "f": maintenance.CHOICE_FRESH}
        if offer.backup
        else {"f": maintenance.CHOICE_FRESH}
    )
    prompt = (
        "[r]estore the backup, [f]resh start, or [q]uit? "
        if offer.backup
        else "[f]resh start or [q]uit? "
    )
    while True:
        try:
            answer = input(prompt).strip().lower()[:1]
        except EOFError:
            return None
        if answer == "q":
            return None
        if answer in keys:
            return keys[answer]


def cmd_backups(args, _desk=None) -> int:
    location = _location(args)
    found = maintenance.list_backups(location)
    if args.json:
        print_json(
            [
                {
                    "taken": b.taken.isoformat(timespec="seconds"),
                    "label": b.label,
                    "size": b.size,
                    "path": str(b.path),
                }
                for b in found
            ]
        )
        return 0
    if not found:
        print(f"No backups yet (they are kept in {location.backups_dir}).")
        return 0
    rows = [
        [b.taken.strftime("%Y-%m-%d %H:%M"), b.label, _size(b.size), b.path.name] for b in found
    ]
    print(table(rows, ["Taken", "Kind", "Size", "File"]))
    print(f"\n{len(found)} backups in {location.backups_dir}")
    return 0


def cmd_backup(args, desk) -> int:
    info = maintenance.take_backup(desk.location, "manual")
    print(f"Backup taken and checked: {info.path}")
    return 0


def cmd_restore(args, _desk=None) -> int:
    location = _location(args)
    result = maintenance.restore_backup(location, args.file)
    print(result.describe())
    return 0


def cmd_unlock(args, _desk=None) -> int:
    location = _location(args)
    print(maintenance.clear_lock(location).describe())
    return 0
