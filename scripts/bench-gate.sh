#!/usr/bin/env bash
# The CI gate on a one-file pull request in a 10,000-handoff repository (issue 16):
# `handoff lint --changed-since main --format github` on a branch that edits one handoff,
# with the objects packed and loose, and `handoff lint FILE` of one file (the pre-commit case).
# Builds the repositories once (10,000 copies of the SPEC's sales-cs example in handoffs/,
# committed with `git add .` and gc.auto=0, so the blobs stay loose; the packed copy is the
# same after `git gc`) and prints the command to time on each:
#
#   scripts/bench-gate.sh DIR [N=10000]
#
# Time them with any whole-process timer (`/usr/bin/time -v`, hyperfine), release build.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:?usage: scripts/bench-gate.sh DIR [N]}
N=${2:-10000}
cargo build --release --quiet --bin handoff
BIN=$PWD/target/release/handoff
if [ ! -d "$DIR/loose" ]; then
  mkdir -p "$DIR/loose"
  cd "$DIR/loose"
  git init --quiet --initial-branch=main
  git config gc.auto 0
  git config user.name Bench
  git config user.email bench@example.com
  cp -r "$OLDPWD/schema" "$OLDPWD/playbooks" .
  mkdir -p handoffs/sales-cs
  # The SPEC's sales-cs example (the lines between ```yaml and ``` after "fixed exactly").
  awk '/fixed exactly/ { on = 1 } on && /^```yaml/ { grab = 1; next } grab && /^```/ { exit } grab' \
    "$OLDPWD/../shared/SPEC.md" >/tmp/spec-sales-cs.$$
  awk -v n="$N" '{ line[NR] = $0 } END {
    for (i = 1; i <= n; i++) {
      file = sprintf("handoffs/sales-cs/acme-%05d.yaml", i)
      for (l = 1; l <= NR; l++) {
        text = line[l]
        if (text ~ /^title: Acme Corp/) sub(/Acme Corp/, sprintf("Acme %05d", i), text)
        print text > file
      }
      close(file)
    } }' /tmp/spec-sales-cs.$$
  rm -f /tmp/spec-sales-cs.$$
  git add . && git commit --quiet -m "$N handoffs"
  git switch --quiet -c pr
  sed -i 's/^  industry: Healthcare/  industry: Health care/' handoffs/sales-cs/acme-00042.yaml
  git commit --quiet -am "Edit one handoff"
  git update-index --refresh >/dev/null
  cd - >/dev/null
  cp -r "$DIR/loose" "$DIR/packed"
  git -C "$DIR/packed" gc --quiet
  git -C "$DIR/packed" update-index --refresh >/dev/null
fi
echo "loose objects: $(find "$DIR/loose/.git/objects" -type f -path '*/??/*' | wc -l) in $DIR/loose;" \
  "packed: $(git -C "$DIR/packed" count-objects -v | awk '/^count:/ { print $2 }') loose left in $DIR/packed"
for repo in loose packed; do
  echo "$BIN -C $DIR/$repo lint --changed-since main --format github"
done
echo "$BIN -C $DIR/packed lint handoffs/sales-cs/acme-00042.yaml"
