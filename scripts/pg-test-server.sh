#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests, listening only on a socket in a folder of its own.
#
#   bash scripts/pg-test-server.sh start DIR   # DIR: an empty or absent folder; prints the socket folder
#   bash scripts/pg-test-server.sh stop DIR
#
# Installs Debian's `postgresql` with apt-get when no server binaries are found (as root, or with
# sudo). initdb refuses to run as root, so as root the cluster is made and run by the `postgres`
# user (DIR is handed to it); as anyone else, by that user. The tests read the socket folder from
# PCC_DESK_TEST_PG_HOST (scripts/test.sh exports it). Exit status 1 with one line on stderr when the
# server cannot be had; the caller decides whether that is fatal (in CI the PostgreSQL tests fail).
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

find_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$found" ] && [ -x "$found/initdb" ]; then
    echo "$found"
  elif command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
start)
  bin=$(find_bin)
  if [ -z "$bin" ] && command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    if [ -z "$SUDO" ] || command -v sudo >/dev/null 2>&1; then
      echo "pg-test-server: installing postgresql" >&2
      $SUDO apt-get update -qq >/dev/null 2>&1 || true
      # the package's own cluster is not needed (and there may be no init system to start it)
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null 2>&1 || true
    fi
    bin=$(find_bin)
  fi
  if [ -z "$bin" ]; then
    echo "pg-test-server: no PostgreSQL server binaries (install Debian's postgresql)" >&2
    exit 1
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "pg-test-server: running as root but there is no 'postgres' user to run the server" >&2
    exit 1
  fi
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" 2>&1 || {
    echo "pg-test-server: initdb failed (see $dir/initdb.log)" >&2
    exit 1
  }
  # a socket in DIR only (no TCP); durability is not wanted for throw-away databases; a server time
  # zone far from UTC, so that a connection that does not set its own (UTC) is caught by the tests
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c TimeZone=Asia/Kolkata" \
    start >/dev/null || {
    echo "pg-test-server: the server did not start (see $dir/server.log)" >&2
    exit 1
  }
  echo "$dir"
  ;;
stop)
  bin=$(find_bin)
  if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
