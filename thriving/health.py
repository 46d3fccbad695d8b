"""/healthz: is the database reachable, and the broker? /ping: is Django answering at all?"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "down"; the reason goes to the log, not the client
        logger.exception("health check: database unreachable")
        return "down"
    return "ok"


def broker_status() -> str:
    if not settings.REDIS_URL:
        return "in-process"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1
        )
        client.ping()
    except redis.RedisError:
        logger.warning("health check: broker unreachable")
        return "down"
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """503 when the database is down; a broker outage is reported but does not fail it,
    because the app keeps serving pages and re-dispatches jobs when the broker returns."""
    database = database_status()
    broker = broker_status()
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database, "broker": broker}, status=status)


@never_cache
@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """The most trivial page Django serves through the whole middleware stack (no database,
    no template): the load test's yardstick for every other page's throughput."""
    return HttpResponse("pong", content_type="text/plain; charset=utf-8")
