"""Fixtures for the matching tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def eager_tasks():
    """Celery runs tasks in-process, as on the embedded default (no broker needed)."""
    from thriving.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
