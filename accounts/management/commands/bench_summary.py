"""One table of every benchmark's results, after ``make bench`` ran them (thriving.bench)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from thriving.bench import read_all, results_dir, summary_table

EXPECTED = ("bench_reports", "bench_matching", "bench_dashboard", "loadtest")


class Command(BaseCommand):
    help = "Print the results the bench commands wrote to var/bench/ as one table."

    def handle(self, *args: Any, **options: Any) -> None:
        measures = read_all()
        ran = {m.benchmark for m in measures}
        self.stdout.write("\nSummary (var/bench/*.json):")
        if measures:
            self.stdout.write(summary_table(measures))
        for name in EXPECTED:
            if name not in ran:
                self.stdout.write(f"{name}: no results in {results_dir()} (not run, or failed).")
        missed = [m for m in measures if m.ok is False]
        self.stdout.write(
            f"{len(missed)} of {sum(m.ok is not None for m in measures)} targets missed."
        )
