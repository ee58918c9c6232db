#!/usr/bin/env bash
# Installs what Vigil needs and says what it does. Usage: scripts/install-deps.sh [run|test]
#   run:  npm dependencies; redis-server through apt-get when REDIS_URL is unset and none is on PATH.
#   test: the same plus what the test suite drives: redis-server, chromium, tesseract-ocr(-eng), librsvg2-bin.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci (installing npm dependencies from package-lock.json)"
  npm ci --no-audit --no-fund
fi

apt_packages=()
if [ "$mode" = test ] || [ -z "${REDIS_URL:-}" ]; then
  command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || apt_packages+=(redis-server)
fi
if [ "$mode" = test ]; then
  [ -x /usr/bin/chromium ] || apt_packages+=(chromium)
  command -v tesseract >/dev/null || apt_packages+=(tesseract-ocr)
  ls /usr/share/tesseract-ocr/*/tessdata/eng.traineddata >/dev/null 2>&1 || apt_packages+=(tesseract-ocr-eng)
  command -v rsvg-convert >/dev/null || apt_packages+=(librsvg2-bin)
fi
if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "==> apt-get install ${apt_packages[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages: ${apt_packages[*]}. Run as root or install them, then retry." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi
