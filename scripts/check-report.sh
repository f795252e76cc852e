#!/usr/bin/env bash
# Loads an fms study report (report.html) in headless Debian Chromium and checks that the page loads, runs its
# inline check script without errors, and that every <img> decoded (naturalWidth > 0).
# Usage: scripts/check-report.sh <report.html> [screenshot.png]
# Exit 0 when fine; 1 with a one-line reason otherwise; 2 on bad usage or missing chromium.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 <report.html> [screenshot.png]" >&2
  exit 2
fi
html=$1
shot=${2:-}
chromium=${CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium ]]; then
  echo "check-report: $chromium not found; install it with: apt-get install -y chromium" >&2
  exit 2
fi
if [[ ! -f $html ]]; then
  echo "check-report: $html does not exist" >&2
  exit 2
fi
url="file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
profile=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$profile" "$log"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir="$profile"
       --virtual-time-budget=10000 --enable-logging=stderr --v=0)

dom=$(timeout 120 "$chromium" "${flags[@]}" --dump-dom "$url" 2>"$log") || {
  echo "check-report: chromium failed to load $url: $(tail -n 3 "$log" | tr '\n' ' ')" >&2
  exit 1
}
if grep -q "Uncaught" "$log"; then
  echo "check-report: JavaScript error on the page: $(grep -m1 Uncaught "$log")" >&2
  exit 1
fi
state=$(grep -o 'data-images-loaded="[0-9]*/[0-9]*"' <<<"$dom" | head -n1 | sed 's/.*="\(.*\)"/\1/') || true
if [[ -z $state ]]; then
  echo "check-report: the page did not finish loading (no data-images-loaded mark on <body>)" >&2
  exit 1
fi
loaded=${state%/*}
total=${state#*/}
if [[ $total -eq 0 ]]; then
  echo "check-report: the page has no images" >&2
  exit 1
fi
if [[ $loaded -ne $total ]]; then
  echo "check-report: only $loaded of $total images decoded" >&2
  exit 1
fi
if [[ -n $shot ]]; then
  shot_abs="$(cd "$(dirname "$shot")" && pwd)/$(basename "$shot")"
  timeout 120 "$chromium" "${flags[@]}" --hide-scrollbars --window-size=1100,3000 --screenshot="$shot_abs" "$url" \
    2>>"$log" >/dev/null || { echo "check-report: screenshot failed: $(tail -n 3 "$log" | tr '\n' ' ')" >&2; exit 1; }
  [[ -s $shot_abs ]] || { echo "check-report: screenshot $shot_abs is empty" >&2; exit 1; }
fi
echo "check-report: OK, $loaded/$total images decoded in $url"
