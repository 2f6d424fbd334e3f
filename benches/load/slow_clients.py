#!/usr/bin/env python3
"""Slow and greedy clients against a release server (issue 9, items 3 and 4).

half:    N connections send half a request line ("GET /heal") and nothing more. Prints how
         long the server keeps them open (median, max, how many are still open when the wait
         ends) and how /healthz fares meanwhile (answered / failed probes, median latency).
streams: one agent session opens S /events streams while residents post chat messages
         (RATE per second). Prints the streams' statuses (200, 429, refused) and the median
         /inbox latency before the streams and while they are open.

The server runs from --binary on a temporary data dir with the sample KB, with its open-file
limit set to --nofile. Extra server settings: --env KEY=VALUE (e.g.
VRAAGBAAK_MAX_STREAMS_PER_SESSION=5000).

Usage: benches/load/slow_clients.py --binary target/release/vraagbaak half --connections 2000
       benches/load/slow_clients.py --binary target/release/vraagbaak streams --streams 3000
"""

import argparse
import asyncio
import http.client
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HOST = "127.0.0.1"
PASSWORD = "load-test-wachtwoord"


def start_server(args, tmp):
    config = os.path.join(tmp, "vraagbaak.toml")
    with open(config, "w") as f:
        f.write("[chat]\nrequests_per_minute_per_ip = 1000000\n"
                "messages_per_minute_per_conversation = 1000000\n")
    data = os.path.join(tmp, "data")
    subprocess.run([args.binary, "--config", config, "user", "add", "lasttest", "--role",
                    "agent", "--password-stdin", "--data", data],
                   input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    env = dict(os.environ, VRAAGBAAK_WATCH_KB="false", VRAAGBAAK_LOG="warn")
    for pair in args.env:
        key, _, value = pair.partition("=")
        env[key] = value
    limit = args.nofile

    def lower_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    log = open(os.path.join(tmp, "server.log"), "w")
    server = subprocess.Popen(
        [args.binary, "--config", config, "serve", "--data", data,
         "--listen", f"{HOST}:{args.port}", "--kb", "kb"],
        env=env, stdout=log, stderr=log, preexec_fn=lower_limit)
    for _ in range(100):
        if healthz(timeout=1)[0]:
            return server
        time.sleep(0.1)
    server.kill()
    sys.exit("the server did not start; see " + log.name)


def healthz(timeout=2.0):
    """(answered 200, seconds)"""
    started = time.monotonic()
    try:
        conn = http.client.HTTPConnection(HOST, ARGS.port, timeout=timeout)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
    except OSError:
        ok = False
    return ok, time.monotonic() - started


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


async def half_sent(args):
    loop = asyncio.get_running_loop()
    opened, failed_connects = 0, 0
    # Seconds from the start of the flood until the server closed each connection, by what
    # it sent first: "503" (refused at the cap) or "" (closed without an answer).
    closed = {"503": [], "": [], "other": []}
    flood = time.monotonic()
    deadline = flood + args.wait

    async def one():
        nonlocal opened, failed_connects
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(HOST, args.port), timeout=5)
        except (OSError, asyncio.TimeoutError):
            failed_connects += 1
            return
        opened += 1
        received = b""
        try:
            writer.write(b"GET /heal")
            await writer.drain()
            while True:
                remaining = max(0.1, deadline - time.monotonic())
                chunk = await asyncio.wait_for(reader.read(4096), timeout=remaining)
                if not chunk:
                    break
                received += chunk
        except asyncio.TimeoutError:
            writer.close()
            return
        except OSError:
            pass
        writer.close()
        kind = "503" if received.startswith(b"HTTP/1.1 503") else "" if not received else "other"
        closed[kind].append(time.monotonic() - flood)

    probes = []

    async def probe():
        await asyncio.sleep(1)
        while time.monotonic() < deadline:
            probes.append(await loop.run_in_executor(None, healthz))
            await asyncio.sleep(1)

    await asyncio.gather(probe(), *(one() for _ in range(args.connections)))
    still_open = opened - sum(len(times) for times in closed.values())
    print(f"== {args.connections} half-sent connections, waited {args.wait} s")
    print(f"connected: {opened}, connect failed: {failed_connects}")
    for kind, label in (("503", "refused with 503"), ("", "closed without an answer"),
                        ("other", "closed after another answer")):
        times = closed[kind]
        if times:
            print(f"{label}: {len(times)}, closed at median {statistics.median(times):.2f} s, "
                  f"max {max(times):.2f} s after the flood started")
    print(f"still open after {args.wait} s: {still_open}")
    answered = [t for ok, t in probes if ok]
    print(f"/healthz probes: {len(answered)} answered, {len(probes) - len(answered)} failed"
          + (f", median {ms(statistics.median(answered))}" if answered else ""))
    first_ok = next((i for i, (ok, _) in enumerate(probes) if ok), None)
    if first_ok is not None:
        print(f"first answered probe: ~{first_ok + 1} s after the flood started")


