#!/usr/bin/env bash
# Peer comparison: vraagbaak vs bm25s + PyStemmer (Dutch) on the same KB and eval file.
#
# Usage: benches/peers/run.sh [EVAL_FILE] [KB_DIR]
#   EVAL_FILE  default ../shared/eval/dev.tsv (relative to the repo root)
#   KB_DIR     default kb                     (relative to the repo root)
# Paths given as arguments are taken relative to the directory you run the script from.
# Environment: PYTHON (default python3, must be >= 3.11) is used to create the venv.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

resolve() { # absolute path of $1, relative to the caller's working directory
    case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac
}
if [[ $# -gt 2 ]]; then
    echo "usage: $0 [EVAL_FILE] [KB_DIR]" >&2
    exit 2
fi
eval_file="$(resolve "${1:-$root/../shared/eval/dev.tsv}")"
kb_dir="$(resolve "${2:-$root/kb}")"
cd "$root"

[[ -f "$eval_file" ]] || { echo "eval file not found: $eval_file" >&2; exit 1; }
[[ -d "$kb_dir" ]] || { echo "KB directory not found: $kb_dir" >&2; exit 1; }

# --- Python peer: create or reuse the venv with the pinned packages -------------------
venv="$root/target/peers-venv"
requirements="$here/requirements.txt"
py="${PYTHON:-python3}"
if [[ ! -x "$venv/bin/python" ]]; then
    "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || { echo "$py is older than 3.11 (tomllib is needed); set PYTHON" >&2; exit 1; }
    echo "creating $venv" >&2
    "$py" -m venv "$venv"
fi
if ! cmp -s "$requirements" "$venv/.peers-requirements.txt"; then
    echo "installing pinned peer packages into $venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
    cp "$requirements" "$venv/.peers-requirements.txt"
fi

# --- vraagbaak: release build ---------------------------------------------------------
echo "building vraagbaak (release)" >&2
cargo build --release --quiet >&2
vraagbaak="${CARGO_TARGET_DIR:-$root/target}/release/vraagbaak"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "running vraagbaak eval" >&2
"$vraagbaak" eval "$eval_file" --kb "$kb_dir" --json >"$tmp/vraagbaak.json"
echo "running bm25s peer" >&2
"$venv/bin/python" "$here/bm25s_peer.py" --kb "$kb_dir" --eval "$eval_file" >"$tmp/bm25s.json"

# --- report -----------------------------------------------------------------------------
cpu="$(grep -m1 -E '^(model name|Hardware|Processor)' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
machine="$(uname -m), $(nproc) cores, ${cpu:-unknown CPU}"
revision="$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)"

"$venv/bin/python" - "$tmp/vraagbaak.json" "$tmp/bm25s.json" \
    "$(date -u +%F)" "$machine" "$revision" "$eval_file" "$kb_dir" <<'PY'
import json
import os
import sys

vb_path, peer_path, date, machine, revision, eval_file, kb_dir = sys.argv[1:]
eval_file, kb_dir = os.path.normpath(eval_file), os.path.normpath(kb_dir)
with open(vb_path) as f:
    vb = json.load(f)
with open(peer_path) as f:
    peer = json.load(f)

pipelines = vb["pipelines"]
full, base = pipelines[-1], pipelines[0]


def vb_row(label, p):
    fig, lat = p["figures"], p["latency"]
    return (label, fig["hit_at_1"], fig["hit_at_3"], fig["mrr_at_5"], lat["median_us"], lat["p99_us"])


rows = [
    vb_row("vraagbaak (full)", full),
    vb_row("vraagbaak baseline (tantivy default tokenizer)", base),
    ("bm25s + PyStemmer (dutch)", peer["hit_at_1"], peer["hit_at_3"], peer["mrr_at_5"],
     peer["median_us"], peer["p99_us"]),
]

answerable = full["figures"]["answerable"]
if peer["answerable"] != answerable:
    print(f"warning: answerable rows differ: vraagbaak {answerable}, bm25s {peer['answerable']}",
          file=sys.stderr)

v = peer["versions"]
print(f"Date: {date}  ")
print(f"Machine: {machine}  ")
print(f"Eval: {eval_file} ({answerable} answerable, {full['figures']['no_article']} no-article rows)  ")
print(f"KB: {kb_dir} ({peer['articles']} articles)  ")
print(f"vraagbaak: {revision} (release build; pipelines `{full['pipeline']}` and `{base['pipeline']}`)  ")
print(f"Peer: Python {v['python']}, bm25s {v['bm25s']}, PyStemmer {v['PyStemmer']}, numpy {v['numpy']}; "
      f"BM25 {peer['settings']['method']} k1={peer['settings']['k1']} b={peer['settings']['b']}, "
      f"Dutch stopwords, index build {peer['build_ms']:.1f} ms")
print()
print("| System | hit@1 | hit@3 | MRR@5 | median µs/query | p99 µs/query |")
print("|---|---:|---:|---:|---:|---:|")
for label, h1, h3, mrr, med, p99 in rows:
    print(f"| {label} | {h1:.3f} | {h3:.3f} | {mrr:.3f} | {med:.0f} | {p99:.0f} |")
PY
