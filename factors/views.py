"""A factor's public page. The admins' editor lives in ``factors.editor``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Role
from factors.selectors import current_version_or_404, factor_by_key_or_404, factors_with_content


@require_GET
def factor_detail(request: HttpRequest, key: str) -> HttpResponse:
    """What a factor means, in the reader's side's words. Open to everyone."""
    version = current_version_or_404()
    factor = factor_by_key_or_404(version=version, key=key)
    side = (
        "employer"
        if request.user.is_authenticated and request.user.role == Role.EMPLOYER
        else "worker"
    )
    show_guidance = request.user.is_authenticated and request.user.role in (
        Role.PRACTITIONER,
        Role.ADMIN,
    )
    context = {
        "factor": factor,
        "version": version,
        "side": side,
        "show_guidance": show_guidance,
        "all_factors": factors_with_content(version=version),
    }
    return render(request, "factors/factor_detail.html", context)
