"""python manage.py seed_demo — the demo accounts and data (password: thriving-demo)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.demo import demo_seed


class Command(BaseCommand):
    help = "Create demo accounts and data. Safe to run again. Refused when DEBUG is off."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never in production).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like production, where demo accounts with a known "
                "password must not exist. Use --force if you really mean it."
            )
        counts = demo_seed()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo ready: {seekers} job seekers, {organisations} employers, "
                "{practitioners} practitioners. Password for every demo account: "
                "thriving-demo".format(**counts)
            )
        )
