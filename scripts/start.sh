#!/usr/bin/env bash
# Set up (first time) and launch PCC Desk on the default database in the user data folder.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/pcc-desk "$@"
