"""Celery tasks of matching: ranking an employer's candidates again when the minute is up."""

from __future__ import annotations

import logging

from celery import shared_task
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

logger = logging.getLogger("thriving.matching")


@shared_task(
    name="matches.rerank_page",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
    ignore_result=True,
)
def rerank_page(role_id: int, keep_as: str, page: int) -> bool:
    """Rank one kept page again (``matches.selectors._ranked_page``). Receives ids only;
    safe to run twice (the second ranks again and keeps the same kind of page)."""
    from matches.selectors import rerank_kept_page

    return rerank_kept_page(role_id=role_id, keep_as=keep_as, page=page)


def rerank_page_dispatch(*, role_id: int, keep_as: str, page: int) -> bool:
    """Enqueue the re-rank; False when the broker is unreachable (the caller ranks)."""
    try:
        rerank_page.apply_async(args=(role_id, keep_as, page))
    except (BrokerError, RedisError, ConnectionError, TimeoutError):
        logger.warning("broker unreachable: the ranked page is re-ranked in the request")
        return False
    return True
