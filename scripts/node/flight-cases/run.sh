#!/usr/bin/env bash
# Install the pinned React packages, render the Flight cases and decode them into
# oracles:  <repo>/tests/data/generated/react19/<case>.txt, <case>.oracle.json, manifest.json
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund || npm install --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi

OUT="${1:-$HERE/../../../tests/data/generated/react19}"
mkdir -p "$OUT"
rm -f "$OUT"/*.txt "$OUT"/*.oracle.json "$OUT"/manifest.json

# Server side: react-server export condition (react/react-dom server builds).
NODE_ENV=production node --conditions react-server render.mjs "$OUT"
# Client side: ordinary conditions.
NODE_ENV=production node decode.mjs "$OUT"
