"""Writes about offices and staff accounts. Each one transaction; refusals are StaffError."""

from __future__ import annotations

import logging
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Office, User

logger = logging.getLogger("thriving.access")
SESSION_BATCH = 2000


class StaffError(Exception):
    """An expected refusal, shown to the admin as it is."""


def _office_name_free(name: str, *, except_pk: int | None = None) -> None:
    taken = Office.objects.filter(name__iexact=name)
    if except_pk is not None:
        taken = taken.exclude(pk=except_pk)
    if taken.exists():
        raise StaffError(_("There is already an office called “%(name)s”.") % {"name": name})


@transaction.atomic
def office_create(*, name: str, region: str, by: User) -> Office:
    name, region = name.strip(), region.strip()
    if not name:
        raise StaffError(_("An office needs a name."))
    _office_name_free(name)
    office = Office.objects.create(name=name, region=region)
    logger.info("office created: office=%s by=%s", office.pk, by.pk)
    return office


@transaction.atomic
def office_rename(*, office: Office, name: str, region: str, by: User) -> Office:
    office = Office.objects.select_for_update().get(pk=office.pk)
    name, region = name.strip(), region.strip()
    if not name:
        raise StaffError(_("An office needs a name."))
    _office_name_free(name, except_pk=office.pk)
    office.name, office.region = name, region
    office.save(update_fields=["name", "region"])
    logger.info("office renamed: office=%s by=%s", office.pk, by.pk)
    return office


def sessions_end(*, user: User) -> int:
    """Delete every stored session of ``user``; returns how many were ended.

    Sessions are stored in the database (``SESSION_ENGINE`` db or cached_db), keyed by
    session, not by user, so live sessions are read in batches and the user's are deleted
    through the session engine (which also clears a cached copy). Deactivation never relies
    on this alone: Django refuses an inactive user on the next request whatever the engine.
    """
    engine = import_module(settings.SESSION_ENGINE)
    user_id = str(user.pk)
    ended = 0
    live = Session.objects.filter(expire_date__gt=timezone.now()).order_by("pk")
    for session in live.iterator(chunk_size=SESSION_BATCH):
        if session.get_decoded().get("_auth_user_id") == user_id:
            engine.SessionStore(session_key=session.session_key).delete()
            ended += 1
    return ended


@transaction.atomic
def account_deactivate(*, user: User, by: User) -> int:
    """Stop an account at once: it can no longer sign in and its open sessions end."""
    if user.pk == by.pk:
        raise StaffError(_("You can't deactivate your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    ended = sessions_end(user=user)
    logger.warning("account deactivated: user=%s by=%s sessions=%s", user.pk, by.pk, ended)
    return ended


@transaction.atomic
def account_reactivate(*, user: User, by: User) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    logger.warning("account reactivated: user=%s by=%s", user.pk, by.pk)
