#!/usr/bin/env bash
# The peers on the knowledge base's own example questions, held out as `vraagbaak eval
# --held-out` holds them out: fold f of K keeps every article's questions at positions i with
# i % K != f and asks the others. Writes each fold's knowledge base and questions, runs run.sh
# on each fold, and prints every fold's tables and the figures over all folds together.
#
# Usage: benches/peers/held_out.sh [--kb KB_DIR] [--folds K]   (default kb, 4)
# Environment: as run.sh (VRAAGBAAK_BIN, PYTHON). Needs the article files' `questions = [`
# list with one question per line, as `vraagbaak kb check` accepts and the editor writes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
kb_dir="$root/kb"
folds=4
while [[ $# -gt 0 ]]; do
    case "$1" in
        --kb) kb_dir="$(cd "$2" && pwd)"; shift 2 ;;
        --folds) folds="$2"; shift 2 ;;
        *) echo "usage: $0 [--kb KB_DIR] [--folds K]" >&2; exit 2 ;;
    esac
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$kb_dir" "$folds" "$work" <<'PY'
import os, re, shutil, sys

kb, k, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
item = re.compile(r'\s*"((?:[^"\\]|\\.)*)",?\s*$')
for fold in range(k):
    out = os.path.join(work, f"kb{fold}")
    shutil.copytree(kb, out)
    rows = []
    for dirpath, _, names in os.walk(out):
        for name in sorted(names):
            if not name.endswith(".md"):
                continue
            path = os.path.join(dirpath, name)
            lines = open(path, encoding="utf-8").read().split("\n")
            kept, inside, position = [], False, 0
            for line in lines:
                if line.startswith("questions = ["):
                    inside = True
                elif inside and line.strip() == "]":
                    inside = False
                elif inside:
                    match = item.match(line)
                    if not match:
                        sys.exit(f"{path}: expected one question per line: {line!r}")
                    position += 1
                    if (position - 1) % k == fold:
                        question = match.group(1).replace('\\"', '"')
                        rows.append(f"{question}\t{name[:-3]}\n")
                        continue
                kept.append(line)
            open(path, "w", encoding="utf-8").write("\n".join(kept))
    open(os.path.join(work, f"fold{fold}.tsv"), "w", encoding="utf-8").writelines(rows)
PY

for ((fold = 0; fold < folds; fold++)); do
    echo "fold $((fold + 1)) of $folds" >&2
    "$here/run.sh" --kb "$work/kb$fold" "$work/fold$fold.tsv" | tee "$work/report$fold.md"
    echo
done

# Over all folds: each fold's figures weighted by its questions (precision by its answers).
python3 - "$work" "$folds" <<'PY'
import re, sys

work, k = sys.argv[1], int(sys.argv[2])
total = {}
for fold in range(k):
    text = open(f"{work}/report{fold}.md", encoding="utf-8").read()
    n = int(re.search(r"(\d+) answerable rows", text).group(1))
    coverage = float(re.search(r"coverage here is ([\d.]+)", text).group(1))
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not line.startswith("| ") or len(cells) < 11:
            continue
        try:
            hit1, hit3, precision = map(float, cells[1:4])
        except ValueError:
            continue
        name = cells[0].split(" (")[0]
        t = total.setdefault(name, {"n": 0, "hit1": 0.0, "hit3": 0.0, "answered": 0.0, "right": 0.0})
        t["n"] += n
        t["hit1"] += hit1 * n
        t["hit3"] += hit3 * n
        # The peers answer as many questions as vraagbaak answers rightly (its coverage).
        answered = coverage * n / precision if precision else 0.0
        t["answered"] += answered
        t["right"] += precision * answered
print(f"**All {k} folds together** (held-out example questions):\n")
print("| System | questions | hit@1 | hit@3 | precision at vraagbaak's coverage |")
print("|---|---:|---:|---:|---:|")
for name, t in total.items():
    precision = t["right"] / t["answered"] if t["answered"] else 0.0
    print(f"| {name} | {t['n']} | {t['hit1'] / t['n']:.3f} | {t['hit3'] / t['n']:.3f} | {precision:.3f} |")
PY
