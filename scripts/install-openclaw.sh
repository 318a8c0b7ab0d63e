#!/usr/bin/env bash
# Installs the pinned real OpenClaw gateway into tests/openclaw/ (its own folder: ~650 MB that
# the site must not depend on). Does nothing when the pinned version is already there.
set -euo pipefail
cd "$(dirname "$0")/../tests/openclaw"
want=$(node -p "require('./package.json').dependencies.openclaw")
have=$(node -p "try { require('./node_modules/openclaw/package.json').version } catch { '' }")
if [ "$want" != "$have" ]; then
  echo "== installing openclaw@$want for the tests"
  npm ci --no-audit --no-fund --loglevel=error
fi
