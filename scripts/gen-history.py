#!/usr/bin/env python3
"""Generate a synthetic handoff repository for benchmarking `handoff metrics`.

Usage: scripts/gen-history.py DIR [--handoffs 5000] [--commits 25000] [--seed 1] [--flat]

Writes a git repository at DIR (which must not exist) through `git fast-import`, much faster
than committing file by file. Its first-parent history on `main` holds about COMMITS commits
over two years: every handoff is added (one in ten through a side branch that is merged), then
edited, accepted, moved to another folder or deleted at random later commits; slots without a
handoff event commit a change to docs/changelog.md. The handoffs are the project's own examples
with their title, author, trigger date and status rewritten (one in ten lands as a
thin first version that scores below the gate, then is completed), so they are realistic in size
(3-6 KB) and scored like real ones. The same arguments always give the same repository.
With --flat every handoff lives in the one folder handoffs/ (moves go to handoffs/archive/), so
every commit rewrites a tree of thousands of entries.
"""

import argparse
import datetime
import pathlib
import random
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
AUTHORS = [f"{first} {last}" for first in ("Jane", "Marcus", "Aisha", "Diego", "Olivia", "Sam", "Maya", "Priya")
           for last in ("Doe", "Chen", "Okafor", "Ramos", "Brooks")]
START = 1_735_689_600  # 2025-01-01T00:00:00Z


def templates():
    found = []
    for path in sorted((ROOT / "handoffs").glob("*/*.yaml")):
        text = path.read_text()
        text = re.sub(r"^status: \w+$", "status: submitted", text, flags=re.M)
        text = re.sub(r"^accepted_by: .*\n", "", text, flags=re.M)
        found.append((path.parent.name, text))
    if not found:
        sys.exit("no example handoffs under handoffs/: run from the project")
    return found


