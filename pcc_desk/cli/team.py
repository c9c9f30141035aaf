"""``pcc-desk team init URL``: set up the team register on a PostgreSQL server."""

from __future__ import annotations

from pcc_desk.cli.common import print_json


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


def cmd_team_init(args, _desk=None) -> int:
    from pcc_desk.services import team

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
