"""Invitations: send a link that creates an account already placed where it belongs.

Who may invite whom is checked here as well as in the views, because it is a rule of
the service, not of one page: practitioners invite seekers and employers into their
caseload, an employer's owner invites colleagues into their own business, admins
invite staff.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Invitation, Office, Role, User

if TYPE_CHECKING:
    from employers.models import Organisation

INVITATION_DAYS = 14

# inviter's role -> roles they may invite
MAY_INVITE: dict[str, frozenset[str]] = {
    Role.PRACTITIONER: frozenset({Role.SEEKER, Role.EMPLOYER}),
    Role.EMPLOYER: frozenset({Role.EMPLOYER}),
    Role.ADMIN: frozenset({Role.SEEKER, Role.EMPLOYER, Role.PRACTITIONER, Role.ADMIN}),
}


class InvitationError(Exception):
    """An expected refusal; its message is shown to the person as it is."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_inviter(*, role: str, invited_by: User, organisation: Organisation | None) -> None:
    if role not in MAY_INVITE.get(invited_by.role, frozenset()):
        raise InvitationError(_("Your account cannot invite this kind of person."))
    if invited_by.role == Role.EMPLOYER:
        membership = getattr(invited_by, "employer_membership", None)
        if (
            organisation is None
            or membership is None
            or membership.organisation_id != organisation.pk
        ):
            raise InvitationError(_("You can only invite colleagues into your own business."))
        if not membership.is_owner:
            raise InvitationError(
                _("Only the person who manages your business's account can invite.")
            )
    if role in (Role.PRACTITIONER, Role.ADMIN) and organisation is not None:
        raise InvitationError(_("Staff do not belong to an employer."))


@transaction.atomic
def invitation_send(
    *,
    email: str,
    role: str,
    invited_by: User,
    organisation: Organisation | None = None,
    practitioner: User | None = None,
    office: Office | None = None,
) -> Invitation:
    """Create the invitation and email the link once the transaction commits."""
    email = email.strip().lower()
    if role not in Role.values:
        raise InvitationError(_("Unknown role."))
    _check_inviter(role=role, invited_by=invited_by, organisation=organisation)
    if User.objects.filter(email__iexact=email).exists():
        raise InvitationError(_("An account with this email address already exists."))
    if Invitation.objects.pending().filter(email__iexact=email).exists():
        raise InvitationError(_("This person already has an invitation waiting."))
    if invited_by.role == Role.PRACTITIONER:
        practitioner = practitioner or invited_by
        office = office or invited_by.office
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        invited_by=invited_by,
        office=office,
        organisation=organisation,
        practitioner=practitioner,
        token_digest=_digest(token),
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])
    transaction.on_commit(lambda: _email_invitation(invitation=invitation, link=link))
    return invitation


def _email_invitation(*, invitation: Invitation, link: str) -> None:
    """Both languages in one message: we do not know the invitee's language yet."""
    inviter = invitation.invited_by.display_name
    parts, subjects = [], []
    for language in ("en", "fr"):
        with translation.override(language):
            subjects.append(_("Thriving Workplaces — invitation"))
            parts.append(
                _(
                    "%(inviter)s invited you to Thriving Workplaces, a Nova Scotia Works service.\n"
                    "Create your account here (the link works for %(days)s days):\n%(link)s"
                )
                % {"inviter": inviter, "days": INVITATION_DAYS, "link": link}
            )
    send_mail(
        subject=" / ".join(subjects),
        message="\n\n---\n\n".join(parts),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation behind a link, whatever its state; None for an unknown token."""
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.select_related("organisation", "office")
        .filter(token_digest=_digest(token))
        .first()
    )


@dataclass(frozen=True)
class AcceptDetails:
    full_name: str
    password: str
    language: str
    organisation: dict[str, Any] | None = None  # for an employer invited without a business


@transaction.atomic
def invitation_accept(*, token: str, details: AcceptDetails) -> User:
    """Create the account in its place. Accepting twice, or late, is refused."""
    from employers.models import Member, Organisation
    from seekers.models import Seeker

    found = invitation_for_token(token=token)
    invitation = (
        Invitation.objects.select_for_update().get(pk=found.pk) if found is not None else None
    )
    if invitation is None or not invitation.is_pending:
        raise InvitationError(_("This invitation link is no longer valid. Ask for a new one."))
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationError(_("An account with this email address already exists."))
    user = User(
        email=invitation.email,
        full_name=details.full_name.strip(),
        role=invitation.role,
        language=details.language if details.language in ("en", "fr") else "en",
        office=invitation.office if invitation.role in (Role.PRACTITIONER, Role.ADMIN) else None,
        is_staff=invitation.role == Role.ADMIN,
    )
    try:
        validate_password(details.password, user)
    except ValidationError as error:
        raise InvitationError(" ".join(error.messages)) from error
    user.set_password(details.password)
    user.save()
    if invitation.role == Role.SEEKER:
        Seeker.objects.create(
            user=user, practitioner=invitation.practitioner, office=invitation.office
        )
    elif invitation.role == Role.EMPLOYER:
        organisation = invitation.organisation
        is_owner = organisation is None
        if organisation is None:
            if not details.organisation:
                raise InvitationError(_("Please tell us about your business."))
            organisation = Organisation.objects.create(
                **details.organisation,
                practitioner=invitation.practitioner,
                office=invitation.office,
            )
        Member.objects.create(user=user, organisation=organisation, is_owner=is_owner)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user


def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    if invitation.invited_by_id != by.pk and by.role != Role.ADMIN:
        raise InvitationError(_("You can only withdraw invitations you sent."))
    if invitation.is_pending:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
