"""Assisted sessions: a practitioner goes through an activity with a client, one to one.

The answers are saved through the client's own services (the same checks as when they
answer alone), marked as given with this practitioner's help, and the client is then
recorded as served one-to-one. All of it, or (on any refusal) none of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from employers import services as employer_services
from employers.models import Organisation
from factors.delivery import DeliveryMethod
from factors.models import Factor
from practitioners.access import ensure_can_change
from practitioners.services import WorkspaceError
from seekers import selectors as seeker_selectors
from seekers import services as seeker_services
from seekers.models import Seeker


def assisted_refusal(*, seeker: Seeker, shares: bool | None = None) -> str | None:
    """Why a seeker's activities cannot be done with them here, if they cannot (``shares``:
    whether they share with their practitioner, when the caller has just read it)."""
    if seeker.erased_at is not None:
        return _("This person's records were anonymised at their request.")
    if not seeker_selectors.has_data_consent(seeker=seeker):
        return _(
            "This job seeker has not agreed yet to how their answers are used. "
            "They need to sign in and agree first."
        )
    if shares is None:
        shares = seeker_selectors.shares_with_practitioner(seeker=seeker)
    if not shares:
        return _(
            "This job seeker does not share their answers with their practitioner. "
            "They can turn sharing on from their profile page."
        )
    return None


def _served_one_to_one(client: Seeker | Organisation) -> None:
    if client.delivery_method != DeliveryMethod.ONE_TO_ONE:
        client.delivery_method = DeliveryMethod.ONE_TO_ONE
        client.save(update_fields=["delivery_method"])


@transaction.atomic
def assisted_seeker_activity_save(
    *,
    seeker: Seeker,
    factor: Factor,
    by: User,
    answers: Sequence[seeker_services.AnswerInput],
    reflection: str | None,
) -> int:
    ensure_can_change(user=by, client=seeker)
    refusal = assisted_refusal(seeker=seeker)
    if refusal:
        raise WorkspaceError(refusal)
    try:
        count = seeker_services.activity_save(
            seeker=seeker, factor=factor, answers=answers, reflection=reflection, assisted_by=by
        )
    except seeker_services.SeekerError as error:
        raise WorkspaceError(str(error)) from error
    _served_one_to_one(seeker)
    return count


@transaction.atomic
def assisted_offer_save(
    *,
    organisation: Organisation,
    by: User,
    answers: list[employer_services.OfferInput],
) -> int:
    ensure_can_change(user=by, client=organisation)
    try:
        saved = employer_services.offer_answers_save(
            organisation=organisation, answers=answers, by=by, assisted_by=by
        )
    except employer_services.EmployerError as error:
        raise WorkspaceError(str(error)) from error
    _served_one_to_one(organisation)
    return len(saved)
