#!/usr/bin/env bash
# Install the pinned React packages, then decode each Flight payload with React's own client
# and render it with react-dom/server renderToStaticMarkup:
#   <repo>/tests/data/render_html/<key>.html + manifest.json
# Extra arguments are payload files to (re)render instead of the default list.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

npm install --no-audit --no-fund

# Ordinary export conditions (NOT react-server): client.node + react-dom/server.
NODE_ENV=production node render.mjs "$@"
