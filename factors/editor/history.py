"""The framework's history: one row per thing an admin did, written beside the change."""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import User
from factors.models import ChangeAction, FrameworkChange, FrameworkVersion


def change_record(
    *,
    version: FrameworkVersion,
    action: ChangeAction,
    by: User | None,
    factor_key: str = "",
    subject: str = "",
    fields: Iterable[str] = (),
    note: str = "",
) -> FrameworkChange:
    """Call inside the transaction that makes the change, so both commit or neither does."""
    return FrameworkChange.objects.create(
        version=version,
        action=action,
        by=by if by is not None and by.pk else None,
        factor_key=factor_key,
        subject=subject[:80],
        fields=list(fields),
        note=note,
    )
