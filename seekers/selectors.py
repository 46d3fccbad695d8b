"""Reads of a seeker's own record."""

from __future__ import annotations

from django.db.models import Q

from factors.models import FrameworkVersion
from factors.progress import FactorProgress, progress_by_factor
from seekers.models import Seeker


def seeker_progress(*, seeker: Seeker, version: FrameworkVersion) -> list[FactorProgress]:
    return progress_by_factor(
        version=version,
        answer_relation="seeker_answers",
        owner_filter=Q(items__seeker_answers__seeker=seeker),
    )
