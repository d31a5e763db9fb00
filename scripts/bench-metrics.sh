#!/usr/bin/env bash
# Benchmark of `handoff metrics --format json` against `git log --first-parent -M --name-status`
# over the same synthetic repository, in the same run (median of RUNS runs each, after one
# warm-up run of both), with the CPU time and peak memory of one more run from /usr/bin/time -v.
# The repository is generated once by scripts/gen-history.py (5,000 handoffs, 25,000
# first-parent commits, renames and merges) and reused.
# Usage: scripts/bench-metrics.sh [REPO]   (RUNS=5 by default)
set -euo pipefail
cd "$(dirname "$0")/.."

REPO=${1:-${TMPDIR:-/tmp}/handoffs-bench}
RUNS=${RUNS:-5}
cargo build --release --quiet
BIN=$PWD/target/release/handoff
if [ ! -d "$REPO" ]; then
  python3 scripts/gen-history.py "$REPO"
fi

# Median wall time in seconds of RUNS runs of the command.
median_seconds() {
  for _ in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
  done | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Peak memory (MB) and CPU time (user + system, s) of one run.
peak_mb_and_cpu() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '
    /Maximum resident set size/ { mb = $2 / 1024 }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 }
    END { printf "%.1f %.2f\n", mb, cpu }'
}

git_log=(git -C "$REPO" log --first-parent -M --name-status)
metrics=("$BIN" -C "$REPO" metrics --format json)

# Warm the page cache for both.
"${git_log[@]}" >/dev/null
"${metrics[@]}" >/dev/null

first_parent=$(git -C "$REPO" rev-list --count --first-parent HEAD)
handoffs=$("${metrics[@]}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["summary"]["count"])')
git_time=$(median_seconds "${git_log[@]}")
metrics_time=$(median_seconds "${metrics[@]}")
read -r git_mem git_cpu < <(peak_mb_and_cpu "${git_log[@]}")
read -r metrics_mem metrics_cpu < <(peak_mb_and_cpu "${metrics[@]}")
ratio=$(echo "$metrics_time / $git_time" | bc -l)

echo "repository: $REPO ($first_parent first-parent commits, $handoffs handoffs at HEAD)"
echo "machine: $(nproc) cores, $(git --version), median of $RUNS runs"
printf '| command | median wall time (s) | CPU time of one run (s) | peak memory (MB) |\n|---|---|---|---|\n'
printf '| `git log --first-parent -M --name-status` | %.2f | %s | %s |\n' "$git_time" "$git_cpu" "$git_mem"
printf '| `handoff metrics --format json` | %.2f | %s | %s |\n' "$metrics_time" "$metrics_cpu" "$metrics_mem"
printf 'ratio handoff/git: %.2f\n' "$ratio"
