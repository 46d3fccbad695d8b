"""The settings that keep jobs from being lost, pinned: change one and a test says why.

Celery's defaults lose jobs (acknowledged on receipt, prefetching several, Redis
handing a slow job to a second worker after an hour or never), so each of these
values is part of the "never lost" design in docs/reports.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from reports.pipeline import heartbeat_stale_after
from reports.tasks import cleanup_reports, render_report, sweep_reports
from thriving.celery import app

ROOT = Path(__file__).resolve().parents[2]


def test_a_message_is_acknowledged_only_after_its_job_and_requeued_if_the_worker_dies():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_acks_on_failure_or_timeout is True  # failures live on the report row
    assert conf.worker_prefetch_multiplier == 1
    assert conf.worker_cancel_long_running_tasks_on_connection_loss is True
    assert render_report.acks_late is True and render_report.reject_on_worker_lost is True


def test_every_task_has_soft_and_hard_time_limits():
    assert (app.conf.task_soft_time_limit, app.conf.task_time_limit) == (60, 90)
    assert (render_report.soft_time_limit, render_report.time_limit) == (60, 90)
    for task in (sweep_reports, cleanup_reports):
        assert 0 < task.soft_time_limit < task.time_limit


def test_redis_visibility_timeout_outlasts_any_job_and_any_retry_countdown():
    broker = app.conf.broker_transport_options
    backend = app.conf.result_backend_transport_options
    assert broker["visibility_timeout"] == backend["visibility_timeout"] == 300
    longest_hold = app.conf.task_time_limit + settings.REPORTS_RETRY_BACKOFF_MAX + 1  # + jitter
    assert broker["visibility_timeout"] > longest_hold
    # A worker that finds another one still rendering waits past the heartbeat, unacked.
    assert broker["visibility_timeout"] > heartbeat_stale_after().total_seconds() + 1


def test_a_lost_job_comes_back_within_minutes():
    broker = app.conf.broker_transport_options
    scan_every = broker["unacked_restore_interval"] * broker["unacked_restore_throttle"]
    assert scan_every == 30
    assert broker["visibility_timeout"] + scan_every <= 6 * 60  # via Redis: under 6 minutes
    # Via the beat sweeper: four missed heartbeats, then the next sweep.
    assert heartbeat_stale_after().total_seconds() == 20
    assert heartbeat_stale_after().total_seconds() + settings.REPORTS_SWEEP_SECONDS <= 90


def test_retries_back_off_exponentially_up_to_a_bound():
    assert settings.REPORTS_RETRY_BACKOFF == 5 and settings.REPORTS_RETRY_BACKOFF_MAX == 60
    assert settings.REPORTS_MAX_ATTEMPTS == 4


def test_publishing_gives_up_quickly_when_the_broker_is_down():
    policy = app.conf.task_publish_retry_policy
    waits = [
        min(policy["interval_start"] + n * policy["interval_step"], policy["interval_max"])
        for n in range(policy["max_retries"])
    ]
    assert sum(waits) <= 1
    options = app.conf.broker_transport_options
    assert options["socket_connect_timeout"] <= 3 and options["socket_timeout"] <= 10


def test_beat_runs_the_sweeper_every_minute_and_the_cleanup_hourly():
    schedule = app.conf.beat_schedule
    assert schedule["reports-sweep"]["task"] == sweep_reports.name == "reports.sweep"
    assert schedule["reports-sweep"]["schedule"] == 60.0
    assert schedule["reports-cleanup"]["task"] == cleanup_reports.name == "reports.cleanup"
    assert schedule["reports-cleanup"]["schedule"] == 3600.0
    assert {"reports.sweep", "reports.cleanup", "reports.render"} <= set(app.tasks)


def test_nothing_depends_on_the_result_backend():
    assert app.conf.result_backend is None and app.conf.task_ignore_result is True


def _settings_value(expression: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}}
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", f"import thriving.settings as s; print(*[{expression}])"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_embedded_default_renders_in_process_and_redis_switches_to_workers():
    embedded = _settings_value("s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL")
    assert embedded.stdout.strip() == "True memory://", embedded.stderr
    real = _settings_value(
        "s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL", REDIS_URL="redis://redis:6379/0"
    )
    assert real.stdout.strip() == "False redis://redis:6379/0", real.stderr


def test_a_visibility_timeout_shorter_than_a_job_is_refused_at_start():
    result = _settings_value("1", CELERY_VISIBILITY_TIMEOUT="100")
    assert result.returncode != 0 and "CELERY_VISIBILITY_TIMEOUT" in result.stderr


def test_production_redis_keeps_its_queue_and_never_evicts_it():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "--appendonly yes" in compose and "--maxmemory-policy noeviction" in compose
    assert "celery -A thriving worker" in compose and "--prefetch-multiplier=1" in compose
    assert "celery -A thriving beat" in compose
