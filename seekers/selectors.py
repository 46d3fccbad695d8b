"""Reads of a seeker's own record: progress, consent, mindset, profile, history.

Every function takes the seeker (already fetched through the viewer) and reads
only that seeker's rows. Query counts do not depend on how many answers or
history entries there are; tests assert it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from employers.models import Organisation
from factors.models import Factor, FrameworkVersion, Item, MindsetPrompt
from factors.progress import FactorProgress, progress_by_factor
from factors.scales import Side
from factors.selectors import current_version, factors_with_items
from seekers import profile
from seekers.models import (
    CONSENT_WORDING_VERSION,
    Answer,
    Consent,
    ConsentKind,
    EmployerConsent,
    ErasureRequest,
    ErasureStatus,
    MindsetResponse,
    MindsetRound,
    ProfileSnapshot,
    Reflection,
    Seeker,
)


def seeker_progress(*, seeker: Seeker, version: FrameworkVersion) -> list[FactorProgress]:
    return progress_by_factor(version=version, answers=Answer.objects.filter(seeker=seeker))


# --- consent ------------------------------------------------------------------------


def has_data_consent(*, seeker: Seeker) -> bool:
    """True when the seeker agreed to the current wording and has not withdrawn."""
    return seeker.consents.filter(
        kind=ConsentKind.DATA_USE,
        wording_version=CONSENT_WORDING_VERSION,
        withdrawn_at__isnull=True,
    ).exists()


def shares_with_practitioner(*, seeker: Seeker) -> bool:
    """Whether the seeker's practitioner may read their answers and profile."""
    return (
        seeker.erased_at is None
        and seeker.consents.filter(
            kind=ConsentKind.PRACTITIONER, withdrawn_at__isnull=True
        ).exists()
    )


def _active_employer_consents(now: datetime.datetime) -> Q:
    return Q(withdrawn_at__isnull=True, expires_at__gt=now)


def employer_may_see(*, organisation: Organisation, seeker: Seeker) -> bool:
    """The one question the matching and employer pages ask before showing a seeker.

    Active means not withdrawn and not expired; an anonymised seeker is never shown.
    """
    return (
        seeker.erased_at is None
        and EmployerConsent.objects.filter(
            _active_employer_consents(timezone.now()), seeker=seeker, organisation=organisation
        ).exists()
    )


def seekers_visible_to_employer(*, organisation: Organisation) -> QuerySet[Seeker]:
    """Seekers who currently let this organisation see their profile (for lists)."""
    active = EmployerConsent.objects.filter(
        _active_employer_consents(timezone.now()), organisation=organisation
    )
    return Seeker.objects.filter(erased_at__isnull=True, pk__in=active.values("seeker_id"))


@dataclass(frozen=True)
class ConsentState:
    """What the seeker has agreed to, for the profile page and the data export."""

    data_use: Consent | None
    practitioner: Consent | None
    employers: list[EmployerConsent]
    now: datetime.datetime

    @property
    def data_use_current(self) -> bool:
        return self.data_use is not None and self.data_use.wording_version == (
            CONSENT_WORDING_VERSION
        )

    @property
    def active_employers(self) -> list[EmployerConsent]:
        return [c for c in self.employers if c.is_active(self.now)]

    @property
    def past_employers(self) -> list[EmployerConsent]:
        return [c for c in self.employers if not c.is_active(self.now)]


def consent_state(*, seeker: Seeker) -> ConsentState:
    active = {c.kind: c for c in seeker.consents.filter(withdrawn_at__isnull=True).order_by("kind")}
    employers = list(seeker.employer_consents.select_related("organisation"))
    return ConsentState(
        data_use=active.get(ConsentKind.DATA_USE),
        practitioner=active.get(ConsentKind.PRACTITIONER),
        employers=employers,
        now=timezone.now(),
    )


# --- the activity ---------------------------------------------------------------------


def activity_answers(*, seeker: Seeker, factor: Factor) -> dict[int, Answer]:
    """The seeker's answers to this factor's items, by item id (one query)."""
    return {a.item_id: a for a in seeker.answers.filter(item__factor=factor)}


def activity_reflection(*, seeker: Seeker, factor: Factor) -> Reflection | None:
    return seeker.reflections.filter(factor=factor).first()


