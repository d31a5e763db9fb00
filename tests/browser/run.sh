#!/usr/bin/env bash
# Browser checks of the HTML the `handoff` binary writes (issue 15): renders the example
# handoffs and two metrics reports (a small pinned history and a generated 5,000-handoff one)
# with the already built binary, then checks them in headless Chromium (check.mjs).
# Screenshots and summary.json land in target/browser/; with BROWSER_UPDATE_DOCS=1 the
# README's pictures in docs/screenshots/ are replaced by this run's.
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

# A small pinned history (the generator is deterministic) whose `origin` is on GitHub, so the
# report links paths, commits and pull requests there; one handoff lands in its last week
# through a pull request, below the gate (a bypass with its pull request to link). The
# 5,000-handoff history has no remote: plain text, no links.
small="$work/small"
forge="https://github.com/acme/handoffs"
python3 scripts/gen-history.py "$small" --handoffs 20 --commits 120 --seed 1 >/dev/null
git -C "$small" remote add origin "$forge.git"
last="$(git -C "$small" log -1 --format=%ct main)"
git_as() { # NAME EMAIL SECONDS ARGS...: git ARGS by NAME at a pinned time
  local name="$1" email="$2" when="$3 +0000"
  shift 3
  GIT_AUTHOR_NAME="$name" GIT_AUTHOR_EMAIL="$email" GIT_AUTHOR_DATE="$when" \
    GIT_COMMITTER_NAME="$name" GIT_COMMITTER_EMAIL="$email" GIT_COMMITTER_DATE="$when" \
    git -C "$small" "$@"
}
git -C "$small" checkout --quiet -b pinned-pr main
mkdir -p "$small/handoffs/sales-cs"
cat >"$small/handoffs/sales-cs/pinned-pr-co.yaml" <<YAML
type: sales-cs
status: submitted
title: Pinned PR Co — Sales to CS
from: {name: Priya Ramos, role: AE, email: priya.ramos@example.com}
to: {name: Aisha Okafor, role: CSM, email: aisha.okafor@example.com}
trigger: {event: closed-won, date: $(date -u -d "@$((last - 3 * 86400))" +%F)}
customer:
  company: Pinned PR Co
YAML
git_as "Priya Ramos" priya.ramos@example.com "$((last + 1800))" add handoffs/sales-cs/pinned-pr-co.yaml
git_as "Priya Ramos" priya.ramos@example.com "$((last + 1800))" commit --quiet -m "Add the Pinned PR Co handoff"
git -C "$small" checkout --quiet main
git_as "Maya Brooks" maya.brooks@example.com "$((last + 3600))" \
  merge --quiet --no-ff -m "Merge pull request #42 from acme/pinned-pr" pinned-pr
"$bin" -C "$small" metrics --format html -o "$work/metrics-small.html"
pages+=("metrics-small=metrics:$work/metrics-small.html")
echo "generating a 5,000-handoff history (${BROWSER_BIG_COMMITS:-10000} commits)"
python3 scripts/gen-history.py "$work/big" --handoffs 5000 --commits "${BROWSER_BIG_COMMITS:-10000}" --seed 1 >/dev/null
"$bin" -C "$work/big" metrics --format html -o "$work/metrics-5000.html"
pages+=("metrics-5000=metrics-big:$work/metrics-5000.html")

CHROMIUM="$chromium" node "$here/check.mjs" "$out" --forge "metrics-small=$forge" "${pages[@]}"

# The README's pictures, from this run, when asked.
if [ "${BROWSER_UPDATE_DOCS:-}" = 1 ]; then
  docs="$root/docs/screenshots"
  mkdir -p "$docs"
  cp "$out/readme/metrics-5000-1280.png" "$docs/metrics-5000-1280.png"
  cp "$out/readme/metrics-5000-390.png" "$docs/metrics-5000-390.png"
  cp "$out/readme/metrics-5000-chart-1.png" "$docs/metrics-weekly.png"
  cp "$out/readme/metrics-5000-chart-2.png" "$docs/metrics-time-to-handoff.png"
  cp "$out/readme/metrics-5000-chart-3.png" "$docs/metrics-scores.png"
  cp "$out/readme/metrics-small-action.png" "$docs/metrics-action.png"
  cp "$out/readme/handoff-sales-cs-northwind-freight-1280.png" "$docs/handoff-sales-cs-1280.png"
  # The Northwind Freight deal through its handoffs, and the CS-to-sales one, on a phone.
  for pair in sdr-ae:northwind-freight ae-se:northwind-freight sales-cs:northwind-freight \
    sales-implementation:northwind-freight cs-sales:alder-biotech; do
    cp "$out/readme/handoff-${pair%%:*}-${pair#*:}-390.png" "$docs/handoff-${pair%%:*}-390.png"
  done
  echo "README screenshots updated in $docs"
fi
