"""Framework pages: the admins' overview (versions, draft, publish) and a factor's page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from accounts.permissions import requires
from factors import services
from factors.forms import PublishForm
from factors.models import FrameworkVersion, VersionStatus
from factors.selectors import current_version_or_404, factor_by_key_or_404, factors_with_content


@require_GET
@requires("framework.edit")
def overview(request: HttpRequest) -> HttpResponse:
    versions = FrameworkVersion.objects.select_related("published_by", "created_by")
    draft = versions.filter(status=VersionStatus.DRAFT).first()
    context = {
        "versions": versions,
        "draft": draft,
        "missing": services.missing_translations(version=draft) if draft else [],
        "publish_form": PublishForm(),
    }
    return render(request, "factors/overview.html", context)


@require_POST
@requires("framework.edit")
def draft_create(request: HttpRequest) -> HttpResponse:
    draft = services.draft_start(by=request.user)
    messages.success(request, _("Draft version %(n)s is ready to edit.") % {"n": draft.number})
    return redirect("factors:overview")


@require_POST
@requires("framework.edit")
def version_publish(request: HttpRequest, number: int) -> HttpResponse:
    version = FrameworkVersion.objects.filter(number=number).first()
    if version is None:
        raise Http404
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say why you are publishing this version."))
        return redirect("factors:overview")
    try:
        services.version_publish(version=version, by=request.user, note=form.cleaned_data["note"])
    except services.FrameworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Version %(n)s is published.") % {"n": version.number})
    return redirect("factors:overview")


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
