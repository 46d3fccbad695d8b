"""Demo data for trying the service: realistic, safe to run again and again.

Every object is found by a natural key (email, business name) before it is
created, and answers are only added where none exist, so a second run changes
nothing and never overwrites what someone did while trying the demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from accounts.models import Office, Role, User
from employers.demo import employers_demo
from employers.models import Member, OfferAnswer, Organisation
from factors.completion import organisations_completion_sync
from factors.delivery import DeliveryMethod
from factors.matching import rebuild_match_vectors
from factors.models import FrameworkVersion, Item
from factors.scales import FactorKey
from factors.selectors import current_version
from matches.demo import matches_demo
from outcomes.demo import outcomes_demo
from practitioners.demo import demo_seed_practitioners
from seekers.demo import seed_seeker_journeys
from seekers.models import Answer, Seeker

DEMO_PASSWORD = "thriving-demo"  # noqa: S105 - documented demo password, refused in production

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chantal",
    "Dylan",
    "Émilie",
    "Farid",
    "Grace",
    "Hiro",
    "Isabelle",
    "Jamal",
    "Kateri",
    "Liam",
    "Maya",
    "Noah",
    "Olivia",
    "Pierre",
    "Quinn",
    "Rania",
    "Samuel",
    "Tanya",
    "Umar",
    "Valérie",
    "Wei",
    "Xavier",
    "Yasmin",
    "Zoe",
    "André",
    "Brianna",
    "Connor",
    "Delphine",
]
LAST_NAMES = [
    "MacDonald",
    "LeBlanc",
    "Paul",
    "Ahmed",
    "Boudreau",
    "Chen",
    "Gillis",
    "Francis",
    "Haddad",
    "MacNeil",
    "Doucet",
    "Singh",
    "Fraser",
    "Comeau",
    "Nguyen",
    "MacLean",
    "Okafor",
    "Muise",
]


@dataclass(frozen=True)
class DemoBusiness:
    email: str
    person: str
    name: str
    sector: str
    region: str
    size: str


BUSINESSES = [
    DemoBusiness(
        "employer@example.org", "Sam Gillis", "Harbourview Café", "food_service", "halifax", "5-19"
    ),
    DemoBusiness(
        "employer2@example.org",
        "Marie Arsenault",
        "Cabot Trail Outfitters",
        "tourism",
        "cape_breton",
        "1-4",
    ),
    DemoBusiness(
        "demo-employer-3@example.org",
        "Ravi Patel",
        "Bluenose Care Home",
        "care",
        "halifax",
        "20-49",
    ),
    DemoBusiness(
        "demo-employer-4@example.org",
        "Colleen Boutilier",
        "South Shore Seafoods",
        "fisheries",
        "south_shore",
        "50-99",
    ),
    DemoBusiness(
        "demo-employer-5@example.org",
        "Tom Chiasson",
        "Chéticamp Hardware",
        "retail",
        "cape_breton",
        "5-19",
    ),
    DemoBusiness(
        "demo-employer-6@example.org",
        "Nadia Haddad",
        "Valley Electric Ltd.",
        "trades",
        "valley",
        "5-19",
    ),
]


def _user(
    email: str, *, full_name: str, role: str, office: Office | None = None, language: str = "en"
) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, full_name=full_name, role=role, office=office, language=language
        )
    return user


def _answer_seeker(
    seeker: Seeker, items: list[Item], rng: random.Random, factors: set[str]
) -> None:
    if seeker.answers.exists():
        return
    rows = []
    for item in items:
        if item.factor.key not in factors:
            continue
        level = rng.choices([0, 1, 2, 3], weights=[1, 3, 4, 2])[0]
        rows.append(
            Answer(
                seeker=seeker,
                item=item,
                level=level,
                dealbreaker=item.is_need and level == 3 and rng.random() < 0.25,
            )
        )
    Answer.objects.bulk_create(rows)


def _answer_organisation(
    org: Organisation, items: list[Item], rng: random.Random, pay_heavy: bool
) -> None:
    if org.answers.exists():
        return
    rows = []
    for item in items:
        if item.is_need:
            weights = (
                [5, 2, 1] if pay_heavy and item.factor.key != FactorKey.PAY_BENEFITS else [2, 2, 4]
            )
            level = rng.choices([0, 1, 2], weights=weights)[0]
        else:
            level = rng.choices([0, 1, 2, 3], weights=[1, 3, 4, 2])[0]
        rows.append(OfferAnswer(organisation=org, item=item, level=level))
    OfferAnswer.objects.bulk_create(rows)


@transaction.atomic
def demo_seed(*, extra_seekers: int = 30) -> dict[str, int]:
    """Create the demo cast and their data. Returns counts for the command to print."""
    version: FrameworkVersion | None = current_version()
    if version is None:
        raise RuntimeError("No published framework version: run migrations first.")
    items = list(
        Item.objects.filter(factor__version=version, retired=False).select_related("factor")
    )
    rng = random.Random(20261126)  # noqa: S311 - repeatable demo data, not security

    halifax, _ = Office.objects.get_or_create(
        name="Nova Scotia Works — Halifax", defaults={"region": "Halifax"}
    )
    sydney, _ = Office.objects.get_or_create(
        name="Nova Scotia Works — Sydney", defaults={"region": "Cape Breton"}
    )
    admin = _user("admin@example.org", full_name="Alex Morrison", role=Role.ADMIN, office=halifax)
    if not admin.is_staff:
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    practitioner = _user(
        "practitioner@example.org",
        full_name="Jordan Cormier",
        role=Role.PRACTITIONER,
        office=halifax,
    )
    practitioner2 = _user(
        "practitioner2@example.org",
        full_name="Louise Thibodeau",
        role=Role.PRACTITIONER,
        office=sydney,
        language="fr",
    )

    seekers = [
        (
            "seeker@example.org",
            "Casey Fraser",
            halifax,
            practitioner,
            "en",
            {FactorKey.VALUES, FactorKey.WORK_ARRANGEMENTS},
        ),
        (
            "seeker2@example.org",
            "Mathieu Boudreau",
            sydney,
            practitioner2,
            "fr",
            set(FactorKey.values),
        ),
    ]
    for n in range(extra_seekers):
        first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[n % len(LAST_NAMES)]
        office, owner = (halifax, practitioner) if n % 2 == 0 else (sydney, practitioner2)
        done = set(rng.sample(list(FactorKey.values), k=rng.choice([0, 2, 4, 6, 6, 6])))
        seekers.append(
            (
                f"demo-seeker-{n + 1:02d}@example.org",
                f"{first} {last}",
                office,
                owner,
                "fr" if n % 5 == 0 else "en",
                done,
            )
        )
    for index, (email, name, office, owner, language, done) in enumerate(seekers):
        user = _user(email, full_name=name, role=Role.SEEKER, language=language)
        seeker, _ = Seeker.objects.get_or_create(
            user=user,
            defaults={
                "office": office,
                "practitioner": owner,
                "delivery_method": list(DeliveryMethod.values)[index % 3],
            },
        )
        _answer_seeker(seeker, items, rng, done)

    for index, spec in enumerate(BUSINESSES):
        office, owner = (
            (halifax, practitioner) if spec.region != "cape_breton" else (sydney, practitioner2)
        )
        user = _user(spec.email, full_name=spec.person, role=Role.EMPLOYER)
        org = Organisation.objects.filter(name=spec.name).first()
        if org is None:
            org = Organisation.objects.create(
                name=spec.name,
                sector=spec.sector,
                region=spec.region,
                size=spec.size,
                office=office,
                practitioner=owner,
                delivery_method=list(DeliveryMethod.values)[index % 3],
            )
        Member.objects.get_or_create(user=user, defaults={"organisation": org, "is_owner": True})
        if spec.email != "employer@example.org":
            _answer_organisation(org, items, rng, pay_heavy=index % 2 == 1)

    employers_demo(version=version)
    seed_seeker_journeys(version=version)
    demo_seed_practitioners()
    outcomes_demo()
    matches_demo(version=version)
    rebuild_match_vectors()  # answers above are bulk-inserted: pack them (matching, dashboard)
    # The offer answers were bulk-inserted too: record which businesses finished (dashboard).
    organisations_completion_sync()
    return {
        "seekers": Seeker.objects.count(),
        "organisations": Organisation.objects.count(),
        "practitioners": User.objects.filter(role=Role.PRACTITIONER).count(),
    }
