#!/usr/bin/env bash
# Regenerate tests/data/json_suite/cases.json: what JSON.parse accepts on JSONTestSuite.
set -euo pipefail
cd "$(dirname "$0")"
npm install --no-audit --no-fund --silent
node record.mjs ../../../tests/data/json_suite/cases.json
