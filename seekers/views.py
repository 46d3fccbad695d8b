"""The job seeker's room."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.permissions import requires
from factors.selectors import current_version_or_404
from seekers.models import Seeker
from seekers.selectors import seeker_progress


@require_GET
@requires("seeker.use")
def home(request: HttpRequest) -> HttpResponse:
    seeker, _ = Seeker.objects.get_or_create(user=request.user)
    version = current_version_or_404()
    progress = seeker_progress(seeker=seeker, version=version)
    context = {
        "seeker": seeker,
        "progress": progress,
        "done": sum(1 for p in progress if p.complete),
    }
    return render(request, "seekers/home.html", context)
