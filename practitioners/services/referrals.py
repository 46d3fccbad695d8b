"""Referrals: a practitioner hands a client to a colleague, who accepts or declines.

Accepting moves the client into the colleague's caseload and office. The referring
practitioner then keeps read access only through the office rule, that is only when
both work in the same office.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from employers.models import Organisation
from practitioners.access import ensure_can_change
from practitioners.models import Referral, ReferralStatus, client_fields, client_q
from practitioners.services import WorkspaceError
from seekers.models import Seeker

Client = Seeker | Organisation


@transaction.atomic
def referral_create(*, client: Client, by: User, to_practitioner: User, reason: str) -> Referral:
    ensure_can_change(user=by, client=client)
    if to_practitioner.role != Role.PRACTITIONER or not to_practitioner.is_active:
        raise WorkspaceError(_("Choose a practitioner to refer to."))
    if to_practitioner.pk in (by.pk, client.practitioner_id):
        raise WorkspaceError(_("This client is already in that practitioner's caseload."))
    reason = reason.strip()
    if not reason or len(reason) > 2000:
        raise WorkspaceError(_("Give the reason in at most 2,000 characters."))
    pending = Referral.objects.filter(client_q(client), status=ReferralStatus.PENDING)
    if pending.exists():
        raise WorkspaceError(_("This client already has a referral waiting for an answer."))
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                **client_fields(client),
                from_user=by,
                to_practitioner=to_practitioner,
                reason=reason,
            )
    except IntegrityError as error:  # a concurrent second submit
        raise WorkspaceError(
            _("This client already has a referral waiting for an answer.")
        ) from error
    link = settings.SITE_URL.rstrip("/") + reverse(
        "practitioners:referral_detail", args=[referral.pk]
    )
    transaction.on_commit(lambda: _email_referral(referral=referral, link=link))
    return referral


def _email_referral(*, referral: Referral, link: str) -> None:
    """Tell the colleague, in their language, without naming the client in the email."""
    recipient = referral.to_practitioner
    with translation.override(recipient.language):
        body = _(
            "%(name)s referred a client to you in Thriving Workplaces.\n"
            "Open the referral to accept or decline it:\n%(link)s"
        ) % {"name": referral.from_user.display_name if referral.from_user else "", "link": link}
        subject = _("A client was referred to you")
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[recipient.email])


def _pending_for_update(referral: Referral) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if not locked.is_pending:
        raise WorkspaceError(_("This referral has already been answered."))
    return locked


@transaction.atomic
def referral_accept(*, referral: Referral, by: User) -> Referral:
    """The colleague takes the client: into their caseload and their office."""
    if by.pk != referral.to_practitioner_id or by.role != Role.PRACTITIONER:
        raise PermissionDenied
    referral = _pending_for_update(referral)
    model = Seeker if referral.seeker_id else Organisation
    client = model.objects.select_for_update().get(
        pk=referral.seeker_id or referral.organisation_id
    )
    client.practitioner = by
    client.office = by.office
    client.save(update_fields=["practitioner", "office"])
    referral.status = ReferralStatus.ACCEPTED
    referral.decided_at, referral.decided_by = timezone.now(), by
    referral.save(update_fields=["status", "decided_at", "decided_by"])
    return referral


@transaction.atomic
def referral_decline(*, referral: Referral, by: User, response: str = "") -> Referral:
    if by.pk != referral.to_practitioner_id:
        raise PermissionDenied
    response = response.strip()
    if len(response) > 2000:
        raise WorkspaceError(_("Give the reason in at most 2,000 characters."))
    referral = _pending_for_update(referral)
    referral.status = ReferralStatus.DECLINED
    referral.response = response
    referral.decided_at, referral.decided_by = timezone.now(), by
    referral.save(update_fields=["status", "response", "decided_at", "decided_by"])
    return referral


@transaction.atomic
def referral_withdraw(*, referral: Referral, by: User) -> Referral:
    if by.pk != referral.from_user_id and by.role != Role.ADMIN:
        raise PermissionDenied
    referral = _pending_for_update(referral)
    referral.status = ReferralStatus.WITHDRAWN
    referral.decided_at, referral.decided_by = timezone.now(), by
    referral.save(update_fields=["status", "decided_at", "decided_by"])
    return referral
