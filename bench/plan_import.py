"""Plan import accuracy: the parser against the corpus of plans with expected JSON.

Parses every plan of tests/campaigns/corpus (pasted text and .docx: provinces, wards and
communes after the 2025 reform, Party committees, a department, a city, a Front committee;
contest, anniversary and yearly plans) and scores each field the expected JSON names
(tests/campaigns/plan_corpus.py says how). Baseline, in the same run: the score an empty
parse gets (fields expected to be empty or null count as right), so the figure shows what
the parser adds. Also times the parse. Target: mean score ≥ 0.9, held-out plans included.

    .venv/bin/python bench/plan_import.py [--quick] [--verbose]

quick parses each plan once (full: 20 times, for the timing). --verbose lists, on stderr, every
field scoring below 1. stdout gets exactly one line of JSON at the end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from _common import log  # bench/ is the script directory

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

TARGET = 0.9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    from tests.campaigns.plan_corpus import (
        HELD_OUT,
        corpus_files,
        expected_of,
        read_plan,
        score_fields,
    )

    from thidua.campaigns.parsing import ParsedPlan, parse_plan

    repeat = 1 if args.quick else 20
    files: dict[str, float] = {}
    baseline: dict[str, float] = {}
    times: list[float] = []
    for path in corpus_files():
        text, expected = read_plan(path), expected_of(path)
        started = time.perf_counter()
        for _ in range(repeat):
            parsed = parse_plan(text).to_json()
        times.append((time.perf_counter() - started) / repeat * 1000)
        fields = score_fields(expected, parsed)
        files[path.name] = round(statistics.mean(fields.values()), 3)
        baseline[path.name] = statistics.mean(
            score_fields(expected, ParsedPlan().to_json()).values()
        )
        log(f"{path.name}: {files[path.name]:.3f}")
        if args.verbose:
            for name, value in fields.items():
                if value < 1:
                    log(
                        f"    {name}: {value:.2f}  expected {expected[name]!r}  got {parsed.get(name)!r}"
                    )
    mean = round(statistics.mean(files.values()), 3)
    held_out = [v for k, v in files.items() if k.startswith(HELD_OUT)]
    print(
        json.dumps(
            {
                "bench": "plan_import",
                "plans": len(files),
                "files": files,
                "mean": mean,
                "held_out_mean": round(statistics.mean(held_out), 3) if held_out else None,
                "baseline_mean": round(statistics.mean(baseline.values()), 3),
                "parse_ms_mean": round(statistics.mean(times), 2),
                "parse_ms_max": round(max(times), 2),
                "target": TARGET,
                "meets_target": mean >= TARGET,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
