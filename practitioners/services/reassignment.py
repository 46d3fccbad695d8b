"""Bulk reassignment when staff change: move clients to a new practitioner, keep a record.

Only admins do this. A practitioner hands their own clients over one by one through
referrals, so the colleague agrees to each one.
"""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from employers.models import Organisation
from practitioners.models import Reassignment, ReassignmentItem, Referral, ReferralStatus
from practitioners.services import WorkspaceError
from seekers.models import Seeker


@transaction.atomic
def reassign_clients(
    *,
    by: User,
    to_practitioner: User,
    seeker_ids: Collection[int] = (),
    organisation_ids: Collection[int] = (),
    from_practitioner: User | None = None,
    reason: str = "",
) -> Reassignment:
    """Move the chosen clients (or all of ``from_practitioner``'s) and record each move.

    Clients already with the new practitioner are left out; pending referrals of the
    clients who move are withdrawn, since the person who sent them no longer holds them.
    """
    if by.role != Role.ADMIN:
        raise PermissionDenied
    if to_practitioner.role != Role.PRACTITIONER or not to_practitioner.is_active:
        raise WorkspaceError(_("Choose the new practitioner."))
    if from_practitioner is not None and from_practitioner.pk == to_practitioner.pk:
        raise WorkspaceError(_("The new practitioner must be someone else."))
    reason = reason.strip()[:300]
    if from_practitioner is not None:
        seekers = Seeker.objects.filter(practitioner=from_practitioner)
        organisations = Organisation.objects.filter(practitioner=from_practitioner)
    else:
        seekers = Seeker.objects.filter(pk__in=list(seeker_ids))
        organisations = Organisation.objects.filter(pk__in=list(organisation_ids))
    moving_seekers = list(
        seekers.exclude(practitioner=to_practitioner)
        .select_for_update()
        .values_list("pk", "practitioner_id", "office_id")
    )
    moving_orgs = list(
        organisations.exclude(practitioner=to_practitioner)
        .select_for_update()
        .values_list("pk", "practitioner_id", "office_id")
    )
    if not moving_seekers and not moving_orgs:
        raise WorkspaceError(
            _("Nothing to move: these clients are already with %(name)s.")
            % {"name": to_practitioner.display_name}
        )
    record = Reassignment.objects.create(
        performed_by=by,
        from_practitioner=from_practitioner,
        to_practitioner=to_practitioner,
        to_office=to_practitioner.office,
        reason=reason,
    )
    ReassignmentItem.objects.bulk_create(
        [
            ReassignmentItem(
                reassignment=record, seeker_id=pk, from_practitioner_id=p, from_office_id=o
            )
            for pk, p, o in moving_seekers
        ]
        + [
            ReassignmentItem(
                reassignment=record, organisation_id=pk, from_practitioner_id=p, from_office_id=o
            )
            for pk, p, o in moving_orgs
        ]
    )
    seeker_pks = [row[0] for row in moving_seekers]
    organisation_pks = [row[0] for row in moving_orgs]
    new_place = {"practitioner": to_practitioner, "office": to_practitioner.office}
    Seeker.objects.filter(pk__in=seeker_pks).update(**new_place)
    Organisation.objects.filter(pk__in=organisation_pks).update(**new_place)
    Referral.objects.filter(
        Q(seeker_id__in=seeker_pks) | Q(organisation_id__in=organisation_pks),
        status=ReferralStatus.PENDING,
    ).update(status=ReferralStatus.WITHDRAWN, decided_at=timezone.now(), decided_by=by)
    return record
