"""A small database function the dashboard needs, for PostgreSQL and SQLite alike."""

from __future__ import annotations

from typing import Any

from django.db.models import DateField, F, Func


class MonthsAfter(Func):
    """``date + N months`` as a date, clamped to the month's end on PostgreSQL.

    SQLite's ``date(d, '+N months')`` rolls an overflow into the next month instead
    (31 January + 1 month = 3 March); the dashboard's months are 3, 6 and 12, where
    only the 29th-31st of a few months differ by at most three days."""

    output_field = DateField()

    def __init__(self, expression: Any, months: int, **extra: Any) -> None:
        if not isinstance(months, int) or not 0 < months <= 120:
            raise ValueError("months must be a small positive integer")
        self.months = months
        super().__init__(F(expression) if isinstance(expression, str) else expression, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = f"(%(expressions)s + interval '{self.months} months')::date"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = f"date(%(expressions)s, '+{self.months} months')"
        return self.as_sql(compiler, connection, template=template, **extra)
