"""Reads of an employer's own organisation: its offer, its needs, its mindset, its roles.

Everything starts from ``organisation_of(user=...)``: a member can only ever address their
own business, never another one by id. Answers are matched to the current framework by item
*identity*, newest version first, so an answer given against an older version still counts
(and is never shown as "not answered") after admins publish a new version.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Invitation, User
from employers.models import (
    JobRole,
    Member,
    MindsetAnswer,
    MindsetRound,
    OfferAnswer,
    Organisation,
    RoleNeed,
    RoleOfferOverride,
)
from factors.charts import ChartRow, bar_chart
from factors.models import Factor, FrameworkVersion, Item, MindsetPrompt
from factors.progress import FactorProgress, progress_by_factor
from factors.scales import Agreement, Cost, FactorKey, NeedLevel, OfferLevel, Side
from factors.selectors import current_version_or_404, factors_with_content

# A factor's offer score (0-100) at or above STRONG is a strength; below THIN, a thin spot.
STRONG = 60
THIN = 40
# The builder uses what similar businesses offer only when at least this many have answered,
# so a count can never point at one identifiable business.
MIN_PEERS = 3
SUGGESTION_LIMIT = 8
COST_ORDER = {Cost.LOW: 0, Cost.MEDIUM: 1, Cost.HIGH: 2, "": 3}


def organisation_of(*, user: User) -> Organisation:
    """The member's own business. Every employer page starts here."""
    try:
        return user.employer_membership.organisation  # type: ignore[attr-defined]
    except Organisation.DoesNotExist as exc:
        raise Http404("No organisation.") from exc
    except AttributeError as exc:
        raise Http404("No organisation.") from exc


def membership_of(*, user: User) -> tuple[Organisation, bool]:
    """The member's business and whether they may invite colleagues (the owner)."""
    organisation = organisation_of(user=user)
    return organisation, bool(user.employer_membership.is_owner)  # type: ignore[attr-defined]


def colleagues_of(*, organisation: Organisation) -> QuerySet[Member]:
    """The business's members with their accounts, owner first (one query)."""
    return organisation.members.select_related("user").order_by("-is_owner", "user__email")


def pending_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations to join this business that are still waiting to be accepted."""
    return (
        Invitation.objects.pending()
        .filter(organisation=organisation)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def organisation_progress(
    *, organisation: Organisation, version: FrameworkVersion
) -> list[FactorProgress]:
    return progress_by_factor(
        version=version, answers=OfferAnswer.objects.filter(organisation=organisation)
    )


# --- Answers, matched to the current version by identity ---------------------------------


@dataclass(frozen=True)
class StoredLevel:
    level: int
    example: str = ""


def _latest_by_identity(
    rows: Iterable[tuple[uuid.UUID, str, int, str]],
) -> dict[tuple[uuid.UUID, str], StoredLevel]:
    """Rows of (identity, direction, level, example) ordered oldest version first: newest wins.

    Keyed by identity *and* direction: if admins ever turned an item round (a need became an
    offer), the old answer was given on another scale and must not be read on the new one.
    """
    latest: dict[tuple[uuid.UUID, str], StoredLevel] = {}
    for identity, direction, level, example in rows:
        latest[(identity, direction)] = StoredLevel(level, example)
    return latest


def _organisation_levels(*, organisation: Organisation) -> dict[tuple[uuid.UUID, str], StoredLevel]:
    rows = (
        OfferAnswer.objects.filter(organisation=organisation)
        .order_by("item__factor__version__number", "pk")
        .values_list("item__identity", "item__direction", "level", "example")
    )
    return _latest_by_identity(rows)


def _role_levels(queryset: QuerySet) -> dict[tuple[uuid.UUID, str], StoredLevel]:
    rows = queryset.order_by("item__factor__version__number", "pk").values_list(
        "item__identity", "item__direction", "level"
    )
    return _latest_by_identity((i, d, level, "") for i, d, level in rows)


def level_label(item: Item, level: int | None) -> str:
    """The words for a level on the item's own scale (offer or need)."""
    if level is None:
        return _("Not answered yet")
    scale = OfferLevel if item.is_need else NeedLevel
    try:
        return str(scale(level).label)
    except ValueError:
        return _("Not answered yet")


