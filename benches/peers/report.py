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
    [--repeat-vraagbaak A2.json --repeat-vraagbaak B2.json ... --repeat-peer P2.json ...]
(one --vraagbaak per eval file, in the peers' file order). Repeated runs (`run.sh
--latency-runs N`) add a table of each system's per-query median and p99 over all its runs,
the first included: the median of the runs' medians and of their p99s, and the p99s' range.
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
    parser.add_argument("--repeat-vraagbaak", action="append", default=[],
                        help="vraagbaak eval --json of a later run (one per eval file, in order)")
    parser.add_argument("--repeat-peer", action="append", default=[],
                        help="a peer script's JSON of a later run")
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
    if args.repeat_vraagbaak or args.repeat_peer:
        print_latency_runs(vb_runs, peers, [load(p) for p in args.repeat_vraagbaak],
                           [load(p) for p in args.repeat_peer])


def vraagbaak_latency(vb: dict) -> tuple[float, float]:
    lat = vb["pipelines"][-1]["latency"]
    return lat["median_us"], lat["p99_us"]


def peer_latency(peer_set: dict) -> tuple[float, float]:
    return quantile(peer_set["micros"], 0.5), quantile(peer_set["micros"], 0.99)


def median(values: list[float]) -> float:
    """The middle value (the upper of the two middle ones for an even count)."""
    return sorted(values)[len(values) // 2]


def print_latency_runs(vb_runs: list[dict], peers: list[dict], vb_repeats: list[dict],
                       peer_repeats: list[dict]) -> None:
    """Per set and system: per-query median and p99 over the first run and the repeats."""
    sets = len(vb_runs)
    if len(vb_repeats) % sets:
        raise SystemExit(f"{len(vb_repeats)} repeated vraagbaak files for {sets} sets")
    # Per system: a list of runs, each a list of (median, p99) per set.
    systems: dict[str, list[list[tuple[float, float]]]] = {
        "vraagbaak": [[vraagbaak_latency(vb) for vb in vb_runs]]
        + [[vraagbaak_latency(vb) for vb in vb_repeats[r:r + sets]]
           for r in range(0, len(vb_repeats), sets)],
    }
    for peer in peers + peer_repeats:
        if len(peer["sets"]) != sets:
            raise SystemExit(f"{peer['system']}: {len(peer['sets'])} sets, vraagbaak {sets}")
        runs = systems.setdefault(peer["system"], [])
        runs.append([peer_latency(s) for s in peer["sets"]])
    print()
    print("**Latency over repeated runs** (each run a fresh process; median of the runs' "
          "figures, and the range of their p99s):")
    print()
    print("| set | system | runs | median µs/query | p99 µs/query | p99 range |")
    print("|---|---|---:|---:|---:|---|")
    for index, vb in enumerate(vb_runs):
        name = Path(vb["file"]).name
        for system, runs in systems.items():
            medians = [run[index][0] for run in runs]
            p99s = [run[index][1] for run in runs]
            print(f"| {name} | {system} | {len(runs)} | {median(medians):.0f} "
                  f"| {median(p99s):.0f} | {min(p99s):.0f}–{max(p99s):.0f} |")


if __name__ == "__main__":
    main()
