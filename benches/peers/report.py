#!/usr/bin/env python3
"""Turns `vraagbaak eval --json` outputs and the peers' JSON into one Markdown table per set.

For each eval file (the first one is the tuning set, "dev") and each system it prints:
- hit@1 and hit@3 over the answerable rows (the same definition as `vraagbaak eval`);
- precision at vraagbaak's coverage: vraagbaak answers confidently a share C of the answerable
  rows correctly (its bot coverage). For a peer, the confidence of a message is the margin
  between its best and second-best article score; the threshold is the highest margin at which
  the peer's coverage (answerable rows answered, and right, over answerable rows) reaches C.
  Precision counts every answered row, and a `-` row answered is wrong;
- how many `-` rows each system answers at that threshold;
- a threshold fitted on the first file only (the lowest margin with precision >= 0.95 there),
  applied unchanged to every file: its precision, coverage and `-` rows answered. vraagbaak's
  counterpart is its configured `min_confidence`, which is also fixed before the run;
- per-query latency, median and p99 (nearest rank on (n - 1) * q, as vraagbaak's eval).

Usage: report.py --header TEXT --vraagbaak A.json [--vraagbaak B.json ...] --peer P.json ...
(one --vraagbaak per eval file, in the peers' file order).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

TARGET_PRECISION = 0.95


@dataclass
class Row:
    expected: list[str]
    ranked: list[str]
    confidence: float  # margin top1 - top2; -inf when the system suggests nothing

    @property
    def answerable(self) -> bool:
        return bool(self.expected)

    @property
    def right(self) -> bool:
        return bool(self.ranked) and self.ranked[0] in self.expected


@dataclass
class Operating:
    precision: float
    coverage: float
    no_article_answered: int
    reached: bool = True  # False when the peer cannot reach the requested coverage


def margin(scores: list[float]) -> float:
    if not scores:
        return -math.inf
    return scores[0] - (scores[1] if len(scores) > 1 else 0.0)


def rows_of(peer_set: dict) -> list[Row]:
    return [Row(r["expected"], r["ranked"], margin(r["scores"])) for r in peer_set["rows"]]


def at(rows: list[Row], threshold: float) -> Operating:
    answered = [r for r in rows if r.confidence >= threshold and r.ranked]
    right = sum(r.right for r in answered)
    answerable = sum(r.answerable for r in rows)
    return Operating(
        precision=right / len(answered) if answered else 0.0,
        coverage=right / answerable if answerable else 0.0,
        no_article_answered=sum(not r.answerable for r in answered),
    )


def thresholds(rows: list[Row]) -> list[float]:
    """Every distinct confidence, highest first: each is a point on the precision/coverage curve."""
    return sorted({r.confidence for r in rows if r.confidence > -math.inf}, reverse=True)


def at_coverage(rows: list[Row], coverage: float) -> Operating:
    candidates = thresholds(rows)
    for t in candidates:
        point = at(rows, t)
        if point.coverage >= coverage - 1e-9:
            return point
    lowest = at(rows, candidates[-1]) if candidates else Operating(0.0, 0.0, 0)
    lowest.reached = False
    return lowest


def threshold_for_precision(rows: list[Row], precision: float) -> float:
    """The lowest threshold whose answered rows reach `precision` (inf when none does)."""
    reaching = [t for t in thresholds(rows) if at(rows, t).precision >= precision]
    return min(reaching) if reaching else math.inf


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[round((len(ordered) - 1) * q)] if ordered else 0.0


def hits(rows: list[Row], n: int) -> float:
    answerable = [r for r in rows if r.answerable]
    found = sum(any(i in r.expected for i in r.ranked[:n]) for r in answerable)
    return found / len(answerable) if answerable else 0.0


def load(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError) as err:
        raise SystemExit(f"{path}: cannot read JSON: {err}") from None


def fmt_point(p: Operating) -> str:
    note = "" if p.reached else " (max)"
    return f"{p.precision:.3f} | {p.coverage:.3f}{note} | {p.no_article_answered}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--header", default="", help="text printed above the tables")
    parser.add_argument("--vraagbaak", action="append", required=True, help="vraagbaak eval --json")
    parser.add_argument("--peer", action="append", required=True, help="a peer script's JSON")
    args = parser.parse_args()

    vb_runs = [load(p) for p in args.vraagbaak]
    peers = [load(p) for p in args.peer]
    for peer in peers:
        if len(peer["sets"]) != len(vb_runs):
            raise SystemExit(f"{peer['system']}: {len(peer['sets'])} sets, "
                             f"vraagbaak {len(vb_runs)}")

    fitted = {}  # peer system -> margin threshold fitted on the first set
    for peer in peers:
        fitted[peer["system"]] = threshold_for_precision(rows_of(peer["sets"][0]), TARGET_PRECISION)

    print(args.header)
    for peer in peers:
        versions = ", ".join(f"{name} {v}" for name, v in peer["versions"].items())
        print(f"{peer['system']}: {versions}  ")
    dev_name = Path(vb_runs[0]["file"]).name
    for index, vb in enumerate(vb_runs):
        full = vb["pipelines"][-1]
        fig, lat = full["figures"], full["latency"]
        print()
        print(f"**{Path(vb['file']).name}**: {fig['answerable']} answerable rows, "
              f"{fig['no_article']} `-` rows. vraagbaak's bot coverage here is "
              f"{fig['bot_coverage']:.3f}; the peers are measured at that coverage.")
        print()
        print("| System | hit@1 | hit@3 | precision at vraagbaak's coverage | coverage | `-` answered "
              f"| precision, threshold from {dev_name} | coverage | `-` answered "
              "| median µs/query | p99 µs/query |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        own = (f"{fig['bot_precision']:.3f} | {fig['bot_coverage']:.3f} "
               f"| {fig['no_article_confident']}")
        print(f"| vraagbaak ({full['pipeline']}, min_confidence {vb['threshold']:.2f}) "
              f"| {fig['hit_at_1']:.3f} | {fig['hit_at_3']:.3f} | {own} | {own} "
              f"| {lat['median_us']:.0f} | {lat['p99_us']:.0f} |")
        for peer in peers:
            peer_set = peer["sets"][index]
            if Path(peer_set["file"]).resolve() != Path(vb["file"]).resolve():
                raise SystemExit(f"{peer['system']}: set {index} is {peer_set['file']}, "
                                 f"vraagbaak's is {vb['file']}")
            rows = rows_of(peer_set)
            same = at_coverage(rows, fig["bot_coverage"])
            dev = at(rows, fitted[peer["system"]])
            print(f"| {peer['system']} | {hits(rows, 1):.3f} | {hits(rows, 3):.3f} "
                  f"| {fmt_point(same)} | {fmt_point(dev)} "
                  f"| {quantile(peer_set['micros'], 0.5):.0f} "
                  f"| {quantile(peer_set['micros'], 0.99):.0f} |")
    print()
    print("Peer confidence = margin between the best and second-best article score. "
          "Margin thresholds fitted on " + dev_name + " for precision "
          f"{TARGET_PRECISION}: "
          + ", ".join(f"{name} {t:.4g}" for name, t in fitted.items())
          + ". \"(max)\": the peer never reaches vraagbaak's coverage; shown at its lowest threshold.")
    for peer in peers:
        print(f"{peer['system']}: {peer['settings']}; index/embedding build {peer['build_ms']:.0f} ms.  ",
              file=sys.stdout)


if __name__ == "__main__":
    main()
