"""Recording a placement: a job seeker started with an employer in a role."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from employers.models import JobRole, PayPeriod, RoleStatus
from factors.fitmap import fit_snapshot
from factors.matching import fit_for
from practitioners.access import ensure_can_change
from practitioners.models import Placement
from practitioners.services import WorkspaceError
from seekers.models import Seeker

EARLIEST_START = date(2000, 1, 1)
# A start can be recorded ahead of the first day, but not a year ahead.
LATEST_START_AHEAD = timedelta(days=366)
MAX_WAGE = Decimal("1000000")


def _check_terms(
    *, started_on: date, hours_per_week: Decimal, wage: Decimal, wage_period: str
) -> None:
    if started_on < EARLIEST_START:
        raise WorkspaceError(_("The start date is too far in the past."))
    if started_on > timezone.localdate() + LATEST_START_AHEAD:
        raise WorkspaceError(_("The start date can be at most a year from today."))
    if not Decimal(1) <= hours_per_week <= Decimal(80):
        raise WorkspaceError(_("Hours a week must be between 1 and 80."))
    if hours_per_week != hours_per_week.quantize(Decimal("0.1")):
        raise WorkspaceError(_("Give hours a week with at most one decimal."))
    if not Decimal("0.01") <= wage <= MAX_WAGE:
        raise WorkspaceError(_("The wage must be more than 0 and at most 1,000,000."))
    if wage != wage.quantize(Decimal("0.01")):
        raise WorkspaceError(_("Give the wage in dollars and cents."))
    if wage_period not in PayPeriod.values:
        raise WorkspaceError(_("Say whether the wage is per hour or per year."))


@transaction.atomic
def placement_record(
    *,
    by: User,
    seeker: Seeker,
    role: JobRole,
    started_on: date,
    hours_per_week: Decimal,
    wage: Decimal,
    wage_period: str,
) -> Placement:
    """Record that ``seeker`` started in ``role``, with the fit map of that day.

    Only the seeker's own practitioner (or an admin) records it, for a published role of a
    business. The fit map and score are copied as they are today, and so is how the seeker
    was served, so later answers never rewrite what was true at hire.
    """
    ensure_can_change(user=by, client=seeker)
    if seeker.erased_at is not None:
        raise WorkspaceError(_("This person's records were anonymised at their request."))
    role = JobRole.objects.select_related("organisation").select_for_update().get(pk=role.pk)
    if role.status != RoleStatus.PUBLISHED:
        raise WorkspaceError(_("Choose a published role: this one is a draft or closed."))
    if role.organisation_id is None:
        raise WorkspaceError(_("This role does not belong to a business."))
    _check_terms(
        started_on=started_on, hours_per_week=hours_per_week, wage=wage, wage_period=wage_period
    )
    if Placement.objects.filter(seeker=seeker, role=role, started_on=started_on).exists():
        raise WorkspaceError(
            _("This placement is already recorded: same person, role and start date.")
        )
    fit = fit_for(seeker=seeker, role=role)
    return Placement.objects.create(
        seeker=seeker,
        organisation=role.organisation,
        role=role,
        started_on=started_on,
        hours_per_week=hours_per_week,
        wage=wage,
        wage_period=wage_period,
        fit_snapshot=fit_snapshot(fit),
        fit_score=fit.score,
        delivery_method=seeker.delivery_method,
        recorded_by=by,
    )
