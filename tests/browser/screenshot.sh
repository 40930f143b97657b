#!/usr/bin/env bash
# Screenshot of an HTML report in headless Chromium, for looking at the
# charts (tests/report.rs checks the page itself; this is for eyes).
#
#   tests/browser/screenshot.sh voces-demo/report.html report.png [WIDTH]
#
# The page is taken whole: 14,000 pixels tall at WIDTH (default 1100); crop
# it with any image viewer.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 REPORT.html OUT.png [WIDTH]" >&2
    exit 2
fi
page="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --disable-extensions --hide-scrollbars --user-data-dir="$profile" \
    --window-size="${3:-1100},14000" --screenshot="$2" "file://$page" >/dev/null 2>&1
echo "wrote $2"