@dataclass(frozen=True)
class ItemAnswer:
    """One current item with the organisation's (or a role's) level on it."""

    item: Item
    level: int | None
    example: str = ""

    @property
    def label(self) -> str:
        return level_label(self.item, self.level)

    @property
    def offered(self) -> bool:
        return self.item.is_need and self.level == OfferLevel.OFFERED

    @property
    def could_offer(self) -> bool:
        return self.item.is_need and self.level == OfferLevel.COULD_OFFER


# --- The offer profile ---------------------------------------------------------------------


@dataclass(frozen=True)
class FactorOffer:
    """One factor of the organisation's offer.

    ``offers`` are the worker-needs items (what the business offers), ``needs`` the
    worker-offers items (what it needs from a worker). ``score`` is the offer score:
    the sum of the answered offer levels (0 not offered, 1 could offer, 2 offered) over
    twice the number answered, as 0-100; None when no offer item is answered, so an
    unanswered factor is never drawn as a zero.
    """

    factor: Factor
    offers: list[ItemAnswer]
    needs: list[ItemAnswer]

    @property
    def answered(self) -> list[ItemAnswer]:
        return [a for a in self.offers if a.level is not None]

    @property
    def offered(self) -> list[ItemAnswer]:
        return [a for a in self.offers if a.offered]

    @property
    def could_offer(self) -> list[ItemAnswer]:
        return [a for a in self.offers if a.could_offer]

    @property
    def not_offered(self) -> list[ItemAnswer]:
        return [a for a in self.offers if a.level == OfferLevel.NOT_OFFERED]

    @property
    def score(self) -> int | None:
        answered = self.answered
        if not answered:
            return None
        return round(100 * sum(a.level or 0 for a in answered) / (2 * len(answered)))

    @property
    def is_strong(self) -> bool:
        return self.score is not None and self.score >= STRONG

    @property
    def is_thin(self) -> bool:
        return self.score is not None and self.score < THIN

    @property
    def unanswered(self) -> list[ItemAnswer]:
        return [a for a in self.offers if a.level is None]

    @property
    def summary_text(self) -> str:
        """The chart's words for this factor: a count, never a bare number. Kept short to fit
        the chart; the profile's table gives could-offer and unanswered counts beside it."""
        if self.score is None:
            return _("Not answered yet")
        return ngettext(
            "%(n)s of %(total)s offered", "%(n)s of %(total)s offered", len(self.offered)
        ) % {"n": len(self.offered), "total": len(self.offers)}


@dataclass(frozen=True)
class OfferSummary:
    """What a business offers and needs, factor by factor, for pages and PDFs alike.

    Built by ``offer_summary(organisation=...)``. ``factors`` is in framework order;
    ``strengths`` are factors scoring at least STRONG, ``thin_spots`` those below THIN,
    ``unanswered`` those with no offer answer yet. ``needs`` lists what the business needs
    from a worker, must-haves first. ``leans_on_pay`` follows ``leans_on_pay()``.
    Call ``chart()`` for the shared SVG chart with its text table.
    """

    organisation: Organisation
    version: FrameworkVersion
    factors: list[FactorOffer]
    strengths: list[FactorOffer] = field(default_factory=list)
    thin_spots: list[FactorOffer] = field(default_factory=list)
    unanswered: list[FactorOffer] = field(default_factory=list)
    needs: list[ItemAnswer] = field(default_factory=list)
    leans_on_pay: bool = False

    @property
    def chart_rows(self) -> list[ChartRow]:
        return [
            ChartRow(label=str(f.factor.name), value=f.score, value_text=f.summary_text)
            for f in self.factors
        ]

    def chart(self, *, chart_id: str = "offer-chart") -> SafeString:
        return bar_chart(
            rows=self.chart_rows,
            title=_("What %(name)s offers, factor by factor") % {"name": self.organisation.name},
            description=_(
                "For each factor, the share of the most you could offer: an item you offer "
                "counts fully, an item you could offer counts half."
            ),
            chart_id=chart_id,
        )

    def factor(self, key: str) -> FactorOffer | None:
        return next((f for f in self.factors if f.factor.key == key), None)


