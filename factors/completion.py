"""Whether a person has finished the activities, kept as a date on their record.

The program dashboard counts job seekers and businesses who answered every active item of
the current framework version. Deriving that at query time meant unpacking 70,000 answer
vectors and grouping 370,000 offer answers on every computation, so the answer is stored
(``Seeker.activities_completed_at``, ``Organisation.activities_completed_at``) and kept
current in the same transaction as every write that can change it:

- a job seeker's: whenever their packed answers are stored (``factors.matching._store``:
  every answer write, the rebuild, the re-pack after a publish);
- a business's: whenever offer answers are saved or carried forward (``employers.services``);
- everyone's is cleared when a version is published (its items have no answers yet; the
  seekers' vectors are re-packed in the background and set it again where complete).

The date is when the person was first seen complete since they last were not; it stays
while they remain complete. Bulk inserts that bypass those paths (demo data, benchmarks)
call the ``*_sync`` functions afterwards.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Count, Exists, Func, IntegerField, OuterRef, QuerySet
from django.utils import timezone

from employers.models import OfferAnswer, Organisation
from factors.models import FrameworkVersion, Item
from factors.selectors import current_version
from seekers.models import Seeker, SeekerVector

# Which people to bring up to date: ids, a ``values("pk")`` queryset, or None for everyone.
People = Collection[int] | QuerySet[Any] | None


class FirstMissingLevel(Func):
    """Where the first unanswered item (-1, byte 0xFF) sits in a packed seeker vector's
    level half (``factors.ranking``: levels, then deal-breaker flags); 0 when none is
    missing, i.e. every activity is complete."""

    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = (
            "position('\\xff'::bytea in substring(%(expressions)s from 1 "
            "for length(%(expressions)s) / 2))"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "instr(substr(%(expressions)s, 1, length(%(expressions)s) / 2), x'ff')"
        return self.as_sql(compiler, connection, template=template, **extra)


def _set_and_clear(people: QuerySet[Any], complete: Any) -> None:
    """Two UPDATEs: stamp those now complete that were not, clear those no longer complete.
    A person complete before and still complete keeps their date."""
    people.filter(activities_completed_at__isnull=True).filter(complete).update(
        activities_completed_at=timezone.now()
    )
    people.filter(activities_completed_at__isnull=False).exclude(complete).update(
        activities_completed_at=None
    )


def seekers_completion_sync(
    *, seekers: People = None, version: FrameworkVersion | None = None
) -> None:
    """Set or clear ``Seeker.activities_completed_at`` from the stored answer vectors: a
    seeker has finished when their vector is of the current version (``version``, looked
    up when not given) with no unanswered item. Called in the transaction that stored the
    vectors."""
    version = version or current_version()
    people = Seeker.objects.order_by()
    if seekers is not None:
        people = people.filter(pk__in=seekers)
    if version is None:
        people.filter(activities_completed_at__isnull=False).update(activities_completed_at=None)
        return
    finished = (
        SeekerVector.objects.filter(seeker=OuterRef("pk"), version=version)
        .alias(missing_at=FirstMissingLevel("data"))
        .filter(missing_at=0)
    )
    _set_and_clear(people, Exists(finished))


def organisations_completion_sync(*, organisations: People = None) -> None:
    """Set or clear ``Organisation.activities_completed_at``: a business has finished when
    it has an offer answer for every active item of the current version."""
    version = current_version()
    people = Organisation.objects.order_by()
    if organisations is not None:
        people = people.filter(pk__in=organisations)
    items = Item.objects.filter(factor__version=version, retired=False)
    total = items.count() if version is not None else 0
    if total == 0:
        people.filter(activities_completed_at__isnull=False).update(activities_completed_at=None)
        return
    answered_all = (
        OfferAnswer.objects.filter(item__in=items, organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .filter(n__gte=total)
    )
    _set_and_clear(people, Exists(answered_all))


def completion_clear_all() -> None:
    """A new version is published: nobody has answered its items yet (seekers' vectors
    are re-packed afterwards and their dates set again where their answers carry over)."""
    Seeker.objects.filter(activities_completed_at__isnull=False).update(
        activities_completed_at=None
    )
    Organisation.objects.filter(activities_completed_at__isnull=False).update(
        activities_completed_at=None
    )
