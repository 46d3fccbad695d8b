"""Demo data for matching, called from ``accounts.demo.demo_seed`` after the employers' roles.

Harbourview Café (employer@example.org) gets a published "Barista" role whose offer and
needs are set on the role itself, so its candidates are comparable while the café's own
offer stays half done for the live employer journey. One complete demo seeker of the demo
practitioner's caseload has accepted an invitation (the employer sees that one by name),
seeker@example.org has an invitation waiting, and the practitioner has a shortlisted and
an introduced pair. Safe to run again: nothing is added where a pair already exists.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from employers import services as employer_services
from employers.models import JobPosting, JobRole, Organisation, RoleNeed, RoleOfferOverride
from employers.postings import posting_draft
from employers.selectors import role_factors
from factors.models import FrameworkVersion, Item
from matches import services
from matches.models import Pair, PairOrigin, PairStatus
from seekers.models import Seeker
from seekers.selectors import shares_with_practitioner

HARBOURVIEW = "Harbourview Café"
BARISTA = "Barista"
LIVE_SEEKER = "seeker@example.org"
PRACTITIONER = "practitioner@example.org"


def _barista(organisation: Organisation, items: list[Item]) -> JobRole | None:
    role = JobRole.objects.filter(organisation=organisation, title=BARISTA).first()
    if role is not None:
        return role
    owner = organisation.members.filter(is_owner=True).select_related("user").first()
    if owner is None:
        return None
    role = JobRole.objects.create(
        organisation=organisation,
        title=BARISTA,
        duties="Make coffee and serve breakfast to regulars and visitors on the waterfront.",
        hours_per_week=30,
        location="Lower Water Street, Halifax",
        region=organisation.region,
        pay_min=Decimal("17.00"),
        pay_max=Decimal("19.50"),
        created_by=owner.user,
    )
    # Offers: most things offered, some "could offer", a few not (a deal-breaker for some).
    RoleOfferOverride.objects.bulk_create(
        RoleOfferOverride(role=role, item=item, level=(2, 2, 1, 2, 0)[index % 5])
        for index, item in enumerate(i for i in items if i.is_need)
    )
    # Needs: a few must-haves, mostly "helpful".
    RoleNeed.objects.bulk_create(
        RoleNeed(role=role, item=item, level=(3, 1, 2, 1)[index % 4])
        for index, item in enumerate(i for i in items if not i.is_need)
    )
    if not JobPosting.objects.filter(role=role).exists():
        text = posting_draft(role=role, factors=role_factors(role=role), language="en")
        employer_services.posting_save(role=role, text=text, language="en", by=owner.user)
    employer_services.role_publish(role=role, by=owner.user)
    return role


def _complete_seekers(version: FrameworkVersion, practitioner_email: str) -> list[Seeker]:
    """Demo seekers of the practitioner's caseload who answered every current item."""
    total = Item.objects.filter(factor__version=version, retired=False).count()
    return list(
        Seeker.objects.filter(
            practitioner__email=practitioner_email,
            user__email__startswith="demo-seeker-",
            erased_at__isnull=True,
        )
        .annotate(
            answered=Count(
                "answers",
                filter=Q(answers__item__factor__version=version, answers__item__retired=False),
            )
        )
        .filter(answered=total)
        .select_related("user")
        .order_by("user__email")
    )


@transaction.atomic
def matches_demo(*, version: FrameworkVersion) -> None:
    items = list(
        Item.objects.filter(factor__version=version, retired=False)
        .select_related("factor")
        .order_by("factor__order", "order", "pk")
    )
    harbourview = Organisation.objects.filter(name=HARBOURVIEW).first()
    if harbourview is None:
        return
    role = _barista(harbourview, items)
    if role is None or Pair.objects.filter(role=role).exists():
        return
    complete = [
        s for s in _complete_seekers(version, PRACTITIONER) if shares_with_practitioner(seeker=s)
    ]
    if complete:
        # One seeker accepted the café's invitation: the employer sees them by name.
        services.pair_invite(organisation=harbourview, seeker=complete[0], role=role)
        services.pair_accept(seeker=complete[0], role=role)
    practitioner = harbourview.practitioner
    if len(complete) > 1 and practitioner is not None:
        services.pair_shortlist(seeker=complete[1], role=role, by=practitioner)
    if len(complete) > 2 and practitioner is not None:
        pair = services.pair_shortlist(seeker=complete[2], role=role, by=practitioner)
        services.pair_introduce(pair=pair, by=practitioner)
    live = Seeker.objects.filter(user__email=LIVE_SEEKER).first()
    if live is not None:
        Pair.objects.get_or_create(
            seeker=live,
            role=role,
            defaults={
                "status": PairStatus.INVITED,
                "origin": PairOrigin.EMPLOYER,
                "invited_at": timezone.now(),
            },
        )
