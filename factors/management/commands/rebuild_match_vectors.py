"""Re-pack every seeker's answers for fast ranking (after a publish, or to repair)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from factors.matching import rebuild_match_vectors


class Command(BaseCommand):
    help = "Rebuild every job seeker's packed match vector for the current framework version."

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_match_vectors()
        self.stdout.write(f"Rebuilt {count} match vectors.")
