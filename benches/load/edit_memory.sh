#!/usr/bin/env bash
# Resident memory of a running server while editors save articles: starts the release binary
# on a copy of kb/, saves one article N times through the API (each save goes live in place and
# is followed by the exact rebuild), and prints the server's RSS every 8 saves, then after a
# minute idle with its CPU ticks. Memory should level off, not grow with every save.
#
#   cargo build --release && benches/load/edit_memory.sh [saves] [port]
set -euo pipefail
cd "$(dirname "$0")/../.."
saves=${1:-40}
port=${2:-8181}
bin=target/release/vraagbaak
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r kb "$work/kb"
printf '[server]\nlisten = "127.0.0.1:%s"\n' "$port" > "$work/vraagbaak.toml"
key=$("$bin" apikey create memory --scope kb --data "$work/data" 2>/dev/null | grep -o 'vbk_[A-Za-z0-9_-]*')
"$bin" --config "$work/vraagbaak.toml" serve --data "$work/data" --kb "$work/kb" > "$work/server.log" 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/healthz" > /dev/null; do sleep 0.2; done
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$server/status"; }
echo "start: $(rss)"
url="http://127.0.0.1:$port/api/v1/kb/articles/afvalkalender"
for i in $(seq 1 "$saves"); do
    etag=$(curl -sf -D - -o "$work/article.json" -H "Authorization: Bearer $key" "$url" \
        | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
    python3 -c 'import json, sys
a = json.load(open(sys.argv[1]))
print(json.dumps({"source": a["source"].rstrip("\n") + " ", "comment": "memory bench"}))' \
        "$work/article.json" > "$work/put.json"
    # Alternate a trailing space so every save changes the file.
    if (( i % 2 == 0 )); then sed -i 's/ \"/\"/' "$work/put.json"; fi
    curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $key" -H "If-Match: $etag" \
        -H 'Content-Type: application/json' --data @"$work/put.json" "$url"
    sleep 0.5
    (( i % 8 == 0 )) && echo "after $i saves: $(rss)"
done
ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
before=$(ticks); sleep 60
echo "idle 60 s: $(( $(ticks) - before )) CPU ticks, $(rss)"