def leans_on_pay(*, factors: list[FactorOffer]) -> bool:
    """The rule for "this offer leans on pay".

    True when pay & benefits is strong (offer score at least STRONG, 60) while the other
    factors that have answers average below THIN (40) — the business offers pay and
    benefits but little else a worker would notice. It needs pay & benefits and at least one
    other factor answered: with nothing else answered we cannot say the rest is thin.
    """
    pay = next((f for f in factors if f.factor.key == FactorKey.PAY_BENEFITS), None)
    if pay is None or not pay.is_strong:
        return False
    others = [
        f.score for f in factors if f.factor.key != FactorKey.PAY_BENEFITS and f.score is not None
    ]
    if not others:
        return False
    return sum(others) / len(others) < THIN


def _factor_offers(
    *, factors: Iterable[Factor], levels: dict[tuple[uuid.UUID, str], StoredLevel]
) -> list[FactorOffer]:
    result = []
    for factor in factors:
        offers, needs = [], []
        for item in factor.items.all():
            stored = levels.get((item.identity, item.direction))
            answer = ItemAnswer(
                item=item,
                level=stored.level if stored else None,
                example=stored.example if stored else "",
            )
            (offers if item.is_need else needs).append(answer)
        result.append(FactorOffer(factor=factor, offers=offers, needs=needs))
    return result


def offer_summary(
    *, organisation: Organisation, version: FrameworkVersion | None = None
) -> OfferSummary:
    """The organisation's offer against the current (or given) framework version.

    Four queries whatever the amount of data: the version's factors, items and prompts,
    and the organisation's answers. Safe to call from a background task (no request needed).
    """
    version = version or current_version_or_404()
    factors = _factor_offers(
        factors=factors_with_content(version=version),
        levels=_organisation_levels(organisation=organisation),
    )
    needs = sorted(
        (a for f in factors for a in f.needs if a.level),
        key=lambda a: -(a.level or 0),
    )
    return OfferSummary(
        organisation=organisation,
        version=version,
        factors=factors,
        strengths=[f for f in factors if f.is_strong],
        thin_spots=[f for f in factors if f.is_thin],
        unanswered=[f for f in factors if f.score is None and f.offers],
        needs=needs,
        leans_on_pay=leans_on_pay(factors=factors),
    )


# --- One offer activity ------------------------------------------------------------------


def activity_answers(*, organisation: Organisation, factor: Factor) -> list[ItemAnswer]:
    """The factor's current items with this organisation's answers to those very rows.

    Call ``offer_carry_forward`` first so answers to an older version are copied onto them.
    """
    items = list(factor.items.all())
    stored = {
        a.item_id: a
        for a in OfferAnswer.objects.filter(organisation=organisation, item__in=items).only(
            "item_id", "level", "example"
        )
    }
    return [
        ItemAnswer(
            item=item,
            level=stored[item.pk].level if item.pk in stored else None,
            example=stored[item.pk].example if item.pk in stored else "",
        )
        for item in items
    ]


def next_factor_key(*, version: FrameworkVersion, factor: Factor) -> str | None:
    """The key of the activity after this one, or None after the last."""
    keys = list(version.factors.order_by("order").values_list("key", flat=True))
    position = keys.index(factor.key) if factor.key in keys else len(keys)
    return keys[position + 1] if position + 1 < len(keys) else None


