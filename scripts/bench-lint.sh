#!/usr/bin/env bash
# Lint benchmark: `handoff lint` over N generated handoffs against a bare
# read + parse (serde YAML) + validate (compiled jsonschema) loop over the same files, in the
# same run. Prints the median of RUNS runs of each, their ratio, and peak memory.
#
#   scripts/bench-lint.sh [N=10000] [RUNS=5] [STYLE=project]
#
# STYLE is a YAML style of examples/gen_handoffs.rs (project, flow, long, quoted, comments,
# anchors, block, mixed, issue): the corpus is rewritten in it. The bare loop runs on one
# thread and on as many as the machine has cores (as lint does): the ratios compare lint with
# the bare loop on the same number of threads.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${2:-5}
STYLE=${3:-project}
cargo build --release --quiet --bin handoff --example gen_handoffs --example bare_validate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/gen_handoffs "$N" "$work/handoffs" "$STYLE"
cp -r schema playbooks roster.yaml "$work/"
find "$work/handoffs" -name "*.yaml" -printf "%s\n" | awk '{n++; s+=$1; if(min==""||$1<min)min=$1; if($1>max)max=$1} END {printf "corpus ('"$STYLE"' style): %d files, %.1f MB, %d-%d bytes each\n", n, s/1e6, min, max}'

# median_of CMD...: runs CMD $RUNS times, prints "median_wall_s median_cpu_s peak_kb"
# (CPU = user + system: unlike wall time it does not depend on what else the machine runs).
median_of() {
  local walls=() cpus=() peak=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
    read -r seconds user system kb < <(tail -n 1 "$work/time")
    walls+=("$seconds")
    cpus+=("$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  local median='{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'
  echo "$(printf '%s\n' "${walls[@]}" | sort -n | awk "$median")" \
       "$(printf '%s\n' "${cpus[@]}" | sort -n | awk "$median")" "$peak"
}

read -r bare bare_cpu bare_kb < <(median_of target/release/examples/bare_validate "$work/handoffs" schema)
read -r par par_cpu par_kb < <(median_of target/release/examples/bare_validate "$work/handoffs" schema "$(nproc)")
read -r lint lint_cpu lint_kb < <(median_of target/release/handoff -C "$work" lint --format json)
read -r human human_cpu human_kb < <(median_of target/release/handoff -C "$work" lint)
read -r one one_cpu one_kb < <(median_of env RAYON_NUM_THREADS=1 target/release/handoff -C "$work" lint --format json)
target/release/handoff -C "$work" lint --format json | python3 -c '
import json, sys
files = json.load(sys.stdin)["files"]
passed = sum(f["passed"] for f in files)
invalid = sum(not f["valid"] for f in files)
print("verdicts:", len(files), "files,", passed, "passed,", invalid, "invalid")' || true

echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg), runs: $RUNS (medians)"
printf '%-48s %7s %7s %9s\n' "command" "wall s" "cpu s" "peak KB"
printf '%-48s %7.2f %7.2f %9d\n' "bare loop (read+parse+validate, 1 thread)" "$bare" "$bare_cpu" "$bare_kb"
printf '%-48s %7.2f %7.2f %9d\n' "bare loop, $(nproc) threads" "$par" "$par_cpu" "$par_kb"
printf '%-48s %7.2f %7.2f %9d\n' "handoff lint --format json" "$lint" "$lint_cpu" "$lint_kb"
printf '%-48s %7.2f %7.2f %9d\n' "handoff lint (human)" "$human" "$human_cpu" "$human_kb"
printf '%-48s %7.2f %7.2f %9d\n' "handoff lint --format json, 1 thread" "$one" "$one_cpu" "$one_kb"
awk -v a="$lint" -v b="$par" 'BEGIN { printf "ratio lint/bare, both on all cores, wall: %.2f (target <= 1.2)\n", a / b }'
awk -v a="$lint_cpu" -v b="$par_cpu" 'BEGIN { printf "ratio lint/bare, both on all cores, CPU: %.2f\n", a / b }'
awk -v a="$one" -v b="$bare" 'BEGIN { printf "ratio lint/bare, both on 1 thread: %.2f\n", a / b }'

# Peers, when their registries are reachable (skipped otherwise): Ajv + js-yaml on Node, and
# check-jsonschema (Python) on the first 500 files (it is two orders of magnitude slower).
if [ "${PEERS:-1}" = 1 ] && command -v npm >/dev/null 2>&1; then
  peer="$work/node-peer"
  mkdir -p "$peer"
  if (cd "$peer" && npm install --silent --no-audit --no-fund ajv@8 ajv-formats@3 js-yaml@4 >/dev/null 2>&1); then
    cat >"$peer/validate.js" <<'JS'
const fs = require("fs"), path = require("path"), yaml = require("js-yaml");
const Ajv2020 = require("ajv/dist/2020"), addFormats = require("ajv-formats");
const [dir, schemaDir] = process.argv.slice(2);
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
for (const name of fs.readdirSync(schemaDir)) {
  const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, name), "utf8"));
  ajv.addSchema(schema, name);
}
let files = 0, valid = 0;
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) {
  const p = path.join(d, e.name);
  if (e.isDirectory()) walk(p); else {
    files++;
    try { const v = yaml.load(fs.readFileSync(p, "utf8"));
      const check = ajv.getSchema(`${v.type}.json`); if (check && check(v)) valid++; } catch (_) {}
  } } };
walk(dir);
console.log(`${files} files, ${valid} valid`);
JS
    read -r ajv ajv_cpu ajv_kb < <(median_of node "$peer/validate.js" "$work/handoffs" schema)
    printf '%-48s %7.2f %7.2f %9d\n' "peer: Node Ajv 8 + js-yaml 4 (1 thread)" "$ajv" "$ajv_cpu" "$ajv_kb"
  fi
fi
if [ "${PEERS:-1}" = 1 ] && python3 -m pip install --quiet --target "$work/py" check-jsonschema >/dev/null 2>&1; then
  mkdir -p "$work/sample500"
  find "$work/handoffs/sales-cs" -name '*.yaml' | sort | head -500 | xargs -I{} cp {} "$work/sample500/"
  start=$(date +%s.%N)
  PYTHONPATH="$work/py" python3 -m check_jsonschema --schemafile schema/sales-cs.json "$work"/sample500/*.yaml >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%-48s %7.2f  (500 files; x20 = %.0f s for 10,000)\n", "peer: check-jsonschema, 500 sales-cs files", e - s, (e - s) * 20 }'
fi
