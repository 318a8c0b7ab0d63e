#!/usr/bin/env bash
# Sets up what the tests need on a fresh machine (Debian's Chromium, the pinned real OpenClaw
# gateway, a fresh site build), then runs every test. Called by `npm test`, so Node 24 from
# node_modules/.bin is first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
export ASTRO_TELEMETRY_DISABLED=1

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing Debian's chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get install -y chromium' (or set CHROMIUM_PATH)" >&2
    exit 1
  fi
fi

bash scripts/install-openclaw.sh

echo "== building the site"
npx astro build >/tmp/astro-build.log 2>&1 || { cat /tmp/astro-build.log; exit 1; }

echo "== type-checking"  # after the build: it writes the astro:content types into .astro/
npx tsc --noEmit -p .

echo "== running tests"
node --import tsx --test --test-isolation=none --test-reporter=spec \
  'tests/unit/**/*.test.ts' 'tests/gateway/**/*.test.ts' 'tests/browser/**/*.test.ts' "$@"
