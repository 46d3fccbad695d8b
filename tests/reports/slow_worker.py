"""The Celery app for the reliability tests' worker processes: the project's app plus
one test-only report kind whose render is slow, so a test can kill a worker while a
render is certainly in progress. Production code never imports this module.

Started by test_reliability.py as ``celery -A tests.reports.slow_worker worker``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thriving.settings")
django.setup()

from reports.kinds import SeekerProfileReport  # noqa: E402
from reports.models import Report  # noqa: E402
from reports.registry import register  # noqa: E402
from thriving.celery import app  # noqa: E402

__all__ = ["app"]


@register
class SlowProfileReport(SeekerProfileReport):
    """The seeker profile, after a pause; leaves a marker naming the attempt and pid."""

    kind = "test_slow_profile"

    def context(self, *, report: Report) -> dict[str, Any]:
        markers = Path(os.environ["REPORTS_TEST_MARKERS"])
        attempt = Report.objects.filter(pk=report.pk).values_list("attempts", flat=True).get()
        (markers / f"{report.pk}.{attempt}.{os.getpid()}").touch()
        time.sleep(float(os.environ.get("REPORTS_TEST_RENDER_SECONDS", "1.5")))
        return super().context(report=report)
