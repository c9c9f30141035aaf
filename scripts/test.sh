#!/usr/bin/env bash
# Set up everything the tests need (system packages, .venv) and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check pcc_desk tests benchmarks
.venv/bin/ruff format --check pcc_desk tests benchmarks
exec .venv/bin/python -m pytest "$@"
