"""Report kinds, keyed by a stable name. The pipeline knows nothing about any one kind.

Each kind is one ``Renderer``: which roles may ask for it, how the request's
parameters are checked, whether the owner may still see the data when the worker
picks the job up, what goes into the template, and the document's title. Adding a
kind (the match summary, once the fit map exists) is one class and one
``@register`` — no change to the model, the task, the views or the URLs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.functional import Promise

from reports.models import Problem

if TYPE_CHECKING:
    from accounts.models import User
    from reports.models import Report


class ReportRefused(Exception):
    """Raised while rendering when the data, not the machine, prevents the report.

    The job is marked failed with ``problem`` (shown to the person) and never retried:
    trying again would give the same answer."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


class Renderer(ABC):
    kind: ClassVar[str]
    label: ClassVar[str | Promise]
    template: ClassVar[str]
    roles: ClassVar[frozenset[str]]

    @abstractmethod
    def clean_params(self, *, owner: User, params: Mapping[str, str]) -> dict[str, Any]:
        """Turn what the person sent into the report's parameters.

        Raise ``Http404`` for anything the owner may not see (another person's id),
        so a stranger cannot even learn that it exists."""

    @abstractmethod
    def title(self, *, owner: User, params: Mapping[str, Any]) -> str:
        """The document title, in the active language (shown in the list and the PDF)."""

    @abstractmethod
    def may_render(self, *, report: Report) -> bool:
        """May the owner still see this data? Asked again by the worker and on download."""

    @abstractmethod
    def context(self, *, report: Report) -> dict[str, Any]:
        """The template's context, in the active language. Raise ``ReportRefused`` for
        a problem in the data."""


_REGISTRY: dict[str, Renderer] = {}


class UnknownKind(LookupError):
    pass


def register[R: type[Renderer]](renderer_class: R) -> R:
    """Class decorator: one instance per kind; a kind name can only be taken once."""
    kind = renderer_class.kind
    if kind in _REGISTRY and type(_REGISTRY[kind]) is not renderer_class:
        raise ValueError(f"Report kind {kind!r} is already registered.")
    _REGISTRY[kind] = renderer_class()
    return renderer_class


def renderer_for(kind: str) -> Renderer:
    try:
        return _REGISTRY[kind]
    except KeyError as exc:
        raise UnknownKind(kind) from exc


def kinds() -> list[str]:
    return sorted(_REGISTRY)
