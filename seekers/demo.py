"""Demo data for the seeker journey: consents, mindset checks, reflections, examples, history.

Called from ``accounts.demo.demo_seed`` after the demo people and their answers
exist. Safe to run again: each kind of record is added only where the seeker
has none, so nothing someone did while trying the demo is overwritten.

``seeker@example.org`` has agreed to the data use but has not done the mindset
check and has four activities to go, so the whole journey can be shown live.
``seeker2@example.org`` has everything: two mindset checks, a saved profile in
history and one employer allowed to see the profile.
"""

from __future__ import annotations

import datetime
import random
import uuid

from django.db import transaction
from django.utils import timezone

from employers.models import Organisation
from factors.models import FrameworkVersion
from factors.scales import Direction
from seekers import selectors, services
from seekers.models import (
    Answer,
    ConsentKind,
    EmployerConsentSource,
    MindsetOccasion,
    MindsetResponse,
    MindsetRound,
    ProfileSnapshot,
    Reflection,
    Seeker,
)

LIVE_DEMO_EMAIL = "seeker@example.org"
COMPLETE_DEMO_EMAIL = "seeker2@example.org"
SHARED_WITH_BUSINESS = "Cabot Trail Outfitters"

REFLECTIONS = {
    "en": {
        "values": "Volunteering at the food bank. People thanked us and I knew the work mattered.",
        "culture": "My last crew always had my back when the orders piled up.",
        "work_arrangements": "I need to be home when the school bus comes at 3:30.",
        "skills_competencies": "I fixed the walk-in cooler at the diner when no one else could.",
        "productivity_engagement": "I like busy days, as long as I know what comes first.",
        "pay_benefits": "A dental plan would matter more to me than a dollar more an hour.",
    },
    "fr": {
        "values": "Le bénévolat à la banque alimentaire : les gens nous remerciaient.",
        "culture": "Mon ancienne équipe m'aidait toujours quand les commandes s'accumulaient.",
        "work_arrangements": "Je dois être à la maison quand l'autobus scolaire arrive à 15 h 30.",
        "skills_competencies": "J'ai réparé la chambre froide du restaurant.",
        "productivity_engagement": "J'aime les journées occupées si je sais quoi faire en premier.",
        "pay_benefits": "Une assurance dentaire compte plus pour moi qu'un dollar de plus.",
    },
}
EXAMPLES = {
    "en": [
        "Two summers serving at a busy café on the waterfront",
        "Coached the under-10 soccer team for three seasons",
        "Kept the till balanced every night at the corner store",
        "Helped my uncle fix boat engines in Arichat",
        "Translated for newcomer families at the library",
    ],
    "fr": [
        "Deux étés au service dans un café achalandé du port",
        "Entraîneur de l'équipe de soccer des moins de 10 ans",
        "Caisse balancée chaque soir au dépanneur",
        "Réparation de moteurs de bateau avec mon oncle à Arichat",
        "Interprète pour des familles nouvellement arrivées à la bibliothèque",
    ],
}


def _consents(seeker: Seeker, rng: random.Random) -> None:
    if seeker.consents.exists():
        return
    services.consent_give(seeker=seeker, kind=ConsentKind.DATA_USE)
    if seeker.user.email != LIVE_DEMO_EMAIL and rng.random() < 0.8:
        services.consent_give(seeker=seeker, kind=ConsentKind.PRACTITIONER)


def _complete_factor_keys(seeker: Seeker, version: FrameworkVersion) -> list[str]:
    progress = selectors.seeker_progress(seeker=seeker, version=version)
    return [p.factor.key for p in progress if p.complete]


def _reflections(seeker: Seeker, version: FrameworkVersion, keys: list[str]) -> None:
    if seeker.reflections.exists():
        return
    texts = REFLECTIONS["fr" if seeker.user.language == "fr" else "en"]
    Reflection.objects.bulk_create(
        Reflection(seeker=seeker, factor=factor, text=texts[factor.key])
        for factor in version.factors.filter(key__in=keys[:3])
    )


def _examples(seeker: Seeker, rng: random.Random) -> None:
    if seeker.answers.exclude(example="").exists():
        return
    examples = EXAMPLES["fr" if seeker.user.language == "fr" else "en"]
    offers = list(
        seeker.answers.filter(item__direction=Direction.WORKER_OFFERS, level__gte=2).order_by(
            "item__order"
        )[:3]
    )
    for answer in offers:
        answer.example = rng.choice(examples)
    Answer.objects.bulk_update(offers, ["example"])


def _mindset_round(
    seeker: Seeker,
    version: FrameworkVersion,
    rng: random.Random,
    *,
    occasion: str,
    days_ago: int,
    openness: int,
) -> None:
    """``openness`` 1 (narrow) to 5 (open): how the person answers, with some noise."""
    round_ = MindsetRound.objects.create(
        seeker=seeker,
        version=version,
        occasion=occasion,
        token=uuid.uuid4(),
        answered_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    rows = []
    for prompt in selectors.mindset_prompts(version=version):
        wide = max(1, min(5, openness + rng.choice([-1, 0, 0, 1])))
        rows.append(
            MindsetResponse(
                round=round_, prompt=prompt, agreement=6 - wide if prompt.limiting else wide
            )
        )
    MindsetResponse.objects.bulk_create(rows)


def _mindset(seeker: Seeker, version: FrameworkVersion, rng: random.Random, done: int) -> None:
    if seeker.user.email == LIVE_DEMO_EMAIL or done < 2 or seeker.mindset_rounds.exists():
        return
    _mindset_round(seeker, version, rng, occasion=MindsetOccasion.INTAKE, days_ago=60, openness=2)
    if seeker.user.email == COMPLETE_DEMO_EMAIL or done == 6:
        _mindset_round(
            seeker, version, rng, occasion=MindsetOccasion.RETAKE, days_ago=5, openness=4
        )


def _history(seeker: Seeker, version: FrameworkVersion) -> None:
    """An earlier saved profile for the complete demo seeker, with a few answers different."""
    if seeker.snapshots.exists():
        return
    summary = selectors.profile_summary(seeker=seeker, version=version)
    if not summary.complete:
        return
    data = summary.snapshot
    for index, answer in enumerate(data["answers"].values()):
        if index % 7 == 0:
            answer["level"] = (answer["level"] + 2) % 4
            answer["dealbreaker"] = False
    snapshot = ProfileSnapshot.objects.create(seeker=seeker, version=version, data=data)
    ProfileSnapshot.objects.filter(pk=snapshot.pk).update(
        taken_at=timezone.now() - datetime.timedelta(days=45)
    )


def _employer_sharing(seeker: Seeker) -> None:
    organisation = Organisation.objects.filter(name=SHARED_WITH_BUSINESS).first()
    if organisation is None or seeker.employer_consents.exists():
        return
    services.consent_grant_employer(
        seeker=seeker, organisation=organisation, source=EmployerConsentSource.PRACTITIONER
    )


@transaction.atomic
def seed_seeker_journeys(*, version: FrameworkVersion) -> None:
    rng = random.Random(20261127)  # noqa: S311 - repeatable demo data, not security
    seekers = Seeker.objects.filter(
        user__email__endswith="@example.org", erased_at__isnull=True
    ).select_related("user")
    for seeker in seekers.order_by("user__email"):
        _consents(seeker, rng)
        keys = _complete_factor_keys(seeker, version)
        _reflections(seeker, version, keys)
        _examples(seeker, rng)
        _mindset(seeker, version, rng, len(keys))
        if seeker.user.email == COMPLETE_DEMO_EMAIL:
            _history(seeker, version)
            _employer_sharing(seeker)
