"""Celery tasks of the framework: re-packing the seekers' match vectors after a publish."""

from __future__ import annotations

import logging

from celery import shared_task
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

logger = logging.getLogger("thriving.matching")


@shared_task(
    name="factors.refresh_match_vectors",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=240,
    time_limit=280,
    ignore_result=True,
)
def refresh_match_vectors() -> int:
    """Re-pack every vector not current for the published version. Safe to run twice: a
    second run finds nothing stale (and never overwrites a current vector)."""
    from factors.matching import refresh_stale_match_vectors

    return refresh_stale_match_vectors()


def match_vectors_refresh_dispatch() -> bool:
    """Enqueue the re-pack (``transaction.on_commit`` after a publish). With the broker
    down nothing is lost: ranking re-packs the stale vectors it reads, and
    ``manage.py rebuild_match_vectors`` re-packs everyone."""
    try:
        refresh_match_vectors.apply_async()
    except (BrokerError, RedisError, ConnectionError, TimeoutError):
        logger.warning("broker unreachable: match vectors will be re-packed by ranking")
        return False
    return True
