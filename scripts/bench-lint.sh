#!/usr/bin/env bash
# Lint benchmark: `handoff lint` over N generated handoffs against a bare
# read + parse (serde YAML) + validate (compiled jsonschema) loop over the same files, in the
# same run. Prints the median of RUNS runs of each, their ratio, and peak memory.
#
#   scripts/bench-lint.sh [N=10000] [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${2:-5}
cargo build --release --quiet --bin handoff --example gen_handoffs --example bare_validate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/gen_handoffs "$N" "$work/handoffs"
cp -r schema playbooks roster.yaml "$work/"
find "$work/handoffs" -name "*.yaml" -printf "%s\n" | awk '{n++; s+=$1; if(min==""||$1<min)min=$1; if($1>max)max=$1} END {printf "corpus: %d files, %.1f MB, %d-%d bytes each\n", n, s/1e6, min, max}'

# median_of CMD...: runs CMD $RUNS times, prints "median_seconds peak_kb".
median_of() {
  local times=() peak=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
    read -r seconds kb < <(tail -n 1 "$work/time")
    times+=("$seconds")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v peak="$peak" '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print m, peak}'
}

read -r bare bare_kb < <(median_of target/release/examples/bare_validate "$work/handoffs" schema)
read -r lint lint_kb < <(median_of target/release/handoff -C "$work" lint --format json)
read -r human human_kb < <(median_of target/release/handoff -C "$work" lint)
target/release/handoff -C "$work" lint --format json | python3 -c '
import json, sys
files = json.load(sys.stdin)["files"]
passed = sum(f["passed"] for f in files)
invalid = sum(not f["valid"] for f in files)
print("verdicts:", len(files), "files,", passed, "passed,", invalid, "invalid")' || true

echo "cores: $(nproc)"
printf 'bare loop (read+parse+validate, 1 thread): %6.2f s  peak %6d KB\n' "$bare" "$bare_kb"
printf 'handoff lint --format json:                 %6.2f s  peak %6d KB\n' "$lint" "$lint_kb"
printf 'handoff lint (human):                       %6.2f s  peak %6d KB\n' "$human" "$human_kb"
awk -v a="$lint" -v b="$bare" 'BEGIN { printf "ratio lint/bare: %.2f (target <= 1.5)\n", a / b }'