# --- The beyond-pay offer builder ---------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """An item the business does not offer yet, from a factor other than pay & benefits.

    ``peers_offering``/``peers_total`` say how many similar businesses offer it; both are
    None when fewer than MIN_PEERS similar businesses have answered.
    """

    answer: ItemAnswer
    factor: Factor
    peers_offering: int | None
    peers_total: int | None

    @property
    def item(self) -> Item:
        return self.answer.item

    @property
    def cost_label(self) -> str:
        return str(Cost(self.item.cost).label) if self.item.cost else _("Cost not known")


@dataclass(frozen=True)
class BuilderResult:
    suggestions: list[Suggestion]
    peer_basis: str | None  # "sector", "size", "all", or None without enough businesses
    peers_total: int


def _peer_group(*, organisation: Organisation) -> tuple[str | None, int, Q]:
    """Similar businesses that have answered: the same sector if at least MIN_PEERS, else the
    same size, else every other business on the service, else none (one aggregate query)."""
    answered = Exists(OfferAnswer.objects.filter(organisation=OuterRef("pk")))
    counts = (
        Organisation.objects.exclude(pk=organisation.pk)
        .filter(answered)
        .aggregate(
            sector=Count("pk", filter=Q(sector=organisation.sector)),
            size=Count("pk", filter=Q(size=organisation.size)),
            everyone=Count("pk"),
        )
    )
    if counts["sector"] >= MIN_PEERS:
        return "sector", counts["sector"], Q(organisation__sector=organisation.sector)
    if counts["size"] >= MIN_PEERS:
        return "size", counts["size"], Q(organisation__size=organisation.size)
    if counts["everyone"] >= MIN_PEERS:
        return "all", counts["everyone"], Q()
    return None, 0, Q(pk__in=[])


def beyond_pay_suggestions(
    *, organisation: Organisation, summary: OfferSummary, limit: int = SUGGESTION_LIMIT
) -> BuilderResult:
    """Levers beyond pay: worker-needs items of the other five factors not yet offered.

    Ordered low cost first, then by the share of similar businesses that offer the item
    (one aggregate query over their answers, grouped by item identity), then in framework
    order. Items the business "could offer" are included: adopting them is the easiest step.
    """
    basis, total, peer_filter = _peer_group(organisation=organisation)
    offering: dict[uuid.UUID, int] = {}
    if basis is not None:
        offering = dict(
            OfferAnswer.objects.filter(peer_filter, level=OfferLevel.OFFERED)
            .exclude(organisation=organisation)
            .values("item__identity")
            .annotate(n=Count("organisation", distinct=True))
            .values_list("item__identity", "n")
        )
    candidates = [
        (f.factor, a)
        for f in summary.factors
        if f.factor.key != FactorKey.PAY_BENEFITS
        for a in f.offers
        if not a.offered
    ]

    def order(candidate: tuple[Factor, ItemAnswer]) -> tuple[int, float, int, int]:
        factor, answer = candidate
        share = offering.get(answer.item.identity, 0) / total if total else 0.0
        return (COST_ORDER.get(answer.item.cost, 3), -share, factor.order, answer.item.order)

    chosen = sorted(candidates, key=order)[:limit]
    return BuilderResult(
        suggestions=[
            Suggestion(
                answer=answer,
                factor=factor,
                peers_offering=offering.get(answer.item.identity, 0) if basis else None,
                peers_total=total if basis else None,
            )
            for factor, answer in chosen
        ],
        peer_basis=basis,
        peers_total=total,
    )


# --- Mindset check -------------------------------------------------------------------------


def employer_prompts(*, version: FrameworkVersion) -> list[MindsetPrompt]:
    """The current version's belief statements asked of employers, in framework order."""
    return list(
        MindsetPrompt.objects.filter(
            factor__version=version, side=Side.EMPLOYER, retired=False
        ).select_related("factor")
    )


@dataclass(frozen=True)
class MindsetChange:
    """One belief, first answer against latest: the change the program hopes to see."""

    prompt: MindsetPrompt
    first: int
    first_at: datetime
    latest: int
    latest_at: datetime

    @property
    def first_label(self) -> str:
        return str(Agreement(self.first).label)

    @property
    def latest_label(self) -> str:
        return str(Agreement(self.latest).label)

    @property
    def changed(self) -> bool:
        return self.first != self.latest


@dataclass(frozen=True)
class MindsetHistory:
    rounds: list[MindsetRound]
    changes: list[MindsetChange]

    @property
    def latest(self) -> MindsetRound | None:
        return self.rounds[-1] if self.rounds else None


