#!/usr/bin/env bash
# Run gxaudit's test suite (sets the machine up first when needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh "${GXAUDIT_SETUP_FLAGS:-}" >&2
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -q "$@"
