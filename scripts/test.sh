#!/usr/bin/env bash
# Set up everything the tests need (system packages, .venv), start a throw-away PostgreSQL cluster
# (for the team register's tests; stopped again at the end), and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check pcc_desk tests benchmarks
.venv/bin/ruff format --check pcc_desk tests benchmarks
.venv/bin/mypy

if [ -z "${PCC_DESK_TEST_PG_HOST:-}" ]; then
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/pcc-desk-pg.XXXXXX")
  trap 'bash scripts/pg-test-server.sh stop "$pg_dir"' EXIT
  if bash scripts/pg-test-server.sh start "$pg_dir" >/dev/null; then
    export PCC_DESK_TEST_PG_HOST="$pg_dir"
  else
    # the PostgreSQL tests then skip (on a laptop) or fail (in CI, where CI is set)
    echo "test.sh: PostgreSQL did not start; its tests will say so" >&2
    export PCC_DESK_TEST_PG_HOST="unavailable:$pg_dir"
  fi
fi
rc=0
.venv/bin/python -m pytest "$@" || rc=$?
exit $rc