def login():
    conn = http.client.HTTPConnection(HOST, ARGS.port, timeout=10)
    body = urllib.parse.urlencode({"name": "lasttest", "password": PASSWORD})
    conn.request("POST", "/login", body,
                 {"content-type": "application/x-www-form-urlencoded"})
    res = conn.getresponse()
    res.read()
    cookie = res.getheader("set-cookie")
    if not cookie:
        sys.exit(f"login failed: {res.status}")
    return cookie.split(";")[0]


INBOX_TIMEOUT = 30


def inbox_latency(cookie, rounds):
    """(median, max) seconds of `rounds` sequential /inbox requests; a request that gets no
    answer within INBOX_TIMEOUT counts as that long."""
    times = []
    for _ in range(rounds):
        started = time.monotonic()
        try:
            conn = http.client.HTTPConnection(HOST, ARGS.port, timeout=INBOX_TIMEOUT)
            conn.request("GET", "/inbox", headers={"cookie": cookie})
            res = conn.getresponse()
            res.read()
            conn.close()
            if res.status != 200:
                sys.exit(f"/inbox answered {res.status}")
        except OSError:
            pass
        times.append(min(time.monotonic() - started, INBOX_TIMEOUT))
    return statistics.median(times), max(times)


def post_message(i):
    try:
        conn = http.client.HTTPConnection(HOST, ARGS.port, timeout=30)
        body = json.dumps({"text": f"Wanneer wordt het grofvuil opgehaald? ({i})"})
        conn.request("POST", "/api/v1/chat/messages", body,
                     {"content-type": "application/json"})
        conn.getresponse().read()
        conn.close()
    except OSError:
        pass


async def streams(args):
    loop = asyncio.get_running_loop()
    cookie = login()
    await loop.run_in_executor(None, post_message, 0)
    idle = await loop.run_in_executor(None, inbox_latency, cookie, args.rounds)
    statuses = {}
    open_streams = []

    async def one():
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(HOST, args.port), timeout=10)
            writer.write(f"GET /events HTTP/1.1\r\nhost: {HOST}\r\ncookie: {cookie}\r\n\r\n"
                         .encode())
            await writer.drain()
            line = await asyncio.wait_for(reader.readline(), timeout=30)
        except (OSError, asyncio.TimeoutError):
            statuses["failed"] = statuses.get("failed", 0) + 1
            return
        status = line.split(b" ")[1].decode() if line.count(b" ") >= 2 else "closed"
        statuses[status] = statuses.get(status, 0) + 1
        if status != "200":
            writer.close()
            return
        open_streams.append(writer)
        try:
            while await reader.read(65536):
                pass
        except OSError:
            pass

    tasks = [asyncio.create_task(one()) for _ in range(args.streams)]
    while sum(statuses.values()) < args.streams:
        await asyncio.sleep(0.2)
    stop = False

    async def residents():
        i = 1
        while not stop:
            loop.run_in_executor(None, post_message, i)
            i += 1
            await asyncio.sleep(1 / args.rate)

    sender = asyncio.create_task(residents())
    await asyncio.sleep(2)
    busy = await loop.run_in_executor(None, inbox_latency, cookie, args.rounds)
    stop = True
    await sender
    print(f"== {args.streams} /events streams of one session, residents post {args.rate}/s")
    print("stream statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    print(f"/inbox without streams: median {ms(idle[0])}, max {ms(idle[1])}")
    print(f"/inbox with {len(open_streams)} streams open: median {ms(busy[0])}, "
          f"max {ms(busy[1])}")
    for writer in open_streams:
        writer.close()
    for task in tasks:
        task.cancel()


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default="target/release/vraagbaak")
    parser.add_argument("--port", type=int, default=18282)
    parser.add_argument("--nofile", type=int, default=1024,
                        help="the server's open-file limit")
    parser.add_argument("--env", action="append", default=[])
    sub = parser.add_subparsers(dest="phase", required=True)
    half = sub.add_parser("half")
    half.add_argument("--connections", type=int, default=2000)
    half.add_argument("--wait", type=float, default=40)
    live = sub.add_parser("streams")
    live.add_argument("--streams", type=int, default=3000)
    live.add_argument("--rate", type=float, default=5)
    live.add_argument("--rounds", type=int, default=20)
    ARGS = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(ARGS, tmp)
        try:
            asyncio.run(half_sent(ARGS) if ARGS.phase == "half" else streams(ARGS))
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
