#!/usr/bin/env bash
# Install what tests/test_inspect_browser.py needs: Debian's Chromium and its driver, and the
# Python driver (Playwright) in the project's venv.
#
# Playwright's own browser download (`playwright install`) is not used: it fetches a browser
# build from outside the package registries, which machines like this one cannot reach.  The
# test launches Debian's /usr/bin/chromium instead.  chromium-driver comes along so Selenium
# users (or a later switch to it) have a matching driver; fonts-nanum because the bundled
# examples are Korean with emoji, and a screenshot without those fonts shows empty boxes.
#
# Run as root (or with sudo available), from anywhere:  bash scripts/install_browser.sh
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi

if ! command -v chromium >/dev/null 2>&1 || ! fc-list | grep -qi "noto color emoji"; then
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
        chromium chromium-driver fonts-dejavu-core fonts-nanum fonts-noto-color-emoji
fi

if [ ! -x .venv/bin/pip ]; then
    python3 -m venv .venv
fi
.venv/bin/pip install -q -e '.[browser]'

chromium --version
.venv/bin/python -c "from importlib.metadata import version; print('playwright', version('playwright'))"
