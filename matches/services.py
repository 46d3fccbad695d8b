"""Writes for matching: shortlist, introduce, invite, interest, accept, decline, pseudonyms.

Each function is one transaction; expected refusals raise ``MatchError`` with a message fit
to show. Only ``pair_accept`` lets an employer see anyone, and it does so the one way the
project has: an ``EmployerConsent`` for that organisation (revocable, twelve months).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employers.models import JobRole, Organisation, RoleStatus
from matches.models import CandidateAlias, Pair, PairOrigin, PairStatus, new_alias
from seekers import services as seeker_services
from seekers.models import EmployerConsent, EmployerConsentSource, Seeker
from seekers.selectors import employer_may_see


class MatchError(Exception):
    """An expected refusal, shown to the person as it is."""


def _pair(*, seeker: Seeker, role: JobRole, origin: str) -> Pair:
    """The one pair of this seeker and role, locked for the rest of the transaction."""
    pair, _created = Pair.objects.select_for_update().get_or_create(
        seeker=seeker, role=role, defaults={"origin": origin, "status": PairStatus.SHORTLISTED}
    )
    return pair


@transaction.atomic
def pair_shortlist(*, seeker: Seeker, role: JobRole, by: Any) -> Pair:
    """A practitioner keeps a seeker and a role together to talk about. Sends nothing."""
    pair = _pair(seeker=seeker, role=role, origin=PairOrigin.PRACTITIONER)
    if pair.shortlisted_at is None:
        pair.shortlisted_at = timezone.now()
    if pair.practitioner_id is None:
        pair.practitioner = by
    pair.save()
    return pair


@transaction.atomic
def pair_introduce(*, pair: Pair, by: Any) -> Pair:
    """Ask the seeker whether they will share their profile with the role's employer."""
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    if pair.role.status != RoleStatus.PUBLISHED:
        raise MatchError(_("This role is not published, so it cannot be introduced."))
    if pair.status == PairStatus.ACCEPTED:
        raise MatchError(_("The job seeker already shares their profile with this employer."))
    pair.status = PairStatus.INTRODUCED
    pair.introduced_at = timezone.now()
    pair.decided_at = None
    pair.practitioner = pair.practitioner or by
    pair.save()
    return pair


@transaction.atomic
def pair_interest(*, seeker: Seeker, role: JobRole) -> Pair:
    """The seeker says a role attracts them. Nothing is sent to the employer."""
    if role.status != RoleStatus.PUBLISHED:
        raise MatchError(_("This role is no longer open."))
    pair = _pair(seeker=seeker, role=role, origin=PairOrigin.SEEKER)
    pair.interested_at = pair.interested_at or timezone.now()
    if pair.status in (PairStatus.SHORTLISTED, PairStatus.DECLINED):
        pair.status = PairStatus.INTERESTED
        pair.decided_at = None
    pair.save()
    return pair


@transaction.atomic
def pair_invite(*, organisation: Organisation, seeker: Seeker, role: JobRole) -> Pair:
    """An employer invites an anonymous candidate to connect; the seeker decides."""
    if role.organisation_id != organisation.pk:
        raise MatchError(_("This role is not one of yours."))
    if role.status != RoleStatus.PUBLISHED:
        raise MatchError(_("Publish the role before inviting anyone to connect."))
    pair = _pair(seeker=seeker, role=role, origin=PairOrigin.EMPLOYER)
    if pair.status == PairStatus.ACCEPTED and employer_may_see(
        organisation=organisation, seeker=seeker
    ):
        return pair
    if pair.status == PairStatus.DECLINED and pair.invited_at is not None:
        raise MatchError(_("This candidate has already declined an invitation for this role."))
    pair.status = PairStatus.INVITED
    pair.invited_at = timezone.now()
    pair.decided_at = None
    pair.save()
    return pair


@transaction.atomic
def pair_accept(*, seeker: Seeker, role: JobRole) -> EmployerConsent:
    """The seeker lets the role's employer see their name and profile (twelve months)."""
    if role.status != RoleStatus.PUBLISHED:
        raise MatchError(_("This role is no longer open."))
    try:
        consent = seeker_services.consent_grant_employer(
            seeker=seeker, organisation=role.organisation, source=EmployerConsentSource.MATCH
        )
    except seeker_services.SeekerError as error:
        raise MatchError(str(error)) from error
    pair = _pair(seeker=seeker, role=role, origin=PairOrigin.SEEKER)
    pair.status = PairStatus.ACCEPTED
    pair.decided_at = timezone.now()
    pair.save()
    return consent


@transaction.atomic
def pair_decline(*, seeker: Seeker, role: JobRole) -> Pair:
    """The seeker says no. Nothing is shared; an existing consent is not touched here."""
    pair = Pair.objects.select_for_update().filter(seeker=seeker, role=role).first()
    if pair is None:
        raise MatchError(_("There is nothing to decline for this role."))
    if pair.status == PairStatus.ACCEPTED:
        raise MatchError(
            _("You already share your profile with this employer: stop it from My data.")
        )
    pair.status = PairStatus.DECLINED
    pair.decided_at = timezone.now()
    pair.save()
    return pair


def aliases_for(*, organisation: Organisation, seeker_ids: Sequence[int]) -> dict[int, str]:
    """The organisation's pseudonym for each seeker, made (at random) the first time.

    Two queries once every pseudonym exists, three or four the first time."""
    wanted = list(seeker_ids)
    known = dict(
        CandidateAlias.objects.filter(organisation=organisation, seeker_id__in=wanted).values_list(
            "seeker_id", "label"
        )
    )
    for _attempt in range(5):
        missing = [pk for pk in wanted if pk not in known]
        if not missing:
            break
        try:
            with transaction.atomic():
                CandidateAlias.objects.bulk_create(
                    [
                        CandidateAlias(organisation=organisation, seeker_id=pk, label=new_alias())
                        for pk in missing
                    ],
                    ignore_conflicts=True,
                )
        except IntegrityError:  # pragma: no cover - ignore_conflicts covers both constraints
            pass
        known = dict(
            CandidateAlias.objects.filter(
                organisation=organisation, seeker_id__in=wanted
            ).values_list("seeker_id", "label")
        )
    return known
