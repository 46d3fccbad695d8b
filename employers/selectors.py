"""Reads of an employer's own organisation."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from accounts.models import User
from employers.models import Organisation
from factors.models import FrameworkVersion
from factors.progress import FactorProgress, progress_by_factor


def organisation_of(*, user: User) -> Organisation:
    """The member's own business. Every employer page starts here."""
    try:
        return user.employer_membership.organisation  # type: ignore[attr-defined]
    except Organisation.DoesNotExist as exc:
        raise Http404("No organisation.") from exc
    except AttributeError as exc:
        raise Http404("No organisation.") from exc


def organisation_progress(
    *, organisation: Organisation, version: FrameworkVersion
) -> list[FactorProgress]:
    return progress_by_factor(
        version=version,
        answer_relation="employer_answers",
        owner_filter=Q(items__employer_answers__organisation=organisation),
    )
