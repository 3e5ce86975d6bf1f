"""Run a benchmark several times and print the median of every figure (this machine's noise is ±2× run to run).

    python -m bench.median --runs 3 bench.queue --db URL

Each run is a fresh process (`python -m MODULE ARGS --json`); numbers nested in the JSON (e.g. `peer`) get
their median too, and `runs` lists every run's figures beside it.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from typing import Any


def median_of(values: list[Any]) -> Any:
    if all(isinstance(v, dict) for v in values):
        keys = [k for k in values[0] if all(k in v for v in values)]
        return {k: median_of([v[k] for v in values]) for k in keys}
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(numbers) == len(values) and numbers:
        return round(statistics.median(numbers), 2)
    return values[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("module")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    runs = []
    for number in range(options.runs):
        done = subprocess.run([sys.executable, "-m", options.module, *options.args, "--json"], check=True,
                              capture_output=True, text=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"run {number + 1}/{options.runs} done", file=sys.stderr, flush=True)
    print(json.dumps({"median": median_of(runs), "runs": runs}))


if __name__ == "__main__":
    main()
