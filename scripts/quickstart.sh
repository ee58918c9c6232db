#!/usr/bin/env bash
# Quick start, first command: install what is missing, then start Vigil (API + workers, its own Redis unless
# REDIS_URL is set, listening on PORT, default 3000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh run
# A try-out: create a dev site and an admin on the first start (printing their keys once) and serve /demo. Both are
# off by default everywhere else (npm start, the Docker image), so a production start never makes an admin.
export DEV_BOOTSTRAP="${DEV_BOOTSTRAP:-true}" DEMO_PAGE="${DEMO_PAGE:-true}"
exec node --max-semi-space-size=64 scripts/start.js
