"""Consents last twelve months; the person is asked to renew (a scheduled job and a banner).

* The service's own consents (``seekers.Consent``: use of answers, sharing with the
  practitioner) are warned about a month before their first year is up and ended at
  twelve months by stamping ``withdrawn_at`` — the seekers app already reads that as "no
  consent" and asks again on the next visit.
* Sharing with one employer (``seekers.EmployerConsent``) already ends by its own
  ``expires_at``; the job warns a month before and tells the person when it has ended.

Each email is sent once per consent and stage (``ConsentNotice``). Renewing is one button on
the seeker's home page: a new agreement row for the service's consents (the history keeps
the old one), or ``consent_grant_employer`` for an employer, which starts twelve new months.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from employers.models import Organisation
from outcomes.models import ConsentNotice, NoticeStage
from seekers.models import Consent, ConsentKind, EmployerConsent, EmployerConsentSource, Seeker

logger = logging.getLogger("thriving.outcomes")

CONSENT_DAYS = 365
WARN_DAYS = 30  # warn this long before a consent ends; the banner shows from then
ENDED_BANNER_DAYS = 30  # an ended sharing stays on the banner this long


class RenewalError(Exception):
    pass


@dataclass(frozen=True)
class Renewal:
    """One line of the renewal banner."""

    kind: str  # a ConsentKind value, or "employer"
    ends_at: datetime
    ended: bool
    organisation: Organisation | None = None
    employer_consent_id: int | None = None


def consent_ends_at(consent: Consent) -> datetime:
    return consent.granted_at + timedelta(days=CONSENT_DAYS)


# --- the scheduled job ------------------------------------------------------------------


def consents_expire(*, now: datetime | None = None) -> int:
    """Warn, end and tell. Returns the number of emails sent. Safe to run any time."""
    now = now or timezone.now()
    sent = 0
    year_ago = now - timedelta(days=CONSENT_DAYS)
    warn_from = now - timedelta(days=CONSENT_DAYS - WARN_DAYS)
    active = Consent.objects.filter(withdrawn_at__isnull=True, seeker__erased_at__isnull=True)
    # End the service's consents that are a year old (both kinds), one seeker at a time.
    for seeker_id in (
        active.filter(granted_at__lte=year_ago).values_list("seeker_id", flat=True).distinct()
    ):
        ended = _end_for_seeker(seeker_id=seeker_id, now=now, year_ago=year_ago)
        if ended is not None:  # emailed after the commit: the consent has really ended
            sent += _email(ended.seeker, "ended", ends_at=consent_ends_at(ended))
    # Warn about the use-of-answers consent a month before (it decides access to the service).
    for consent in active.filter(
        kind=ConsentKind.DATA_USE, granted_at__lte=warn_from, granted_at__gt=year_ago
    ).select_related("seeker__user"):
        if _claim(seeker=consent.seeker, consent=consent, stage=NoticeStage.ENDING, now=now):
            sent += _email(consent.seeker, "ending", ends_at=consent_ends_at(consent))
    # Sharing with employers: warn a month before, tell when ended.
    employer = EmployerConsent.objects.filter(
        withdrawn_at__isnull=True, seeker__erased_at__isnull=True
    ).select_related("seeker__user", "organisation")
    for ec in employer.filter(expires_at__gt=now, expires_at__lte=now + timedelta(days=WARN_DAYS)):
        if _claim(seeker=ec.seeker, employer_consent=ec, stage=NoticeStage.ENDING, now=now):
            sent += _email(ec.seeker, "employer_ending", ends_at=ec.expires_at, org=ec.organisation)
    for ec in employer.filter(
        expires_at__lte=now, expires_at__gt=now - timedelta(days=ENDED_BANNER_DAYS)
    ):
        if _claim(seeker=ec.seeker, employer_consent=ec, stage=NoticeStage.ENDED, now=now):
            sent += _email(ec.seeker, "employer_ended", ends_at=ec.expires_at, org=ec.organisation)
    return sent


@transaction.atomic
def _end_for_seeker(*, seeker_id: int, now: datetime, year_ago: datetime) -> Consent | None:
    seeker = Seeker.objects.select_for_update().select_related("user").get(pk=seeker_id)
    ending = list(
        seeker.consents.filter(withdrawn_at__isnull=True, granted_at__lte=year_ago).order_by("pk")
    )
    if not ending:
        return None
    Consent.objects.filter(pk__in=[c.pk for c in ending]).update(withdrawn_at=now)
    ConsentNotice.objects.bulk_create(
        [
            ConsentNotice(seeker=seeker, consent=c, stage=NoticeStage.ENDED, sent_at=now)
            for c in ending
        ],
        ignore_conflicts=True,
    )
    ended = next((c for c in ending if c.kind == ConsentKind.DATA_USE), ending[0])
    ended.seeker = seeker
    return ended


def _claim(*, seeker: Seeker, stage: str, now: datetime, **target: object) -> bool:
    """Record the notice; False when it was already sent (so each goes out once)."""
    try:
        with transaction.atomic():
            ConsentNotice.objects.create(seeker=seeker, stage=stage, sent_at=now, **target)
    except IntegrityError:
        return False
    return True


def _email(
    seeker: Seeker, stage: str, *, ends_at: datetime, org: Organisation | None = None
) -> int:
    user = seeker.user
    if not user.is_active or not user.email:
        return 0
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "stage": stage,
            "ends_at": timezone.localtime(ends_at),
            "organisation": org.name if org else "",
            "link": settings.SITE_URL.rstrip("/") + reverse("seekers:home"),
        }
        subject = (
            _("Your consent has ended: renew it to keep using Thriving Workplaces")
            if stage == "ended"
            else _("Your consent ends soon: renew it in one click")
        )
        text = render_to_string("outcomes/email/consent.txt", context)
        html = render_to_string("outcomes/email/consent.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:  # the notice row stays: the banner still asks on the next visit
        logger.exception("consent notice to user %s failed", user.pk)
        return 0
    return 1


# --- the banner -------------------------------------------------------------------------


def renewals_for(*, seeker: Seeker, now: datetime | None = None) -> list[Renewal]:
    """What the seeker's home page asks them to renew, soonest first."""
    now = now or timezone.now()
    rows: list[Renewal] = []
    warn_from = now - timedelta(days=CONSENT_DAYS - WARN_DAYS)
    for consent in seeker.consents.filter(withdrawn_at__isnull=True, granted_at__lte=warn_from):
        rows.append(Renewal(kind=consent.kind, ends_at=consent_ends_at(consent), ended=False))
    newer = EmployerConsent.objects.filter(
        seeker_id=OuterRef("seeker_id"),
        organisation_id=OuterRef("organisation_id"),
        withdrawn_at__isnull=True,
        expires_at__gt=now + timedelta(days=WARN_DAYS),
    )
    for ec in (
        seeker.employer_consents.filter(
            withdrawn_at__isnull=True,
            expires_at__gt=now - timedelta(days=ENDED_BANNER_DAYS),
            expires_at__lte=now + timedelta(days=WARN_DAYS),
        )
        .filter(~Exists(newer))
        .select_related("organisation")
    ):
        rows.append(
            Renewal(
                kind="employer",
                ends_at=ec.expires_at,
                ended=ec.expires_at <= now,
                organisation=ec.organisation,
                employer_consent_id=ec.pk,
            )
        )
    return sorted(rows, key=lambda r: r.ends_at)


