#!/usr/bin/env python3
"""Peer baseline: the vraagbaak knowledge base in bm25s with PyStemmer's Dutch stemmer.

One document per article: title + questions + keywords + body (not tags or other front
matter). Runs every message of each eval TSV through bm25s (k=5) and prints one JSON object
with, per file, every row's ranked ids and scores and every query's time in µs. report.py
turns that into figures.

Usage: bm25s_peer.py --kb DIR --eval FILE [--eval FILE ...]
"""

from __future__ import annotations

import platform
import time
from pathlib import Path

import bm25s
import Stemmer

from peerlib import K, dump, parse_args, run_set, version

STOPWORDS = "nl"  # bm25s maps "nl" / "dutch" to its STOPWORDS_DUTCH list


def main() -> None:
    articles, eval_files = parse_args(__doc__)
    ids = [a.id for a in articles]
    texts = ["\n".join([a.title, *a.questions, *a.keywords, a.body]) for a in articles]
    stemmer = Stemmer.Stemmer("dutch")

    def tokenize(texts_: list[str]) -> list[list[str]]:
        return bm25s.tokenize(
            texts_, stopwords=STOPWORDS, stemmer=stemmer, return_ids=False, show_progress=False
        )

    started = time.perf_counter()
    retriever = bm25s.BM25()  # defaults: method="lucene", k1=1.5, b=0.75
    retriever.index(tokenize(texts), show_progress=False)
    build_ms = (time.perf_counter() - started) * 1e3

    def search(message: str) -> list[tuple[str, float]]:
        tokens = tokenize([message])
        if not any(t in retriever.vocab_dict for t in tokens[0]):
            return []  # nothing to match on; bm25s would rank arbitrarily
        docs, scores = retriever.retrieve(tokens, k=K, show_progress=False)
        return [(ids[d], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]

    dump({
        "system": "bm25s + PyStemmer (dutch)",
        "versions": {
            "python": platform.python_version(),
            "bm25s": version("bm25s"),
            "PyStemmer": version("PyStemmer"),
            "numpy": version("numpy"),
        },
        "settings": f"BM25 {retriever.method} k1={retriever.k1} b={retriever.b}, "
                    f"Dutch stopwords, title + questions + keywords + body",
        "articles": len(ids),
        "build_ms": build_ms,
        "sets": [run_set(search, path) for path in eval_files],
    })


if __name__ == "__main__":
    main()
