"""The dashboard's figures as the page shows them: kept in the cache, renewed in the background.

Computing the figures costs 0.3-0.5 s of database time (1.5-6 s under load). The page
never waits for that when a copy exists (stale-while-revalidate):

- a copy younger than ``FRESH_SECONDS``, of today, is shown as it is;
- an older one (or one of yesterday, or one that new data has overtaken: a new person,
  placement or follow-up answer, noticed by ``_fingerprint``, once the copy is older than
  ``NOTICE_SECONDS``) is still shown, with its time and a note that new figures are on
  their way, and one background job (``outcomes.dashboard_refresh``) is asked to recompute;
- only when there is no copy at all (an empty cache: the first visit after a deploy, or
  filters nobody asked for in the last ``KEEP_FILTERED_SECONDS``) does the request compute.

Celery beat recomputes the figures without filters every four minutes
(``outcomes-dashboard`` in ``CELERY_BEAT_SCHEDULE``), before they reach ``FRESH_SECONDS``,
so with the worker running nobody waits for them and nobody sees them older than that.
The page always says when its figures were computed, so an old copy never passes for a
new one.

Kept per language and filters; the figures are aggregates for admins only (the same for
every admin), so one admin's copy may be shown to another.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from outcomes.dashboard.build import Dashboard, dashboard_figures, dashboard_tables
from outcomes.dashboard.filters import DashboardFilter

logger = logging.getLogger("thriving.outcomes")

FRESH_SECONDS = 300  # a copy this young is shown without asking for a new one
NOTICE_SECONDS = 60  # new data makes a copy older than this due (at most one job a minute)
KEEP_DEFAULT_SECONDS = 7 * 24 * 3600  # the copy without filters: shown while renewing
KEEP_FILTERED_SECONDS = 3600  # a filtered copy nobody looked at for an hour is dropped
ASKED_SECONDS = 120  # a recompute asked for is not asked again for this long
COMPUTING_SECONDS = 100  # a worker's claim on a computation (longer than the time limit)


@dataclass(frozen=True)
class Kept:
    board: Dashboard
    fingerprint: str


@dataclass(frozen=True)
class Shown:
    """What the page shows: the figures, and whether newer ones are being computed."""

    board: Dashboard
    refreshing: bool


def _fingerprint() -> str:
    """Cheap signs that the data moved (four index look-ups in one statement): the highest
    seeker, business and placement id and the latest follow-up answer."""
    from employers.models import Organisation
    from outcomes.models import FollowUp
    from practitioners.models import Placement
    from seekers.models import Seeker

    # Only the models' table names go into the text: nothing from a request.
    parts = [
        f"(SELECT MAX(id) FROM {Seeker._meta.db_table})",  # noqa: S608
        f"(SELECT MAX(id) FROM {Organisation._meta.db_table})",  # noqa: S608
        f"(SELECT MAX(id) FROM {Placement._meta.db_table})",  # noqa: S608
        f"(SELECT MAX(answered_at) FROM {FollowUp._meta.db_table})",  # noqa: S608
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return "|".join(str(part) for part in row)


def _filters_key(filters: DashboardFilter) -> str:
    return hashlib.sha256(repr(filters).encode()).hexdigest()[:32]


def _key(filters: DashboardFilter, language: str) -> str:
    return f"outcomes:dashboard:v2:{language}:{_filters_key(filters)}"


def _asked_key(filters: DashboardFilter) -> str:
    return f"outcomes:dashboard:v2:asked:{_filters_key(filters)}"


def computing_key(filters: DashboardFilter) -> str:
    return f"outcomes:dashboard:v2:computing:{_filters_key(filters)}"


def _keep_seconds(filters: DashboardFilter) -> int:
    return KEEP_DEFAULT_SECONDS if filters == DashboardFilter() else KEEP_FILTERED_SECONDS


def _due(kept: Kept, *, today: datetime.date, fingerprint: str) -> bool:
    age = (timezone.now() - kept.board.computed_at).total_seconds()
    if kept.board.today != today or age >= FRESH_SECONDS:
        return True
    return kept.fingerprint != fingerprint and age >= NOTICE_SECONDS


def dashboard_for_page(*, filters: DashboardFilter, today: datetime.date) -> Shown:
    """The kept figures in the active language; asks for new ones when they are due."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    fingerprint = _fingerprint()
    kept: Kept | None = cache.get(_key(filters, language))
    if kept is None:
        # No copy at all: compute here (this language only) and keep it.
        return Shown(_compute_and_keep(filters, today, fingerprint, [language])[language], False)
    if not _due(kept, today=today, fingerprint=fingerprint):
        return Shown(kept.board, False)
    _ask_for_refresh(filters)
    return Shown(kept.board, True)


def _ask_for_refresh(filters: DashboardFilter) -> None:
    """Enqueue one recompute for these filters; the many requests that find the same copy
    due within ``ASKED_SECONDS`` do not enqueue again. A broker that is down never fails
    the page: the copy is shown and the next request after ``ASKED_SECONDS`` asks again."""
    from outcomes.tasks import dashboard_refresh

    if not cache.add(_asked_key(filters), 1, ASKED_SECONDS):
        return
    try:
        dashboard_refresh.apply_async(
            kwargs={"params": filters.as_params(), "asked_at": timezone.now().timestamp()},
            expires=ASKED_SECONDS,
        )
    except Exception:  # any broker failure: show the kept copy, ask again later
        logger.warning("dashboard refresh not enqueued; the kept figures are shown")
        cache.delete(_asked_key(filters))


def _compute_and_keep(
    filters: DashboardFilter, today: datetime.date, fingerprint: str, languages: list[str]
) -> dict[str, Dashboard]:
    """Read the figures once, build and keep them in each language. A copy is replaced only
    by a complete new one, so a computation that fails or dies leaves the old copy."""
    figures = dashboard_figures(filters=filters, today=today)
    boards = {}
    for language in languages:
        with translation.override(language):
            boards[language] = dashboard_tables(figures)
    cache.set_many(
        {_key(filters, lang): Kept(board, fingerprint) for lang, board in boards.items()},
        _keep_seconds(filters),
    )
    return boards


def dashboard_refresh_now(*, filters: DashboardFilter, asked_at: float | None = None) -> bool:
    """Recompute and keep the figures for ``filters`` in every language, unless a copy
    newer than ``asked_at`` (a timestamp) and the current data is already kept. The caller
    holds the computing claim (``computing_key``). True when it computed."""
    fingerprint = _fingerprint()
    today = timezone.localdate()
    if asked_at is not None:
        kept: Kept | None = cache.get(_key(filters, settings.LANGUAGE_CODE))
        if (
            kept is not None
            and kept.board.computed_at.timestamp() >= asked_at
            and kept.fingerprint == fingerprint
            and kept.board.today == today
        ):
            return False
    _compute_and_keep(filters, today, fingerprint, [code for code, _name in settings.LANGUAGES])
    return True


def refresh_done(filters: DashboardFilter) -> None:
    """Let requests ask again as soon as new figures are kept (or a computation failed)."""
    cache.delete_many([computing_key(filters), _asked_key(filters)])
