"""Shared helpers for the peer scripts: reading the KB and eval files, timing, JSON output.

The readers follow vraagbaak's own rules (articles under KB/<category>/<id>.md with TOML front
matter between `+++` lines; eval rows `message<TAB>ids`, `-` for "no article"), so both sides
see the same articles and the same rows. Every problem is a `SystemExit` with a message that
names the file, so a peer script fails non-zero with one clear line.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

K = 5  # suggestions kept per message, as vraagbaak's eval (MRR@5)
DELIMITER = "+++"
WARM_UP = 20  # unmeasured queries before timing each set


@dataclass
class Article:
    id: str
    title: str
    questions: list[str]
    keywords: list[str]
    body: str


@dataclass
class Case:
    message: str
    expected: list[str]  # empty for a `-` row


def read_article(path: Path) -> Article:
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != DELIMITER:
        raise SystemExit(f"{path}: does not start with a `+++` line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == DELIMITER)
    except StopIteration:
        raise SystemExit(f"{path}: front matter is not closed with a `+++` line") from None
    try:
        front = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as err:
        raise SystemExit(f"{path}: front matter is not valid TOML: {err}") from None
    return Article(
        id=path.stem,
        title=front.get("title", ""),
        questions=list(front.get("questions", [])),
        keywords=list(front.get("keywords", [])),
        body="\n".join(lines[end + 1 :]),
    )


def read_kb(kb: Path) -> list[Article]:
    """Articles sorted by path, like vraagbaak's loader: one level of category directories."""
    if not kb.is_dir():
        raise SystemExit(f"KB directory not found: {kb}")
    articles = [
        read_article(path)
        for category in sorted(p for p in kb.iterdir() if p.is_dir())
        for path in sorted(category.glob("*.md"))
    ]
    if not articles:
        raise SystemExit(f"no articles found under {kb}/<category>/*.md")
    return articles


def read_cases(path: Path) -> list[Case]:
    """Same rules as vraagbaak's eval reader: optional header, split on the last tab."""
    if not path.is_file():
        raise SystemExit(f"eval file not found: {path}")
    cases = []
    for index, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or (index == 0 and line.startswith("message\t")):
            continue
        if "\t" not in line:
            raise SystemExit(f"{path}:{index + 1}: expected `message<TAB>ids`")
        message, expected = line.rsplit("\t", 1)
        expected = expected.strip()
        ids = [] if expected == "-" else [i.strip() for i in expected.split(",") if i.strip()]
        cases.append(Case(message, ids))
    if not cases:
        raise SystemExit(f"{path}: no eval rows")
    return cases


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


Search = Callable[[str], list[tuple[str, float]]]


def run_set(search: Search, path: Path) -> dict:
    """Runs every row of one eval file through `search` (message -> [(id, score)] best first).

    Returns the per-row results (expected ids, ranked ids, scores) and the per-query times in
    µs; each query is timed on its own with `time.perf_counter`, after a few warm-up queries.
    """
    cases = read_cases(path)
    for case in cases[:WARM_UP]:
        search(case.message)
    rows, micros = [], []
    for case in cases:
        started = time.perf_counter()
        ranked = search(case.message)[:K]
        micros.append((time.perf_counter() - started) * 1e6)
        rows.append({
            "expected": case.expected,
            "ranked": [article_id for article_id, _ in ranked],
            "scores": [float(score) for _, score in ranked],
        })
    print(f"{path.name}: {len(rows)} rows, median {sorted(micros)[len(micros) // 2]:.0f} µs",
          file=sys.stderr)
    return {"file": str(path), "rows": rows, "micros": micros}


def parse_args(doc: str) -> tuple[list[Article], list[Path]]:
    """The peers' shared command line: `--kb DIR --eval FILE [--eval FILE ...]`."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--kb", type=Path, required=True, help="knowledge-base directory")
    parser.add_argument("--eval", type=Path, required=True, action="append",
                        help="eval TSV (message<TAB>ids); repeat for several files")
    args = parser.parse_args()
    for path in args.eval:  # fail before the (slow) index or embedding build
        read_cases(path)
    return read_kb(args.kb), args.eval


def dump(result: dict) -> None:
    json.dump(result, sys.stdout, indent=1)
    print()
