#!/usr/bin/env bash
# Quick start, second command: install what is missing, then run the whole test suite. The suite starts its own
# throwaway redis-server on a free port and drives Debian's chromium headless.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh test
exec npm test -- "$@"
