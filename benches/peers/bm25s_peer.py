#!/usr/bin/env python3
"""Peer baseline: the vraagbaak knowledge base in bm25s with PyStemmer's Dutch stemmer.

Reads every article under KB/<category>/<id>.md, indexes title + questions + body (not
keywords, tags or other front matter), runs every message of the eval TSV through bm25s and
prints one JSON object with the same quality figures as `vraagbaak eval` (hit@1, hit@3,
MRR@5 over answerable rows) and per-query latency.

Each query is timed on its own with time.perf_counter around tokenize + retrieve (k=5), in
process, the same way `vraagbaak eval` times each suggestion.

Usage: bm25s_peer.py --kb DIR --eval FILE
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import platform
import sys
import time
import tomllib
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

K = 5
STOPWORDS = "nl"  # bm25s maps "nl" / "dutch" to its STOPWORDS_DUTCH list
DELIMITER = "+++"


def read_article(path: Path) -> tuple[str, str]:
    """Returns (id, text) for one article: id is the file stem, text is title + questions + body."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != DELIMITER:
        raise ValueError(f"{path}: does not start with a `+++` line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == DELIMITER)
    except StopIteration:
        raise ValueError(f"{path}: front matter is not closed with a `+++` line") from None
    front = tomllib.loads("\n".join(lines[1:end]))
    body = "\n".join(lines[end + 1 :])
    parts = [front.get("title", ""), *front.get("questions", []), body]
    return path.stem, "\n".join(parts)


def read_kb(kb: Path) -> tuple[list[str], list[str]]:
    """Articles sorted by path, like vraagbaak's loader: one level of category directories."""
    ids, texts = [], []
    for category in sorted(p for p in kb.iterdir() if p.is_dir()):
        for path in sorted(category.glob("*.md")):
            article_id, text = read_article(path)
            ids.append(article_id)
            texts.append(text)
    if not ids:
        raise SystemExit(f"no articles found under {kb}/<category>/*.md")
    return ids, texts


def read_cases(path: Path) -> list[tuple[str, list[str]]]:
    """Same rules as vraagbaak's eval reader: optional header, split on the last tab."""
    cases = []
    for index, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or (index == 0 and line.startswith("message\t")):
            continue
        if "\t" not in line:
            raise SystemExit(f"{path}:{index + 1}: expected `message<TAB>ids`")
        message, expected = line.rsplit("\t", 1)
        expected = expected.strip()
        ids = [] if expected == "-" else [i.strip() for i in expected.split(",") if i.strip()]
        cases.append((message, ids))
    return cases


def quantile(sorted_values: list[float], q: float) -> float:
    """Nearest rank on (n - 1) * q, as vraagbaak's eval does."""
    if not sorted_values:
        return 0.0
    return sorted_values[round((len(sorted_values) - 1) * q)]


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, required=True, help="knowledge-base directory")
    parser.add_argument("--eval", type=Path, required=True, help="eval TSV (message<TAB>ids)")
    args = parser.parse_args()

    ids, texts = read_kb(args.kb)
    cases = read_cases(args.eval)
    stemmer = Stemmer.Stemmer("dutch")

    def tokenize(texts_: list[str]) -> list[list[str]]:
        return bm25s.tokenize(
            texts_, stopwords=STOPWORDS, stemmer=stemmer, return_ids=False, show_progress=False
        )

    started = time.perf_counter()
    retriever = bm25s.BM25()  # defaults: method="lucene", k1=1.5, b=0.75
    retriever.index(tokenize(texts), show_progress=False)
    build_ms = (time.perf_counter() - started) * 1e3

    def search(message: str) -> list[str]:
        tokens = tokenize([message])
        if not any(t in retriever.vocab_dict for t in tokens[0]):
            return []  # nothing to match on; bm25s would rank arbitrarily
        docs, scores = retriever.retrieve(tokens, k=K, show_progress=False)
        return [ids[d] for d, s in zip(docs[0], scores[0]) if s > 0]

    for message, _ in cases[:20]:  # warm-up, not measured
        search(message)

    micros, ranks = [], []
    for message, expected in cases:
        started = time.perf_counter()
        ranked = search(message)
        micros.append((time.perf_counter() - started) * 1e6)
        if expected:
            rank = next((i + 1 for i, d in enumerate(ranked) if d in expected), None)
            ranks.append(rank)

    n = max(len(ranks), 1)
    micros.sort()
    result = {
        "system": "bm25s + PyStemmer (dutch)",
        "versions": {
            "python": platform.python_version(),
            "bm25s": version("bm25s"),
            "PyStemmer": version("PyStemmer"),
            "numpy": version("numpy"),
        },
        "settings": {"method": retriever.method, "k1": retriever.k1, "b": retriever.b,
                     "stopwords": STOPWORDS, "backend": retriever.backend, "k": K},
        "articles": len(ids),
        "answerable": len(ranks),
        "no_article": len(cases) - len(ranks),
        "hit_at_1": sum(r == 1 for r in ranks) / n,
        "hit_at_3": sum(r is not None and r <= 3 for r in ranks) / n,
        "mrr_at_5": sum(1 / r for r in ranks if r is not None) / n,
        "median_us": quantile(micros, 0.5),
        "p99_us": quantile(micros, 0.99),
        "build_ms": build_ms,
    }
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
