#!/usr/bin/env bash
# Build the "Flight Journal" blog (app-src/) with Next.js 14, 15 and 16 as static exports and
# copy the exported pages into <repo>/tests/data/next_blog/next<V>/, then write
# tests/data/next_blog/expected.json from app-src/lib/posts.js (expected.mjs).
#
#   scripts/node/next-blog/build.sh          # all versions: 14 15 16
#   scripts/node/next-blog/build.sh 15       # one version (expected.json is rewritten too)
#
# Each v<V>/ folder holds only package.json + package-lock.json (and the ignored node_modules/).
# The shared source is copied into v<V>/build/ (ignored) and built there with
# `next build build`; modules resolve from v<V>/node_modules through the parent directory.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
DEST="$REPO/tests/data/next_blog"

export NEXT_TELEMETRY_DISABLED=1

if [ "$#" -gt 0 ]; then
  VERSIONS=("$@")
else
  VERSIONS=(14 15 16)
fi

# Post routes ("<category>/<slug>") in the order of lib/posts.js.
mapfile -t ROUTES < <(cd "$HERE/app-src" && node --input-type=module -e \
  "import { posts } from './lib/posts.js'; for (const p of posts) console.log(p.category + '/' + p.slug);")

# First existing file among the candidates, or nothing.
first_of() {
  local f
  for f in "$@"; do
    if [ -f "$f" ]; then
      echo "$f"
      return 0
    fi
  done
  return 0
}

copy_required() {
  local src="$1" dst="$2"
  if [ -z "$src" ]; then
    echo "missing output for $dst" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$dst")"
  cp "$src" "$dst"
}

for V in "${VERSIONS[@]}"; do
  VDIR="$HERE/v$V"
  if [ ! -f "$VDIR/package.json" ]; then
    echo "no such version folder: $VDIR" >&2
    exit 1
  fi
  echo "=== Next.js $V ==="
  cd "$VDIR"
  if [ -f package-lock.json ]; then
    # `npm ci` needs every optional platform package of next (@next/swc-*) in the lockfile;
    # a registry mirror that lacks some of them produces a lockfile without those entries,
    # and then `npm ci` refuses.  `npm install` still honours the locked versions.
    CI_LOG="$(mktemp)"
    if ! npm ci --no-audit --no-fund >"$CI_LOG" 2>&1; then
      grep -E 'Missing: ' "$CI_LOG" >&2 || tail -n 20 "$CI_LOG" >&2
      echo "npm ci failed (see above); falling back to npm install" >&2
      npm install --no-audit --no-fund
    fi
    rm -f "$CI_LOG"
  else
    npm install --no-audit --no-fund
  fi

  rm -rf build
  mkdir build
  cp -R "$HERE/app-src/." build/
  npx --no-install next build build

  OUT="$VDIR/build/out"
  VDEST="$DEST/next$V"
  rm -rf "$VDEST" "$DEST/next${V}_segments"
  mkdir -p "$VDEST"

  # With trailingSlash every page is <route>/index.html; the RSC payload is <route>/index.txt
  # (all three versions).  <route>.txt is accepted in case a version flattens it.
  for route in "${ROUTES[@]}"; do
    copy_required "$(first_of "$OUT/$route/index.html" "$OUT/$route.html")" "$VDEST/$route.html"
    copy_required "$(first_of "$OUT/$route/index.txt" "$OUT/$route.txt")" "$VDEST/$route.txt"
    # Next 16 also writes per-segment prefetch payloads next to each page:
    # __next._tree.txt -> tree.txt, __next.<segments>.__PAGE__.txt -> page.txt.
    if [ -f "$OUT/$route/__next._tree.txt" ]; then
      SEG="$DEST/next${V}_segments/$route"
      mkdir -p "$SEG"
      cp "$OUT/$route/__next._tree.txt" "$SEG/tree.txt"
      page_seg="$(first_of "$OUT/$route"/__next.*__PAGE__.txt)"
      copy_required "$page_seg" "$SEG/page.txt"
    fi
  done
  copy_required "$(first_of "$OUT/index.html")" "$VDEST/index.html"
  copy_required "$(first_of "$OUT/index.txt")" "$VDEST/index.txt"
  copy_required "$(first_of "$OUT/404.html" "$OUT/404/index.html")" "$VDEST/404.html"
  # Only some versions write a payload for the not-found page (Next 16: _not-found/index.txt).
  nf_txt="$(first_of "$OUT/404.txt" "$OUT/404/index.txt" "$OUT/_not-found/index.txt" "$OUT/_not-found.txt")"
  if [ -n "$nf_txt" ]; then
    cp "$nf_txt" "$VDEST/404.txt"
  fi
  find "$VDEST" -type f | sort | xargs ls -l
done

cd "$HERE"
node expected.mjs "$DEST/expected.json"
ls -l "$DEST/expected.json"
