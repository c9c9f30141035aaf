#!/usr/bin/env bash
# Set up PCC Desk in ./.venv (idempotent). With --test, also the system packages the tests need:
# the libraries and a font that Qt wants offscreen, LibreOffice and pandoc (letter checks),
# poppler-utils (PDF text), Xvfb (screenshots), gcc and binutils (the bundle: strip, reduced ICU). System packages install with apt-get when run as root
# (or with sudo available); otherwise the script says what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

QT_PKGS="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 fonts-dejavu-core libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xinerama0 libxcb-xkb1"
TEST_PKGS="libreoffice-writer-nogui fonts-dejavu-extra fonts-liberation2 pandoc poppler-utils xvfb xauth gcc binutils"

pkgs="$QT_PKGS"
[ $want_test = 1 ] && pkgs="$pkgs $TEST_PKGS"

if command -v dpkg-query >/dev/null 2>&1; then
  missing=""
  for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    if [ -z "$SUDO" ] || command -v sudo >/dev/null 2>&1; then
      echo "setup: installing system packages:$missing" >&2
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
    else
      echo "setup: please install these system packages:$missing" >&2
    fi
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.pcc-desk-installed
extras=""
[ $want_test = 1 ] && extras="[test]"
if [ ! -f "$stamp$extras" ] || [ pyproject.toml -nt "$stamp$extras" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  if ! .venv/bin/python -m pip install -q -e ".$extras" > .venv/pip.log 2>&1; then
    grep -v "^WARNING: Location" .venv/pip.log >&2
    echo "setup: installing PCC Desk's Python packages failed (see above)" >&2
    exit 1
  fi
  touch "$stamp$extras"
fi