def next_unfinished(
    *, progress: list[FactorProgress], after_key: str | None = None
) -> FactorProgress | None:
    """The next activity still to finish, looking forward from ``after_key`` and wrapping."""
    keys = [p.factor.key for p in progress]
    start = keys.index(after_key) + 1 if after_key in keys else 0
    for p in progress[start:] + progress[:start]:
        if not p.complete and p.factor.key != after_key:
            return p
    return None


# --- mindset --------------------------------------------------------------------------


def mindset_prompts(*, version: FrameworkVersion) -> list[MindsetPrompt]:
    """The prompts a job seeker answers, in framework order (one query)."""
    return list(
        MindsetPrompt.objects.filter(factor__version=version, side=Side.WORKER, retired=False)
        .select_related("factor")
        .order_by("factor__order", "order", "pk")
    )


def mindset_rounds(*, seeker: Seeker) -> list[MindsetRound]:
    return list(seeker.mindset_rounds.order_by("answered_at", "pk"))


def mindset_snapshot(*, seeker: Seeker) -> profile.MindsetSnapshot:
    """The latest check, each prompt compared with the first check (three queries at most)."""
    rounds = list(seeker.mindset_rounds.order_by("answered_at", "pk").only("pk", "answered_at"))
    if not rounds:
        return profile.MindsetSnapshot(rounds=0, first_at=None, latest_at=None)
    first, latest = rounds[0], rounds[-1]
    responses = list(
        MindsetResponse.objects.filter(round__in={first.pk, latest.pk})
        .select_related("prompt__factor")
        .order_by("prompt__factor__order", "prompt__order", "prompt__pk")
    )
    earlier = {
        str(r.prompt.identity): r.agreement
        for r in responses
        if r.round_id == first.pk and first.pk != latest.pk
    }
    lines = tuple(
        profile.MindsetLine(
            identity=str(r.prompt.identity),
            factor_name=str(r.prompt.factor.name),
            text=str(r.prompt.text),
            limiting=r.prompt.limiting,
            latest=r.agreement,
            latest_text=profile.agreement_text(r.agreement),
            first=earlier.get(str(r.prompt.identity)),
            first_text=profile.agreement_text(earlier.get(str(r.prompt.identity))),
            note=r.note,
        )
        for r in responses
        if r.round_id == latest.pk
    )
    return profile.MindsetSnapshot(
        rounds=len(rounds), first_at=first.answered_at, latest_at=latest.answered_at, lines=lines
    )


# --- the profile ----------------------------------------------------------------------


def _line(item: Item, factor: Factor, answer: Answer) -> profile.ItemLine:
    return profile.ItemLine(
        identity=str(item.identity),
        factor_key=factor.key,
        factor_name=str(factor.name),
        text=str(item.worker_text),
        direction=item.direction,
        level=answer.level,
        level_text=profile.level_text(item.direction, answer.level),
        dealbreaker=answer.dealbreaker and item.is_need,
        example=answer.example if not item.is_need else "",
        order=item.order,
    )


def profile_summary(
    *, seeker: Seeker, version: FrameworkVersion | None = None
) -> profile.ProfileSummary:
    """Everything "My Magnetic Profile" shows; see ``ProfileSummary`` for the fields.

    Reads the current framework version unless one is given, in the active
    language, in a fixed number of queries whatever the amount of data.
    """
    version = version or current_version()
    if version is None:
        raise LookupError("No framework version has been published yet.")
    factors = factors_with_items(version=version)
    answers = {
        a.item_id: a
        for a in Answer.objects.filter(seeker=seeker, item__factor__version=version).only(
            "item_id", "level", "dealbreaker", "example"
        )
    }
    reflections = {
        r.factor_id: r.text
        for r in Reflection.objects.filter(seeker=seeker, factor__version=version).only(
            "factor_id", "text"
        )
    }
    summaries = []
    for factor in factors:
        items = list(factor.items.all())
        lines = [_line(item, factor, answers[item.pk]) for item in items if item.pk in answers]
        summaries.append(
            profile.summarise_factor(
                key=factor.key,
                name=str(factor.name),
                order=factor.order,
                total=len(items),
                lines=lines,
                reflection=reflections.get(factor.pk, ""),
            )
        )
    offers = profile.offers_of(summaries)
    dealbreakers = profile.dealbreakers_of(summaries)
    return profile.ProfileSummary(
        version_number=version.number,
        factors=tuple(summaries),
        must_haves=profile.must_haves_of(summaries),
        dealbreakers=dealbreakers,
        offers=offers,
        mindset=mindset_snapshot(seeker=seeker),
        talking_points=profile.talking_points(
            factors=summaries, offers=offers, dealbreakers=dealbreakers
        ),
        snapshot=profile.snapshot_of(version_number=version.number, factors=summaries),
    )


