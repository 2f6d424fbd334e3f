#!/usr/bin/env bash
# The peers on the knowledge base's own example questions, held out as `vraagbaak eval
# --held-out` holds them out: `vraagbaak eval --held-out K --write-folds DIR` writes each fold's
# knowledge base (the article files without the fold's example and `not_answered` questions)
# and its questions (the `not_answered` ones as `-` rows); this runs run.sh on each fold and
# prints every fold's tables and the figures over all folds together: how many `-` rows each
# system answers at vraagbaak's coverage is how many near misses it would send.
#
# Usage: benches/peers/held_out.sh [--kb KB_DIR] [--folds K]   (default kb, 4)
# Environment: as run.sh (VRAAGBAAK_BIN, PYTHON).
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

# One binary for the fold writer and every fold's run.
if [[ -z "${VRAAGBAAK_BIN:-}" ]]; then
    echo "building vraagbaak (release)" >&2
    (cd "$root" && cargo build --release --bins --quiet >&2)
    VRAAGBAAK_BIN="${CARGO_TARGET_DIR:-$root/target}/release/vraagbaak"
fi
export VRAAGBAAK_BIN

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$VRAAGBAAK_BIN" eval --held-out "$folds" --kb "$kb_dir" --write-folds "$work" >&2

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
rows = 0  # `-` rows: the held-out `not_answered` questions
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
        t = total.setdefault(name, {"n": 0, "hit1": 0.0, "hit3": 0.0, "answered": 0.0, "right": 0.0, "sent": 0})
        t["n"] += n
        t["hit1"] += hit1 * n
        t["hit3"] += hit3 * n
        # The peers answer as many questions as vraagbaak answers rightly (its coverage).
        answered = coverage * n / precision if precision else 0.0
        t["answered"] += answered
        t["right"] += precision * answered
        t["sent"] += int(cells[5])
    rows += int(re.search(r"(\d+) `-` rows", text).group(1))
print(f"**All {k} folds together** (held-out example questions; the {rows} `not_answered` "
      "questions as `-` rows):\n")
print("| System | questions | hit@1 | hit@3 | precision at vraagbaak's coverage | `-` rows answered there |")
print("|---|---:|---:|---:|---:|---:|")
for name, t in total.items():
    precision = t["right"] / t["answered"] if t["answered"] else 0.0
    print(f"| {name} | {t['n']} | {t['hit1'] / t['n']:.3f} | {t['hit3'] / t['n']:.3f} | {precision:.3f} | {t['sent']} of {rows} |")
PY