def render(template, handoff, status, revision):
    if handoff["thin"] and revision == 0:
        # A thin first version: the header only, so it lands below the gate (a bypass).
        template = template[: template.index("\n", template.index("\ntrigger:") + 1) + 1]
    text = re.sub(r"^title: .*$", f"title: {handoff['title']}" + (f" (rev {revision})" if revision else ""),
                  template, count=1, flags=re.M)
    text = re.sub(r"^from: \{name: [^,]+,", f"from: {{name: {handoff['author']},", text, count=1, flags=re.M)
    text = re.sub(r"(^trigger: \{event: [^,]+, date: )\d{4}-\d{2}-\d{2}", rf"\g<1>{handoff['trigger']}", text,
                  count=1, flags=re.M)
    if status == "accepted":
        text = text.replace("status: submitted", "status: accepted", 1)
        text = re.sub(r"^(to: \{name: ([^,]+),.*\n)", r"\1accepted_by: \2\n", text, count=1, flags=re.M)
    return text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--handoffs", type=int, default=5000)
    parser.add_argument("--commits", type=int, default=25000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--flat", action="store_true", help="every handoff in the one folder handoffs/")
    args = parser.parse_args()
    target = pathlib.Path(args.dir)
    if target.exists():
        sys.exit(f"{target}: already exists; give a new folder")
    rng = random.Random(args.seed)
    kinds = templates()
    step = args.commits / args.handoffs
    schedule = {}

    def at(slot, event):
        schedule.setdefault(min(slot, args.commits - 1), []).append(event)

    handoffs = []
    for i in range(args.handoffs):
        template_type, template = kinds[i % len(kinds)]
        slot = int(i * step)
        handoff = {
            "id": i, "type": template_type, "template": template, "author": rng.choice(AUTHORS),
            "title": f"Customer {i:05d} — {template_type}", "path": (f"handoffs/customer-{i:05d}.yaml" if args.flat
                                                                     else f"handoffs/{template_type}/customer-{i:05d}.yaml"),
            "status": "submitted", "revision": 0, "side_branch": rng.random() < 0.1, "alive": True,
            "thin": rng.random() < 0.1,
        }
        landed = datetime.datetime.fromtimestamp(START + slot * (2 * 365 * 86400 // args.commits),
                                                 datetime.timezone.utc).date()
        handoff["trigger"] = (landed - datetime.timedelta(days=rng.randint(0, 20))).isoformat()
        handoffs.append(handoff)
        at(slot, ("add", i))
        at(slot + rng.randint(1, 40), ("edit", i))
        if rng.random() < 0.5:
            at(slot + rng.randint(40, 400), ("edit", i))
        if rng.random() < 0.6:
            at(slot + rng.randint(5, 300), ("accept", i))
        if rng.random() < 0.1:
            at(slot + rng.randint(300, 3000), ("move", i))
        if rng.random() < 0.03:
            at(slot + rng.randint(100, 3000), ("delete", i))
    subprocess.run(["git", "init", "--quiet", "--initial-branch=main", str(target)], check=True)
    importer = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=target, stdin=subprocess.PIPE)
    out = importer.stdin
    mark = 0
    main_tip = None

    def data(text):
        raw = text.encode()
        out.write(b"data %d\n" % len(raw))
        out.write(raw)
        out.write(b"\n")

    def commit(ref, when, author, message, ops, parent, merged=None):
        nonlocal mark
        mark += 1
        out.write(f"commit {ref}\nmark :{mark}\n".encode())
        out.write(f"author {author} <{author.split()[0].lower()}@example.com> {when} +0000\n".encode())
        out.write(f"committer {author} <{author.split()[0].lower()}@example.com> {when} +0000\n".encode())
        data(message)
        if parent:
            out.write(f"from :{parent}\n".encode())
        if merged:
            out.write(f"merge :{merged}\n".encode())
        for op in ops:
            if op[0] == "M":
                out.write(f"M 100644 inline {op[1]}\n".encode())
                data(op[2])
            else:
                out.write(f"D {op[1]}\n".encode())
        return mark

    seconds_per_slot = 2 * 365 * 86400 // args.commits
    for slot in range(args.commits):
        when = START + slot * seconds_per_slot
        ops = []
        merged = None
        author = "Ops Bot"
        for kind, i in schedule.get(slot, []):
            h = handoffs[i]
            if not h["alive"]:
                continue
            author = h["author"]
            if kind == "add" and h["side_branch"]:
                draft = render(h["template"], h, "submitted", 0)
                final = render(h["template"], h, "submitted", 0).replace("\ntitle: ", "\ntitle: Polished — ", 1)
                branch = f"refs/heads/side/{i:05d}"
                tip = commit(branch, when - 7200, author, f"Draft {h['title']}", [("M", h["path"], draft)], main_tip)
                merged = commit(branch, when - 3600, author, f"Polish {h['title']}", [("M", h["path"], final)], tip)
                ops.append(("M", h["path"], final))
            elif kind == "add":
                ops.append(("M", h["path"], render(h["template"], h, "submitted", 0)))
            elif kind == "edit":
                h["revision"] += 1
                ops.append(("M", h["path"], render(h["template"], h, h["status"], h["revision"])))
            elif kind == "accept":
                h["status"] = "accepted"
                ops.append(("M", h["path"], render(h["template"], h, "accepted", h["revision"])))
            elif kind == "move":
                new_path = (f"handoffs/archive/customer-{i:05d}.yaml" if args.flat
                            else f"handoffs/archive/{h['type']}/customer-{i:05d}.yaml")
                ops.append(("D", h["path"]))
                ops.append(("M", new_path, render(h["template"], h, h["status"], h["revision"])))
                h["path"] = new_path
            elif kind == "delete":
                ops.append(("D", h["path"]))
                h["alive"] = False
        if not ops:
            ops.append(("M", "docs/changelog.md", f"Release notes, slot {slot}\n"))
        main_tip = commit("refs/heads/main", when, author, f"Slot {slot}", ops, main_tip, merged)
    out.close()
    if importer.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "checkout", "--quiet", "main"], cwd=target, check=True)
    subprocess.run(["git", "repack", "-a", "-d", "-q"], cwd=target, check=True)
    count = subprocess.run(["git", "rev-list", "--count", "--first-parent", "main"], cwd=target,
                           capture_output=True, text=True, check=True).stdout.strip()
    total = subprocess.run(["git", "rev-list", "--count", "--all"], cwd=target,
                           capture_output=True, text=True, check=True).stdout.strip()
    print(f"{target}: {args.handoffs} handoffs, {count} first-parent commits, {total} commits in all")


if __name__ == "__main__":
    main()