# --- history --------------------------------------------------------------------------


def snapshots(*, seeker: Seeker) -> QuerySet[ProfileSnapshot]:
    return seeker.snapshots.select_related("version").order_by("-taken_at", "-pk")


def _texts_for(identities: set[str]) -> dict[str, str]:
    """Item wording by identity, newest version's wording first (one query)."""
    texts: dict[str, str] = {}
    rows = Item.objects.filter(identity__in=identities).order_by("-factor__version__number")
    for item in rows:
        texts.setdefault(str(item.identity), str(item.worker_text))
    return texts


def _factor_names(version_numbers: set[int]) -> dict[str, str]:
    names: dict[str, str] = {}
    rows = Factor.objects.filter(version__number__in=version_numbers).order_by("-version__number")
    for factor in rows:
        names.setdefault(factor.key, str(factor.name))
    return names


@dataclass(frozen=True)
class ChangeReport:
    since: ProfileSnapshot
    changes: list[profile.ProfileChange]


def changes_since_last_snapshot(
    *, seeker: Seeker, summary: profile.ProfileSummary
) -> ChangeReport | None:
    """What changed since the seeker last saved their profile; None before any retake."""
    last = seeker.snapshots.order_by("-taken_at", "-pk").first()
    if last is None:
        return None
    before, after = last.data, summary.snapshot
    identities = set(before.get("answers", {})) | set(after.get("answers", {}))
    changes = profile.profile_changes(
        before=before,
        after=after,
        item_texts=_texts_for(identities),
        factor_names={f.key: f.name for f in summary.factors},
    )
    return ChangeReport(since=last, changes=changes)


@dataclass(frozen=True)
class SavedProfile:
    """A history entry in words, rebuilt from its structure in today's language."""

    snapshot: ProfileSnapshot
    factors: list[dict[str, Any]]
    must_haves: list[str]
    dealbreakers: list[str]
    offers: list[str]


def saved_profile(*, snapshot: ProfileSnapshot) -> SavedProfile:
    data = snapshot.data
    answers: dict[str, dict[str, Any]] = data.get("answers", {})
    texts = _texts_for(set(answers))
    names = _factor_names({int(data.get("version", snapshot.version.number))})
    factors = []
    for key, values in data.get("factors", {}).items():
        complete = values.get("total", 0) > 0 and values.get("answered", 0) >= values.get("total")
        factors.append(
            {
                "name": names.get(key, key),
                "score": values.get("score"),
                "text": profile.needs_words(
                    score=values.get("score"),
                    answered=values.get("answered", 0),
                    total=values.get("total", 0),
                    complete=complete,
                ),
            }
        )
    needs = {i: a for i, a in answers.items() if a["direction"] == "worker_needs"}
    return SavedProfile(
        snapshot=snapshot,
        factors=factors,
        must_haves=[texts.get(i, "?") for i, a in needs.items() if a["level"] == 3],
        dealbreakers=[texts.get(i, "?") for i, a in needs.items() if a.get("dealbreaker")],
        offers=[
            texts.get(i, "?")
            for i, a in answers.items()
            if a["direction"] == "worker_offers" and a["level"] >= 2
        ],
    )


# --- erasure --------------------------------------------------------------------------


def pending_erasure(*, seeker: Seeker) -> ErasureRequest | None:
    return seeker.erasure_requests.filter(status=ErasureStatus.PENDING).first()


def erasure_requests_for(*, viewer: Any) -> QuerySet[ErasureRequest]:
    """Pending requests a practitioner (own caseload) or an admin (all) may confirm."""
    return (
        ErasureRequest.objects.visible_to(viewer)
        .filter(status=ErasureStatus.PENDING)
        .select_related("seeker__user", "seeker__office", "seeker__practitioner")
        .order_by("requested_at", "pk")
    )
