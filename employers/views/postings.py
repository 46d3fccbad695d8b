"""The magnetic job posting of a role: generated draft, editor, checker, download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import requires
from employers import services
from employers.forms import PostingForm
from employers.models import JobPosting, JobRole
from employers.postings import LANGUAGES, posting_check, posting_draft
from employers.selectors import RoleFactor, organisation_of, role_factors, role_of


def _interface_language() -> str:
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def _page(
    request: HttpRequest,
    *,
    role: JobRole,
    factors: list[RoleFactor],
    form: PostingForm,
    text: str,
    language: str,
    posting: JobPosting | None,
    is_draft: bool,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "section": "roles",
        "organisation": role.organisation,
        "role": role,
        "form": form,
        "posting": posting,
        "is_draft": is_draft,
        "check": posting_check(text=text, language=language, factors=[f.factor for f in factors]),
        "errors": [(name, e) for name, errs in form.errors.items() for e in errs]
        if form.is_bound
        else [],
    }
    return render(request, "employers/posting.html", context, status=status)


@require_http_methods(["GET", "POST"])
@requires("employer.use")
def posting_edit(request: HttpRequest, role_id: int) -> HttpResponse:
    """Shows the saved posting, or a fresh draft (``?fresh=1&language=fr``) not yet saved."""
    organisation = organisation_of(user=request.user)
    role = role_of(organisation=organisation, role_id=role_id)
    factors = role_factors(role=role)
    posting = JobPosting.objects.filter(role=role).first()
    if request.method == "POST":
        form = PostingForm(request.POST)
        if request.POST.get("action") == "check":
            # "Check my text without saving" (works without JavaScript): same page, not saved.
            valid = form.is_valid()
            return _page(
                request,
                role=role,
                factors=factors,
                form=form,
                text=str(form.data.get("text", ""))[: PostingForm.base_fields["text"].max_length],
                language=str(form.data.get("language", "")),
                posting=posting,
                is_draft=False,
                status=200 if valid else 422,
            )
        if form.is_valid():
            try:
                services.posting_save(
                    role=role,
                    text=form.cleaned_data["text"],
                    language=form.cleaned_data["language"],
                    by=request.user,
                )
            except services.EmployerError as error:
                form.add_error("text", str(error))
            else:
                messages.success(request, _("Your posting is saved."))
                return redirect("employers:posting_edit", role_id=role.pk)
        return _page(
            request,
            role=role,
            factors=factors,
            form=form,
            text=str(form.data.get("text", ""))[: PostingForm.base_fields["text"].max_length],
            language=str(form.data.get("language", "")),
            posting=posting,
            is_draft=False,
            status=422,
        )
    if posting is not None and request.GET.get("fresh") != "1":
        language, text, is_draft = posting.language, posting.text, False
    else:
        requested = request.GET.get("language", "")
        language = requested if requested in LANGUAGES else _interface_language()
        text, is_draft = posting_draft(role=role, factors=factors, language=language), True
    form = PostingForm(initial={"language": language, "text": text})
    return _page(
        request,
        role=role,
        factors=factors,
        form=form,
        text=text,
        language=language,
        posting=posting,
        is_draft=is_draft,
    )


@require_POST
@requires("employer.use")
def posting_check_view(request: HttpRequest, role_id: int) -> HttpResponse:
    """Re-run the checker on what was written, without saving it (htmx, on input).

    Only the checker's results are returned. Without htmx the whole page comes back with
    the text as written; the page's own "Check my text" button posts to ``posting_edit``
    with ``action=check`` so the browser stays on the posting's address.
    """
    organisation = organisation_of(user=request.user)
    role = role_of(organisation=organisation, role_id=role_id)
    factors = role_factors(role=role)
    form = PostingForm(request.POST)
    valid = form.is_valid()
    text = str(form.data.get("text", ""))[: PostingForm.base_fields["text"].max_length]
    language = str(form.data.get("language", ""))
    if not request.headers.get("HX-Request"):
        return _page(
            request,
            role=role,
            factors=factors,
            form=form,
            text=text,
            language=language,
            posting=JobPosting.objects.filter(role=role).first(),
            is_draft=False,
            status=200 if valid else 422,
        )
    context = {
        "role": role,
        "check": posting_check(text=text, language=language, factors=[f.factor for f in factors]),
        "oob": True,
        "field_errors": [e for errs in form.errors.values() for e in errs],
    }
    return render(
        request, "employers/partials/posting_check.html", context, status=200 if valid else 422
    )


@require_GET
@requires("employer.use")
def posting_download(request: HttpRequest, role_id: int) -> HttpResponse:
    """The saved posting as a plain-text file (the generated draft if none is saved yet)."""
    organisation = organisation_of(user=request.user)
    role = role_of(organisation=organisation, role_id=role_id)
    posting = JobPosting.objects.filter(role=role).first()
    if posting is not None:
        text = posting.text
    else:
        text = posting_draft(
            role=role, factors=role_factors(role=role), language=_interface_language()
        )
    name = slugify(role.title) or "role"
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="posting-{role.pk}-{name}.txt"'
    return response
