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
# In parallel, one pytest-xdist worker per core (PCC_DESK_TEST_WORKERS=N says how many; 1 runs
# serially, as does a machine with one core), unless the arguments choose (-n N, -p no:xdist).
# --dist loadgroup: a module that builds something once for its tests (a LibreOffice conversion, a
# seeded team register, the bundle) runs on one worker (tests/conftest.py marks them); every other
# test goes to whichever worker is free.
parallel=()
workers=${PCC_DESK_TEST_WORKERS:-$(nproc 2>/dev/null || echo 1)}
case " $* " in
*" -n"* | *" --numprocesses"* | *"no:xdist"*) ;;
*) [ "$workers" -gt 1 ] && parallel=(-n "$workers" --dist loadgroup) ;;
esac
rc=0
.venv/bin/python -m pytest ${parallel[@]+"${parallel[@]}"} "$@" || rc=$?
exit $rc
