"""``Server-Timing`` header with the time Django spent on a request (the load test reads it).

Off unless the ``SERVER_TIMING`` environment variable is on: the header tells any client
how long each page took, which the live service need not publish. First in the
middleware list, so the time covers every other middleware, the view and the template.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response
