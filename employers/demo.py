"""Demo data for the employer journey, called from ``accounts.demo.demo_seed``.

Harbourview Café (employer@example.org) gets a partly done offer that leans on pay, so the
whole journey — finishing the activities, seeing the builder's suggestions, adopting one,
adding a role and writing its posting — can be tried live. The other demo businesses get
two mindset rounds (to show change), and two published roles each, with postings.
Safe to run again: nothing is added where something already exists.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from employers import services
from employers.models import (
    JobPosting,
    JobRole,
    MindsetAnswer,
    MindsetRound,
    OfferAnswer,
    Organisation,
    PayPeriod,
    RoleOfferOverride,
)
from employers.postings import posting_draft
from employers.selectors import employer_prompts, role_factors
from factors.models import FrameworkVersion, Item
from factors.scales import OfferLevel

HARBOURVIEW = "Harbourview Café"
# Pay & benefits strong, values thin, everything else not started yet.
HARBOURVIEW_ANSWERS = {
    "pay-fair-wage": 2,
    "pay-on-time": 2,
    "pay-raises": 2,
    "pay-health-dental": 2,
    "pay-retirement": 0,
    "pay-sick-days": 2,
    "pay-appointments": 1,
    "pay-recognition": 0,
    "pay-meals": 2,
    "pay-discounts": 2,
    "pay-transit-gas": 0,
    "pay-training-paid": 0,
    "pay-flexible-timing": 2,
    "values-fair-treatment": 1,
    "values-purpose": 0,
    "values-honesty": 1,
    "values-keeps-word": 0,
    "values-family": 0,
}
HARBOURVIEW_EXAMPLES = {"pay-meals": "A free meal on every shift of five hours or more."}


@dataclass(frozen=True)
class DemoRole:
    business: str
    title: str
    duties: str
    hours: int
    location: str
    pay_min: str
    pay_max: str
    period: str = PayPeriod.HOUR
    not_offered: tuple[str, ...] = ()
    language: str = "en"


ROLES = [
    DemoRole(
        "Cabot Trail Outfitters",
        "Kayak guide",
        "Lead small groups on half-day paddles and keep everyone safe on the water.",
        40,
        "Ingonish",
        "19.00",
        "23.00",
        not_offered=("arrange-remote-hybrid", "arrange-part-time"),
    ),
    DemoRole(
        "Cabot Trail Outfitters",
        "Guide de kayak bilingue",
        "Accompagner des petits groupes en français et en anglais.",
        32,
        "Chéticamp",
        "19.50",
        "23.50",
        not_offered=("arrange-remote-hybrid",),
        language="fr",
    ),
    DemoRole(
        "Bluenose Care Home",
        "Continuing care assistant",
        "Help residents with daily care, meals and activities.",
        37,
        "Dartmouth",
        "21.00",
        "24.50",
        not_offered=("arrange-remote-hybrid",),
    ),
    DemoRole(
        "Bluenose Care Home",
        "Dietary aide",
        "Prepare and serve meals, and keep the kitchen clean.",
        30,
        "Dartmouth",
        "17.00",
        "19.00",
        not_offered=("arrange-remote-hybrid",),
    ),
    DemoRole(
        "South Shore Seafoods",
        "Plant worker",
        "Sort, pack and label seafood on the processing line.",
        40,
        "Lunenburg",
        "17.00",
        "19.50",
        not_offered=("arrange-remote-hybrid", "arrange-flexible-start"),
    ),
    DemoRole(
        "South Shore Seafoods",
        "Forklift operator",
        "Move product safely between the plant, the freezer and the wharf.",
        40,
        "Lunenburg",
        "20.00",
        "23.00",
        not_offered=("arrange-remote-hybrid",),
    ),
    DemoRole(
        "Chéticamp Hardware",
        "Store clerk",
        "Help customers find what they need and run the till.",
        30,
        "Chéticamp",
        "16.50",
        "18.00",
        not_offered=("arrange-remote-hybrid",),
    ),
    DemoRole(
        "Chéticamp Hardware",
        "Delivery driver",
        "Deliver lumber and supplies to homes and job sites.",
        35,
        "Chéticamp",
        "18.00",
        "20.00",
        not_offered=("arrange-remote-hybrid",),
    ),
    DemoRole(
        "Valley Electric Ltd.",
        "Electrician apprentice",
        "Work beside a journeyperson on homes and farms across the Valley.",
        40,
        "Kentville",
        "18.00",
        "24.00",
        not_offered=("arrange-remote-hybrid",),
    ),
    DemoRole(
        "Valley Electric Ltd.",
        "Office coordinator",
        "Book jobs, send invoices and keep the crews' schedule.",
        35,
        "Kentville",
        "45000",
        "52000",
        period=PayPeriod.YEAR,
    ),
]


def _harbourview_offer(organisation: Organisation, items: dict[str, Item]) -> None:
    if organisation.answers.exists():
        return
    owner = organisation.members.filter(is_owner=True).select_related("user").first()
    OfferAnswer.objects.bulk_create(
        OfferAnswer(
            organisation=organisation,
            item=items[code],
            level=level,
            example=HARBOURVIEW_EXAMPLES.get(code, ""),
            answered_by=owner.user if owner else None,
        )
        for code, level in HARBOURVIEW_ANSWERS.items()
        if code in items
    )


def _mindset_rounds(organisation: Organisation, version: FrameworkVersion, index: int) -> None:
    """Two rounds three months apart; the second a little less pay-only than the first."""
    if organisation.mindset_rounds.exists():
        return
    prompts = employer_prompts(version=version)
    now = timezone.now()
    for number, when in enumerate((now - timedelta(days=90), now)):
        mindset_round = MindsetRound.objects.create(
            organisation=organisation, version=version, token=_token(organisation, number)
        )
        MindsetRound.objects.filter(pk=mindset_round.pk).update(created_at=when)
        MindsetAnswer.objects.bulk_create(
            MindsetAnswer(
                round=mindset_round,
                prompt=prompt,
                agreement=_agreement(prompt.limiting, later=number == 1, seed=index + n),
            )
            for n, prompt in enumerate(prompts)
        )


def _token(organisation: Organisation, number: int) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"thriving-demo/mindset/{organisation.name}/{number}")


def _agreement(limiting: bool, *, later: bool, seed: int) -> int:
    base = 4 if limiting else 2
    shift = (-1 if limiting else 1) if later and seed % 2 == 0 else 0
    return max(1, min(5, base + shift))


def _role(spec: DemoRole, organisation: Organisation, items: dict[str, Item]) -> None:
    role = JobRole.objects.filter(organisation=organisation, title=spec.title).first()
    if role is not None:
        return
    owner = organisation.members.filter(is_owner=True).select_related("user").first()
    if owner is None:
        return
    role = JobRole.objects.create(
        organisation=organisation,
        title=spec.title,
        duties=spec.duties,
        hours_per_week=spec.hours,
        location=spec.location,
        region=organisation.region,
        pay_min=Decimal(spec.pay_min),
        pay_max=Decimal(spec.pay_max),
        pay_period=spec.period,
        created_by=owner.user,
    )
    RoleOfferOverride.objects.bulk_create(
        RoleOfferOverride(role=role, item=items[code], level=OfferLevel.NOT_OFFERED)
        for code in spec.not_offered
        if code in items
    )
    if not JobPosting.objects.filter(role=role).exists():
        text = posting_draft(role=role, factors=role_factors(role=role), language=spec.language)
        services.posting_save(role=role, text=text, language=spec.language, by=owner.user)
    services.role_publish(role=role, by=owner.user)


@transaction.atomic
def employers_demo(*, version: FrameworkVersion) -> None:
    """Add the employer side of the demo on top of the businesses ``demo_seed`` created."""
    items = {
        item.code: item
        for item in Item.objects.filter(factor__version=version, retired=False).select_related(
            "factor"
        )
    }
    names = {HARBOURVIEW, *(spec.business for spec in ROLES)}
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    harbourview = organisations.get(HARBOURVIEW)
    if harbourview is not None:
        _harbourview_offer(harbourview, items)
    for index, name in enumerate(sorted(organisations)):
        if name != HARBOURVIEW:
            _mindset_rounds(organisations[name], version, index)
    for spec in ROLES:
        organisation = organisations.get(spec.business)
        if organisation is not None:
            _role(spec, organisation, items)
