"""Demo data for matching, called from ``accounts.demo.demo_seed`` after the employers' roles.

Harbourview Café (employer@example.org) is left alone: its journey (finishing the offer,
adding and publishing a role) is tried live. Matching is shown on Cabot Trail Outfitters
(employer2@example.org), whose roles are published with a full offer: each demo role gets a
few needs of its own (must-have skills), one complete seeker of the demo practitioner's
caseload has accepted an invitation for "Kayak guide" (the employer sees that one by name,
besides seeker2@example.org who already shares with the business), seeker@example.org has an
invitation waiting, and the practitioner has a shortlisted and an introduced pair.
Safe to run again: nothing is added where a pair or a role need already exists.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from employers.models import JobRole, Organisation, RoleNeed, RoleStatus
from factors.models import FrameworkVersion, Item
from matches import services
from matches.models import Pair, PairOrigin, PairStatus
from seekers.models import Seeker
from seekers.selectors import shares_with_practitioner

BUSINESS = "Cabot Trail Outfitters"
ROLE = "Kayak guide"
LIVE_SEEKER = "seeker@example.org"
PRACTITIONER = "practitioner@example.org"
# What every published demo role needs of its own, on the NeedLevel scale (3 = must have).
ROLE_NEEDS = {"skills_competencies": (3, 2), "productivity_engagement": (2,)}


def _role_needs(version: FrameworkVersion) -> None:
    """A few needs of each published demo role's own, where it has none yet."""
    offers = list(
        Item.objects.filter(factor__version=version, retired=False, direction="worker_offers")
        .select_related("factor")
        .order_by("factor__order", "order", "pk")
    )
    roles = JobRole.objects.filter(
        status=RoleStatus.PUBLISHED, organisation__members__user__email__endswith="@example.org"
    ).exclude(needs__isnull=False)
    for role in roles.distinct():
        rows = []
        for key, levels in ROLE_NEEDS.items():
            items = [i for i in offers if i.factor.key == key]
            rows += [
                RoleNeed(role=role, item=item, level=level)
                for item, level in zip(items, levels, strict=False)
            ]
        RoleNeed.objects.bulk_create(rows)


def _complete_seekers(version: FrameworkVersion, practitioner_email: str) -> list[Seeker]:
    """Demo seekers of the practitioner's caseload who answered every current item and
    share their answers with their practitioner."""
    total = Item.objects.filter(factor__version=version, retired=False).count()
    seekers = (
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
    return [s for s in seekers if shares_with_practitioner(seeker=s)]


@transaction.atomic
def matches_demo(*, version: FrameworkVersion) -> None:
    _role_needs(version)
    role = (
        JobRole.objects.filter(organisation__name=BUSINESS, title=ROLE, status=RoleStatus.PUBLISHED)
        .select_related("organisation")
        .first()
    )
    if role is None or Pair.objects.filter(role=role).exists():
        return
    organisation: Organisation = role.organisation
    complete = _complete_seekers(version, PRACTITIONER)
    if complete:
        # One seeker accepted the outfitters' invitation: the employer sees them by name.
        services.pair_invite(organisation=organisation, seeker=complete[0], role=role)
        services.pair_accept(seeker=complete[0], role=role)
    owner = complete[0].practitioner if complete else None
    if len(complete) > 1 and owner is not None:
        services.pair_shortlist(seeker=complete[1], role=role, by=owner)
    if len(complete) > 2 and owner is not None:
        pair = services.pair_shortlist(seeker=complete[2], role=role, by=owner)
        services.pair_introduce(pair=pair, by=owner)
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
