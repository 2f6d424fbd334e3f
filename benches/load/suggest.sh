#!/usr/bin/env bash
# Load test of POST /api/v1/suggest with wrk (Debian package `wrk`): 64 connections, then 1.
# Starts a release server on a temporary data dir with the sample KB; prints wrk's summaries.
# Usage: benches/load/suggest.sh [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-15}"
port=18181
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)" >&2; exit 1; }
cd "$root"
cargo build --release --quiet
tmp="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$tmp"' EXIT
# Rate limits of the public chat do not apply to API keys, but keep the config explicit.
printf '[chat]\nrequests_per_minute_per_ip = 1000000\n' > "$tmp/vraagbaak.toml"
key="$(target/release/vraagbaak apikey create load --data "$tmp/data" | tail -1)"
VRAAGBAAK_WATCH_KB=false VRAAGBAAK_LOG=warn target/release/vraagbaak --config "$tmp/vraagbaak.toml" \
    serve --data "$tmp/data" --listen "127.0.0.1:$port" --kb kb &
server=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
export VRAAGBAAK_KEY="$key"
for connections in 64 1; do
    echo "== POST /api/v1/suggest, $connections connection(s), ${seconds}s"
    wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${seconds}s" --latency \
        -s benches/load/suggest.lua "http://127.0.0.1:$port"
done