@transaction.atomic
def consent_renew(*, seeker: Seeker, kind: str) -> Consent:
    """Agree again to the same wording: a new row starts twelve new months."""
    if kind not in ConsentKind.values:
        raise RenewalError(_("Choose a consent to renew."))
    Seeker.objects.select_for_update().filter(pk=seeker.pk).first()
    active = seeker.consents.filter(kind=kind, withdrawn_at__isnull=True).first()
    if active is None:
        raise RenewalError(_("This consent has already ended. Please agree again below."))
    now = timezone.now()
    active.withdrawn_at = now
    active.save(update_fields=["withdrawn_at"])
    return Consent.objects.create(
        seeker=seeker, kind=kind, wording_version=active.wording_version, granted_at=now
    )


def employer_consent_renew(*, seeker: Seeker, employer_consent_id: int) -> EmployerConsent:
    """Share again with the same employer for twelve months (only one of the seeker's own)."""
    from seekers.services import SeekerError, consent_grant_employer

    old = seeker.employer_consents.filter(pk=employer_consent_id, withdrawn_at__isnull=True).first()
    if old is None:
        raise RenewalError(_("This sharing cannot be renewed."))
    try:
        return consent_grant_employer(
            seeker=seeker, organisation=old.organisation, source=EmployerConsentSource.SEEKER
        )
    except SeekerError as error:
        raise RenewalError(str(error)) from None
