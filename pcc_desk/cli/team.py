"""``pcc-desk team init URL``: set up the team register on a PostgreSQL server; ``team upload`` and
``team download``: a laptop's register copied to it, and a portable copy of it made."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from pcc_desk import lazy
from pcc_desk.cli.common import print_json

if TYPE_CHECKING:
    from pcc_desk.services import offline, sync, team, team_copy
else:  # the services load SQLAlchemy: not for `pcc-desk --help` (pcc_desk.lazy)
    offline = lazy.module("pcc_desk.services.offline")
    sync = lazy.module("pcc_desk.services.sync")
    team = lazy.module("pcc_desk.services.team")
    team_copy = lazy.module("pcc_desk.services.team_copy")


def add_commands(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "team",
        parents=[parent],
        help="the team register on a PostgreSQL server (set-up)",
    )
    actions = p.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help="create the team register's schema and roles (run once, and after an upgrade)",
        description=(
            "Create the schema (the same migrations as a laptop's file) and three roles: "
            "<db>_owner (migrations), <db>_clerk (read and write; the status history and "
            "due-date revisions can only grow) and <db>_reader (read only). Run by a login that "
            "owns the database and may create roles."
        ),
    )
    init.add_argument("url", help="postgresql+psycopg://owner@server/database")
    init.add_argument("--json", action="store_true")
    init.set_defaults(handler=cmd_team_init, opens_desk=False)
    upload = actions.add_parser(
        "upload",
        help="copy a laptop's register into an empty team register (same ids, originals, journal)",
        description=(
            "Copy every record of a laptop's register file (recommendations, responses, their "
            "history, transcripts, quotes, footnotes, themes, settings, the journal and the kept "
            "original files, with the same ids) into an empty team register made by 'team init', "
            "in one transaction. A second run copies nothing again; a team register holding other "
            "records is refused and left unchanged. A file saved by an older PCC Desk is upgraded "
            "first (after a backup)."
        ),
    )
    upload.add_argument("laptop", help="the laptop's register file (.sqlite3)")
    upload.add_argument("url", help="postgresql+psycopg://login@server/database")
    upload.add_argument("--json", action="store_true")
    upload.set_defaults(handler=cmd_team_upload, opens_desk=False)
    download = actions.add_parser(
        "download",
        help="write a full portable copy of the team register to a file",
        description=(
            "Write a complete SQLite copy of the team register (the same ids, the original files, "
            "the journal, the search index built): made in a temporary file beside COPY and moved "
            "into place whole. An existing file is not overwritten unless --force."
        ),
    )
    download.add_argument("url", help="postgresql+psycopg://login@server/database")
    download.add_argument("copy", help="the file to write (.sqlite3)")
    download.add_argument("--force", action="store_true", help="replace COPY if it exists")
    download.add_argument("--json", action="store_true")
    download.set_defaults(handler=cmd_team_download, opens_desk=False)
    checkout = actions.add_parser(
        "checkout",
        help="take the team register onto this laptop, to work offline and sync it back later",
        description=(
            "Write a copy of the team register to FILE (as 'team download') that remembers the "
            "team register it came from and how far it has seen its changes: work on it with "
            "--db FILE, then 'pcc-desk --db FILE sync'."
        ),
    )
    checkout.add_argument("url", help="postgresql+psycopg://login@server/database")
    checkout.add_argument("laptop", help="the laptop copy to write (.sqlite3)")
    checkout.add_argument("--force", action="store_true", help="replace FILE if it exists")
    checkout.add_argument(
        "--without-transcripts-older-than",
        type=int,
        metavar="YEARS",
        dest="older_than",
        help=(
            "leave out transcripts whose meeting was more than YEARS years ago and that no quote "
            "comes from, to keep the copy small (they stay on the team register)"
        ),
    )
    checkout.add_argument("--json", action="store_true")
    checkout.set_defaults(handler=cmd_team_checkout, opens_desk=False)

    s = subparsers.add_parser(
        "sync",
        parents=[parent],
        help="send this laptop copy's changes to the team register and bring the server's down",
        description=(
            "On a laptop copy made by 'team checkout': apply this copy's changes not yet sent on "
            "the team register (through the same services, one transaction each, never twice), "
            "then the team register's changes not yet seen here. Cut off, it is simply run again."
        ),
    )
    s.add_argument(
        "--url", help="the team register's address, if it differs from the one remembered"
    )
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=cmd_sync)

    c = subparsers.add_parser(
        "conflicts",
        parents=[parent],
        help="the fields a sync found changed both here and on the team register (server's kept)",
    )
    c.add_argument("--all", action="store_true", help="settled ones too")
    c.add_argument(
        "--dismiss-not-sent",
        action="store_true",
        help="stop listing the changes the team register refused (they stay on this laptop only)",
    )
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=cmd_conflicts)

    r = subparsers.add_parser(
        "resolve",
        parents=[parent],
        help="settle a sync conflict: keep mine, theirs, or a text of your own (an ordinary edit)",
    )
    r.add_argument("ident", metavar="ID", help="the conflict's id (or its first 8 characters)")
    r.add_argument(
        "--keep",
        required=True,
        metavar="mine|theirs|TEXT",
        help="mine: this laptop's value; theirs: the team register's; any other text: that text",
    )
    r.add_argument("--json", action="store_true")
    r.set_defaults(handler=cmd_resolve)


def _print_copy(args, done) -> int:
    if args.json:
        print_json(
            {
                "source": done.source,
                "target": done.target,
                "copied": done.copied,
                "rows": done.rows,
                "message": done.message,
            }
        )
    else:
        print(done.message)
    return 0


def cmd_team_upload(args, _desk=None) -> int:
    return _print_copy(args, team_copy.upload(args.laptop, args.url))


def cmd_team_download(args, _desk=None) -> int:
    return _print_copy(args, team_copy.download(args.url, args.copy, force=args.force))


def cmd_team_checkout(args, _desk=None) -> int:
    done = offline.checkout(args.url, args.laptop, force=args.force, older_than=args.older_than)
    if not args.json:
        print(done.message)
        print(
            f"Work on it with: pcc-desk --db {args.laptop} ...; then: pcc-desk --db {args.laptop} sync"
        )
        return 0
    return _print_copy(args, done)


def cmd_sync(args, desk) -> int:
    done = sync.sync(desk, url=args.url)
    if args.json:
        print_json(
            {
                "server": done.server,
                "pushed": done.pushed,
                "pulled": done.pulled,
                "refused": list(done.refused),
                "message": done.message,
            }
        )
    else:
        print(done.message)
    for line in done.refused:  # one line each, as an error: what stays on this laptop only
        print(line, file=sys.stderr)
    return 2 if done.refused else 0


def cmd_conflicts(args, desk) -> int:
    if args.dismiss_not_sent:
        gone = sync.dismiss_refusals(desk)
        message = (
            f"{gone} change(s) no longer listed as not sent; they stay on this laptop only."
            if gone
            else "No change is listed as not sent."
        )
        if args.json:
            print_json({"dismissed": gone, "message": message})
        else:
            print(message)
        return 0
    found = sync.conflicts(desk, include_resolved=args.all)
    if args.json:
        print_json([c.to_json() for c in found])
        return 0
    refused = sync.refusals(desk)
    if not found:
        print("No conflicts.")
    for c in found:
        state = f" (settled: {c.resolution})" if c.resolution else ""
        print(f"{c.id.hex[:8]}  {c.ref}  {c.label}{state}")
        print(f"    theirs (kept): {c.theirs}")
        print(f"    mine:          {c.mine}")
    if refused:
        print("Not sent to the team register (they stay on this laptop only):")
        for line in refused:
            print(f"    {line}")
    return 0


def cmd_resolve(args, desk) -> int:
    message = sync.resolve(desk, args.ident, args.keep)
    if args.json:
        print_json({"message": message})
    else:
        print(message)
    return 0


def cmd_team_init(args, _desk=None) -> int:
    done = team.init_team_register(args.url)
    if args.json:
        print_json(
            {
                "host": done.host,
                "database": done.database,
                "schema": done.revision,
                "migrated": done.migrated,
                "roles": {"owner": done.owner, "clerk": done.clerk, "reader": done.reader},
                "created_roles": list(done.created_roles),
                "login": done.login,
            }
        )
        return 0
    state = "created or brought up to date" if done.migrated else "already up to date"
    print(f"Team register {done.database} at {done.host}: schema {done.revision} ({state}).")
    print(
        f"Roles: {done.owner} (owns the schema; {done.login} is a member), "
        f"{done.clerk} (reads and writes; the status history and due-date revisions only grow), "
        f"{done.reader} (reads only)."
    )
    print("Give each person a login of their own in one of them, e.g. in psql:")
    print(f"  CREATE ROLE alice LOGIN PASSWORD 'choose-one' IN ROLE {done.clerk};")
    print(f"  CREATE ROLE members_staff LOGIN PASSWORD 'choose-one' IN ROLE {done.reader};")
    print(f"Then: pcc-desk --db '{team.url_as(args.url, 'alice')}' list")
    return 0
