"""Fixtures for the framework editor: a draft, and a helper that posts a factor's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from factors import services
from factors.editor import selectors
from factors.editor.forms import FactorPage
from factors.models import Factor, FrameworkVersion


@pytest.fixture
def draft(cast) -> FrameworkVersion:
    return services.draft_start(by=cast.admin)


@pytest.fixture
def admin_client(cast) -> Client:
    return cast.client_for(cast.admin)


def factor_of(version: FrameworkVersion, key: str = "values") -> Factor:
    """A fresh factor row (no prefetch cache), so counts in tests read the database."""
    return version.factors.get(key=key)


def page_data(factor: Factor, **changes: Any) -> dict[str, Any]:
    """What the browser posts for the factor's page as it stands, with ``changes`` on top.

    Keys are the form field names (``factor-name_fr``, ``item-12-worker_text_en``).
    """
    page = FactorPage(selectors.factor_for_editing_or_404(version=factor.version, key=factor.key))
    data: dict[str, Any] = {}
    forms = [page.texts] + [r.form for r in page.items]
    forms += [r.form for group in page.prompt_groups for r in group.rows]
    for form in forms:
        for name, _field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            else:
                data[key] = "" if value is None else value
    data["new-prompt-limiting"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def edit_url(version: FrameworkVersion, key: str = "values") -> str:
    return reverse("factors:factor_edit", args=[version.number, key])
