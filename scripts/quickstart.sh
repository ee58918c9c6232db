#!/usr/bin/env bash
# Quick start, first command: install what is missing, then start Vigil (API + workers, its own Redis unless
# REDIS_URL is set, listening on PORT, default 3000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh run
exec node --max-semi-space-size=64 scripts/start.js
