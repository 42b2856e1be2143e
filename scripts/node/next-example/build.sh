#!/usr/bin/env bash
# Build the minimal Next.js 15 blog with `output: 'export'` and copy the two exported
# post pages (HTML with inline self.__next_f pushes + the .txt Flight payload) into
# <repo>/examples/ as next15-post-<slug>.{html,txt}.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
cd "$HERE"

export NEXT_TELEMETRY_DISABLED=1

if [ -f package-lock.json ]; then
  # `npm ci` needs every optional platform package of next (@next/swc-*) in the lockfile;
  # a registry mirror that lacks some of them produces a lockfile without those entries,
  # and then `npm ci` refuses.  `npm install` still honours the locked versions.
  npm ci --no-audit --no-fund || npm install --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi

rm -rf .next out
npx --no-install next build

mkdir -p "$REPO/examples"
for slug in hello long-read; do
  for ext in html txt; do
    src="out/posts/$slug.$ext"
    if [ ! -f "$src" ]; then
      echo "missing $src" >&2
      exit 1
    fi
    cp "$src" "$REPO/examples/next15-post-$slug.$ext"
  done
done

ls -l "$REPO"/examples/next15-post-*
