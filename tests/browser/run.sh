#!/usr/bin/env bash
# Browser checks of the HTML the `handoff` binary writes (issue 15): renders the example
# handoffs and two metrics reports (a small pinned history and a generated 5,000-handoff one)
# with the already built binary, then checks them in headless Chromium (check.mjs).
# Screenshots and summary.json land in target/browser/.
#
#   bash tests/browser/run.sh
#
# Environment: HANDOFF_BIN (default target/debug/handoff, or $CARGO_TARGET_DIR/debug/handoff),
# CHROMIUM (default /usr/bin/chromium), BROWSER_BIG_COMMITS (first-parent commits of the big
# history, default 10000). Skips with exit 0 and a message when Chromium or Node is missing;
# exit 1 when a check fails, 2 when it cannot run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "browser checks SKIPPED: no Chromium at $chromium (apt-get install -y chromium, or set CHROMIUM)"
  exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
  echo "browser checks SKIPPED: node and python3 are needed (apt-get install -y nodejs npm python3)"
  exit 0
fi
bin="${HANDOFF_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/handoff}"
if [ ! -x "$bin" ]; then
  echo "$bin: not built; run cargo build (or cargo test) first, or set HANDOFF_BIN" >&2
  exit 2
fi
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
  echo "installing the npm packages of tests/browser (playwright-core, axe-core)"
  (cd "$here" && npm install --no-audit --no-fund --silent)
fi

out="$root/target/browser"
work="$out/work"
rm -rf "$out"
mkdir -p "$work"
pages=()

# The example handoffs.
"$bin" render handoffs --format html -o "$work/handoffs" --now 2026-12-01 >/dev/null
for file in "$work"/handoffs/*/*.html; do
  kind="$(basename "$(dirname "$file")")"
  pages+=("handoff-$kind-$(basename "$file" .html)=handoff:$file")
done

# A small pinned history (the generator is deterministic) and a 5,000-handoff one.
python3 scripts/gen-history.py "$work/small" --handoffs 20 --commits 120 --seed 1 >/dev/null
"$bin" -C "$work/small" metrics --format html -o "$work/metrics-small.html"
pages+=("metrics-small=metrics:$work/metrics-small.html")
echo "generating a 5,000-handoff history (${BROWSER_BIG_COMMITS:-10000} commits)"
python3 scripts/gen-history.py "$work/big" --handoffs 5000 --commits "${BROWSER_BIG_COMMITS:-10000}" --seed 1 >/dev/null
"$bin" -C "$work/big" metrics --format html -o "$work/metrics-5000.html"
pages+=("metrics-5000=metrics-big:$work/metrics-5000.html")

CHROMIUM="$chromium" node "$here/check.mjs" "$out" "${pages[@]}"
