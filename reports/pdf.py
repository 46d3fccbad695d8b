"""HTML to tagged PDF with WeasyPrint, fetching nothing from anywhere but our static files.

Reports hold what people typed. Even escaped, the renderer must never become a way to
reach the network or the worker's disk, so the URL fetcher refuses every address that
is not one of the project's own static files (looked up through the staticfiles
finders, which refuse ``..``). Fonts come from the system (DejaVu, Liberation) through
fontconfig: nothing is downloaded at render time.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger("thriving.reports")

# Relative URLs in print templates resolve against this made-up origin; ``.invalid``
# can never resolve on any network (RFC 2606), and only its static path is served.
BASE_URL = "https://reports.invalid/"
PRINT_STYLESHEET = "reports/print.css"
PDF_VARIANT = "pdf/ua-1"


class FetchRefused(ValueError):
    """WeasyPrint logs a refused resource and renders without it."""


def static_file_for(url: str) -> Path | None:
    """The project static file ``url`` names, or None for anything else."""
    parts = urlsplit(url)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if (
        f"{parts.scheme}://{parts.netloc}/" != BASE_URL
        or not parts.path.startswith(prefix)
        or parts.query
    ):
        return None
    relative = unquote(parts.path[len(prefix) :])
    if not relative or relative.startswith("/") or "\\" in relative or "\x00" in relative:
        return None
    if any(segment in {"..", "."} for segment in relative.split("/")):
        return None
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if not found or isinstance(found, list):
        return None
    return Path(found)


class StaticOnlyFetcher(URLFetcher):
    """Serves the project's static files; refuses http(s), file:, data: and the rest."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        path = static_file_for(url)
        if path is None:
            logger.warning("report renderer refused to fetch %r", url[:200])
            raise FetchRefused(f"Only the project's static files may be used: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


@cache
def _fetcher() -> StaticOnlyFetcher:
    return StaticOnlyFetcher(allowed_protocols=["https"], allow_redirects=False)


_per_thread = threading.local()


def _font_config() -> FontConfiguration:
    """One fontconfig/Pango font map per thread, reused by every render in it.

    WeasyPrint otherwise builds a new one for each document, and with it Pango's font
    caches, which every render then fills again. Per thread, not per process: a Pango
    font map is not safe to share between threads, and without Redis reports render in
    the web server's request threads (a Celery prefork child has just one). The print
    stylesheet has no ``@font-face`` rule, so it holds nothing but system fonts."""
    config = getattr(_per_thread, "font_config", None)
    if config is None:
        config = _per_thread.font_config = FontConfiguration()
    return config


@cache
def _print_stylesheet() -> CSS:
    """Parsed once per worker process: reused by every render."""
    return CSS(
        url=BASE_URL + settings.STATIC_URL.strip("/") + "/" + PRINT_STYLESHEET,
        url_fetcher=_fetcher(),
    )


def html_to_pdf(html: str) -> bytes:
    """Letter pages, page numbers and typography come from the print stylesheet; the
    title and language from the document's ``<title>`` and ``<html lang>``."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher())
    return document.write_pdf(
        stylesheets=[_print_stylesheet()],
        pdf_variant=PDF_VARIANT,
        pdf_identifier=None,
        font_config=_font_config(),
    )
