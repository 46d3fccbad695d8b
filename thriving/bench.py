"""Benchmark results, written by each bench command and printed together by
``manage.py bench_summary`` (``make bench``, docs/performance.md).

Each command writes ``var/bench/<benchmark>.json``: a list of measures, each with its
value, the target it is held to (if any) and whether it met it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class Measure:
    benchmark: str
    measure: str
    value: str
    target: str = ""
    ok: bool | None = None  # None: no target


def results_dir() -> Path:
    return Path(settings.BASE_DIR) / "var" / "bench"


def record(benchmark: str, measures: list[Measure]) -> Path:
    """Replace this benchmark's results file with ``measures``."""
    folder = results_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{benchmark}.json"
    path.write_text(json.dumps([asdict(m) for m in measures], indent=1))
    return path


def read_all(folder: Path | None = None) -> list[Measure]:
    measures: list[Measure] = []
    for path in sorted((folder or results_dir()).glob("*.json")):
        measures += [Measure(**row) for row in json.loads(path.read_text())]
    return measures


def summary_table(measures: list[Measure]) -> str:
    width = max([len(m.measure) for m in measures] + [20])
    header = f"{'benchmark':<15} {'measure':<{width}} {'value':>14} {'target':>12}  verdict"
    lines = [header, "-" * len(header)]
    for m in measures:
        verdict = "" if m.ok is None else ("met" if m.ok else "MISSED")
        lines.append(
            f"{m.benchmark:<15} {m.measure:<{width}} {m.value:>14} {m.target:>12}  {verdict}"
        )
    return "\n".join(lines)