def mindset_history(*, organisation: Organisation) -> MindsetHistory:
    """Every round, oldest first, and per belief the first and the latest answer (3 queries)."""
    rounds = list(
        MindsetRound.objects.filter(organisation=organisation)
        .select_related("answered_by")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=MindsetAnswer.objects.select_related("prompt", "prompt__factor"),
            )
        )
        .order_by("created_at", "pk")
    )
    first: dict[uuid.UUID, tuple[int, datetime]] = {}
    latest: dict[uuid.UUID, tuple[MindsetPrompt, int, datetime]] = {}
    for mindset_round in rounds:
        for answer in mindset_round.answers.all():
            identity = answer.prompt.identity
            first.setdefault(identity, (answer.agreement, mindset_round.created_at))
            latest[identity] = (answer.prompt, answer.agreement, mindset_round.created_at)
    changes = [
        MindsetChange(
            prompt=prompt,
            first=first[identity][0],
            first_at=first[identity][1],
            latest=level,
            latest_at=at,
        )
        for identity, (prompt, level, at) in latest.items()
    ]
    changes.sort(key=lambda c: (c.prompt.factor.order, c.prompt.order))
    return MindsetHistory(rounds=rounds, changes=changes)


# --- Roles ---------------------------------------------------------------------------------


def roles_for(*, organisation: Organisation) -> QuerySet[JobRole]:
    """The organisation's roles with their posting, newest first, in one query."""
    return organisation.roles.select_related("posting").order_by("-created_at", "-pk")


def role_of(*, organisation: Organisation, role_id: int) -> JobRole:
    """One of the organisation's own roles; any other id, or none, is a 404."""
    return get_object_or_404(
        JobRole.objects.select_related("organisation"), organisation=organisation, pk=role_id
    )


@dataclass(frozen=True)
class RoleItem:
    """One current item for a role: the business's level, the role's own, and the result."""

    item: Item
    organisation_level: int | None
    role_level: int | None
    example: str = ""

    @property
    def level(self) -> int | None:
        return self.role_level if self.role_level is not None else self.organisation_level

    @property
    def label(self) -> str:
        return level_label(self.item, self.level)

    @property
    def organisation_label(self) -> str:
        return level_label(self.item, self.organisation_level)

    @property
    def overridden(self) -> bool:
        return self.role_level is not None


@dataclass(frozen=True)
class RoleFactor:
    factor: Factor
    offers: list[RoleItem]
    needs: list[RoleItem]

    def offered(self) -> list[RoleItem]:
        return [r for r in self.offers if r.level == OfferLevel.OFFERED]

    def could_offer(self) -> list[RoleItem]:
        return [r for r in self.offers if r.level == OfferLevel.COULD_OFFER]


def role_factors(*, role: JobRole, version: FrameworkVersion | None = None) -> list[RoleFactor]:
    """The role's offer and needs per factor of the current version (six queries in all)."""
    version = version or current_version_or_404()
    organisation_levels = _organisation_levels(organisation=role.organisation)
    overrides = _role_levels(RoleOfferOverride.objects.filter(role=role))
    own_needs = _role_levels(RoleNeed.objects.filter(role=role))
    result = []
    for factor in factors_with_content(version=version):
        offers, needs = [], []
        for item in factor.items.all():
            key = (item.identity, item.direction)
            stored = organisation_levels.get(key)
            role_level = (overrides if item.is_need else own_needs).get(key)
            row = RoleItem(
                item=item,
                organisation_level=stored.level if stored else None,
                role_level=role_level.level if role_level else None,
                example=stored.example if stored else "",
            )
            (offers if item.is_need else needs).append(row)
        result.append(RoleFactor(factor=factor, offers=offers, needs=needs))
    return result


def role_effective_offer(*, role: JobRole) -> dict[uuid.UUID, int]:
    """What this role offers a worker: item identity -> OfferLevel (0, 1 or 2).

    The organisation's offer answers with the role's overrides applied (an override wins),
    for the worker-needs items of the current framework version. Keys are ``Item.identity``,
    stable across versions, so they compare directly with a seeker's answers. An item that
    neither the business nor the role has answered is absent: unknown, not "not offered".
    """
    return {
        row.item.identity: row.level
        for factor in role_factors(role=role)
        for row in factor.offers
        if row.level is not None
    }


def role_needs(*, role: JobRole) -> dict[uuid.UUID, int]:
    """What this role needs from a worker: item identity -> NeedLevel (0 to 3).

    The organisation's general needs with the role's own needs in their place where set,
    for the worker-offers items of the current framework version. Absent = not answered.
    """
    return {
        row.item.identity: row.level
        for factor in role_factors(role=role)
        for row in factor.needs
        if row.level is not None
    }
