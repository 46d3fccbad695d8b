"""The admins' framework editor pages. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import requires
from factors import services as framework_services
from factors.editor import selectors, services
from factors.editor.forms import CompareForm, FactorPage, PublishForm, action_parse
from factors.editor.preview import preview_build, preview_language, preview_side
from factors.i18n import active_content_language
from factors.scales import Side
from factors.selectors import current_version

HISTORY_ON_OVERVIEW = 10
HISTORY_PAGE_SIZE = 50


@require_GET
@requires("framework.edit")
def overview(request: HttpRequest) -> HttpResponse:
    """Where admins start: the draft (or a button to start one), versions, recent history."""
    draft = selectors.draft_version()
    context = {
        "draft": draft,
        "versions": selectors.versions_all(),
        "recent": selectors.history()[:HISTORY_ON_OVERVIEW],
        "compare_form": CompareForm(versions=list(selectors.versions_all())),
        **(selectors.draft_overview(draft=draft) if draft else {}),
    }
    return render(request, "factors/editor/overview.html", context)


@require_POST
@requires("framework.edit")
def draft_create(request: HttpRequest) -> HttpResponse:
    draft = framework_services.draft_start(by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Draft version %(n)s is ready to edit.") % {"n": draft.number})
    return redirect("factors:overview")


@require_GET
@requires("framework.edit")
def version_detail(request: HttpRequest, number: int) -> HttpResponse:
    """Any version, read-only: what it says, in the admin's language."""
    version = selectors.version_by_number_or_404(number=number)
    context = {
        "version": version,
        "factors": selectors.version_factors(version=version),
        "previous": version.based_on,
    }
    return render(request, "factors/editor/version_detail.html", context)


def _factor_page(
    request: HttpRequest, page: FactorPage, *, status: int = 200, error: str = ""
) -> HttpResponse:
    version = page.factor.version
    context = {
        "version": version,
        "factor": page.factor,
        "page": page,
        "factors": selectors.factors_with_missing(version=version),
        "error": error,
        "error_links": page.error_links() if page.bound else [],
    }
    return render(request, "factors/editor/factor_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@requires("framework.edit")
def factor_edit(request: HttpRequest, number: int, key: str) -> HttpResponse:
    """One factor of a draft, English and French side by side, saved in one transaction."""
    version = selectors.version_by_number_or_404(number=number)
    factor = selectors.factor_for_editing_or_404(version=version, key=key)
    if request.method == "GET":
        if version.is_published:
            messages.warning(request, str(services.EditorError.published(version)))
            return redirect("factors:version_detail", number=version.number)
        return _factor_page(request, FactorPage(factor))

    page = FactorPage(factor, request.POST)
    if version.is_published:
        refusal = services.EditorError.published(version)
        return _factor_page(request, page, status=409, error=str(refusal))
    try:
        action = action_parse(request.POST.get("action", ""))
    except ValueError:
        return _factor_page(
            request, page, status=400, error=_("That button is not one this page knows.")
        )
    if not page.is_valid():
        return _factor_page(request, page, error=_("Nothing was saved. Please fix these:"))
    try:
        services.factor_page_save(factor=factor, edit=page.edit(action), by=request.user)  # type: ignore[arg-type]
    except services.EditorError as refusal:
        return _factor_page(request, page, status=409, error=str(refusal))
    messages.success(request, _("Saved."))
    target = reverse("factors:factor_edit", args=[version.number, factor.key])
    if action is not None:
        target += f"#{action.kind}-{action.pk}"
    return redirect(target)


@require_GET
@requires("framework.edit")
def factor_preview(request: HttpRequest, number: int, key: str) -> HttpResponse:
    """The activity as a seeker or an employer would see it, in either language.

    The preview's language is a query parameter: the admin's own language does not change.
    """
    version = selectors.version_by_number_or_404(number=number)
    factor = selectors.factor_for_editing_or_404(version=version, key=key)
    side = preview_side(request.GET.get("side"))
    language = preview_language(request.GET.get("lang"), active_content_language())
    context = {
        "version": version,
        "factor": factor,
        "factors": version.factors.order_by("order"),
        "preview": preview_build(factor=factor, side=side, language=language),
        "sides": [(Side.WORKER, _("a job seeker")), (Side.EMPLOYER, _("an employer"))],
        "languages": [("en", "English"), ("fr", "Français")],
        "admin_language": get_language(),
    }
    return render(request, "factors/editor/preview.html", context)


@require_GET
@requires("framework.edit")
def compare(request: HttpRequest) -> HttpResponse:
    """Any two versions, item by item, in plain words. Default: published against draft."""
    versions = list(selectors.versions_all())
    data = request.GET if "old" in request.GET or "new" in request.GET else None
    if data is None:
        draft, published = selectors.draft_version(), current_version()
        newest = draft or published
        oldest = published if draft else (published.based_on if published else None)
        data = {"old": oldest.number if oldest else "", "new": newest.number if newest else ""}
    form = CompareForm(data, versions=versions)
    changes = None
    old = new = None
    if form.is_valid():
        by_number = {v.number: v for v in versions}
        old, new = by_number[form.cleaned_data["old"]], by_number[form.cleaned_data["new"]]
        changes = selectors.versions_compare(old=old, new=new)
    context = {
        "form": form,
        "old": old,
        "new": new,
        "changes": changes,
        "groups": selectors.changes_by_factor(changes or []),
    }
    return render(request, "factors/editor/compare.html", context)


@require_http_methods(["GET", "POST"])
@requires("framework.edit")
def version_publish(request: HttpRequest, number: int) -> HttpResponse:
    """Review and publish a draft in one step, with a note of why."""
    version = selectors.version_by_number_or_404(number=number)
    if version.is_published:
        messages.info(request, _("Version %(n)s is already published.") % {"n": version.number})
        return redirect("factors:version_detail", number=version.number)
    form = PublishForm(request.POST if request.method == "POST" else None)
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            framework_services.version_publish(
                version=version,
                by=request.user,  # type: ignore[arg-type]
                note=form.cleaned_data["note"],
            )
        except framework_services.FrameworkError as refusal:
            error, status = str(refusal), 409
        else:
            messages.success(
                request,
                _("Version %(n)s is published. New answers use it from now on.")
                % {"n": version.number},
            )
            return redirect("factors:overview")
    published = current_version()
    changes = selectors.versions_compare(old=published, new=version) if published else []
    context = {
        "version": version,
        "form": form,
        "error": error,
        "missing": framework_services.missing_translations(version=version),
        "published": published,
        "groups": selectors.changes_by_factor(changes),
        "change_count": len(changes),
    }
    return render(request, "factors/editor/publish.html", context, status=status)


@require_GET
@requires("framework.edit")
def history(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.history(), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "factors/editor/history.html", {"page": page})
