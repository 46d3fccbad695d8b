"""Reads for placements: who may see one, a client's placements, the fit map at hire."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from accounts.permissions import get_for_viewer
from employers.models import JobRole, Organisation, RoleStatus
from factors.fitmap import FactorFit, FitItem, FitMap, FitStatus, Reason, ReasonKind
from factors.fitmap_view import FitMapView, fitmap_view, status_label
from factors.models import Item
from factors.scales import FactorKey
from practitioners.access import can_change_client
from practitioners.models import Placement
from seekers.models import Seeker

Client = Seeker | Organisation


def placements_visible_to(user: Any) -> QuerySet[Placement]:
    """A placement is visible to whoever may see its job seeker or its employer."""
    return Placement.objects.visible_to(user)


def placement_for_viewer(*, user: Any, pk: int) -> Placement:
    queryset = Placement.objects.select_related(
        "seeker__user", "seeker__practitioner", "organisation__practitioner", "role", "recorded_by"
    )
    return get_for_viewer(queryset, user, pk=pk)


def can_change_placement(*, user: Any, placement: Placement) -> bool:
    """The practitioner of either side (or an admin) may work on the placement's bargain."""
    return can_change_client(user=user, client=placement.seeker) or can_change_client(
        user=user, client=placement.organisation
    )


@dataclass(frozen=True)
class SnapshotRow:
    key: str
    name: str
    status_label: str
    fit_percent: int | None


def snapshot_rows(snapshot: dict[str, Any], names: dict[str, str]) -> list[SnapshotRow]:
    """Each factor's status and fit at hire, straight from the snapshot (no query)."""
    rows = []
    for key, data in (snapshot.get("factors") or {}).items():
        try:
            status = FitStatus(data.get("status"))
        except ValueError:
            status = FitStatus.NOT_COMPARABLE
        fit = data.get("fit")
        percent = (fit + 5) // 10 if isinstance(fit, int) else None
        rows.append(SnapshotRow(key, names.get(key, key), status_label(status), percent))
    return rows


def placements_for(*, client: Client) -> list[Placement]:
    """A client's placements, newest first, with the other side named, the fit at hire
    by factor and the bargain's state (one query)."""
    field = "seeker" if isinstance(client, Seeker) else "organisation"
    placements = list(
        Placement.objects.filter(**{field: client})
        .select_related("seeker__user", "organisation", "role", "bargain")
        .order_by("-started_on", "-pk")
    )
    names = {key: str(label) for key, label in FactorKey.choices}
    for placement in placements:
        placement.snapshot_rows = snapshot_rows(placement.fit_snapshot, names)  # type: ignore[attr-defined]
        placement.bargain_row = getattr(placement, "bargain", None)  # type: ignore[attr-defined]
    return placements


def roles_for_placement(*, user: Any, include: int | None = None) -> QuerySet[JobRole]:
    """Published roles a practitioner would choose from: those of the businesses they can
    see, and the one a shortlist or link named (``include``), wherever it is."""
    visible = Q(organisation__in=Organisation.objects.visible_to(user))
    if include is not None:
        visible |= Q(pk=include)
    return (
        JobRole.objects.filter(visible, status=RoleStatus.PUBLISHED)
        .select_related("organisation")
        .order_by("organisation__name", "title", "pk")
    )


def _items_by_identity(identities: set[str]) -> dict[uuid.UUID, Item]:
    """The newest item row for each identity, to name reasons kept in a snapshot."""
    items: dict[uuid.UUID, Item] = {}
    valid = set()
    for raw in identities:
        try:
            valid.add(uuid.UUID(raw))
        except ValueError:
            continue
    for item in Item.objects.filter(identity__in=valid).order_by("factor__version__number", "pk"):
        items[item.identity] = item
    return items


def _reasons(entries: list[dict[str, str]], key: str, items: dict[uuid.UUID, Item]) -> list[Reason]:
    reasons = []
    for entry in entries:
        try:
            kind = ReasonKind(entry.get("kind"))
            identity = uuid.UUID(entry.get("item", ""))
        except ValueError:
            continue
        item = items.get(identity)
        direction = item.direction if item is not None else ""
        reasons.append(Reason(kind, FitItem(identity, key, direction, item)))
    return reasons


def snapshot_fitmap(snapshot: dict[str, Any]) -> FitMap:
    """The fit map at hire, rebuilt from its snapshot so it reads in today's language."""
    factors_data = snapshot.get("factors") or {}
    identities = {
        entry.get("item", "")
        for data in factors_data.values()
        for part in ("attracts", "pushes", "discuss")
        for entry in data.get(part, [])
    }
    items = _items_by_identity(identities)
    factors = []
    for key, data in factors_data.items():
        try:
            status = FitStatus(data.get("status"))
        except ValueError:
            status = FitStatus.NOT_COMPARABLE
        factors.append(
            FactorFit(
                key,
                status,
                data.get("fit"),
                attracts=_reasons(data.get("attracts", []), key, items),
                pushes=_reasons(data.get("pushes", []), key, items),
                discuss=_reasons(data.get("discuss", []), key, items),
            )
        )
    return FitMap(
        factors=factors,
        score=snapshot.get("score"),
        comparable=snapshot.get("comparable", 0),
        across_versions=bool(snapshot.get("across_versions")),
    )


def snapshot_view(*, placement: Placement) -> FitMapView:
    return fitmap_view(fitmap=snapshot_fitmap(placement.fit_snapshot), reader="practitioner")
