"""The report kinds: the seeker's profile, the employer's offer, the match summary (a
seeker and a role, factor by factor, for the seeker's practitioner), the workplace bargain
of a placement, and the program report (the outcomes dashboard for funders)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from accounts.permissions import get_for_viewer
from employers.models import JobRole, Organisation, RoleStatus
from employers.selectors import organisation_of
from factors.charts import ChartRow, bar_chart, charts_for_print
from reports.content import (
    employer_offer_content,
    match_summary_content,
    seeker_profile_content,
)
from reports.models import Problem
from reports.registry import Renderer, ReportRefused, register
from seekers.models import Seeker

if TYPE_CHECKING:
    from accounts.models import User
    from reports.models import Report


PRINT_FONTS = "Liberation Sans, DejaVu Sans, sans-serif"


def _print_chart(chart: SafeString) -> SafeString:
    """The shared chart, with the print stylesheet's fonts: stylesheet rules do not reach
    inside an SVG in WeasyPrint, so the font is set on the drawing itself (otherwise its
    labels come out in another typeface, embedded as one more font)."""
    return SafeString(chart.replace("<svg ", f'<svg font-family="{PRINT_FONTS}" ', 1))


def _subject_id(params: Mapping[str, Any], name: str = "subject") -> int:
    """The id of the person or business a report is about, from the request.

    Anything that is not a plain positive number is "not found", never a 500."""
    raw = str(params.get(name, "")).strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise Http404("No such subject.")
    return int(raw)


@register
class SeekerProfileReport(Renderer):
    kind = "seeker_profile"
    label = gettext_lazy("Magnetic Profile")
    template = "reports/print/seeker_profile.html"
    roles = frozenset({Role.SEEKER, Role.PRACTITIONER, Role.ADMIN})

    def clean_params(self, *, owner: User, params: Mapping[str, str]) -> dict[str, Any]:
        """A seeker's own profile needs no id; staff name a seeker they may see."""
        if owner.role == Role.SEEKER:
            seeker = Seeker.objects.filter(user=owner).only("pk").first()
            if seeker is None:
                raise Http404("No seeker record.")
            return {"seeker": seeker.pk}
        seeker = get_for_viewer(Seeker.objects.only("pk"), owner, pk=_subject_id(params))
        return {"seeker": seeker.pk}

    def title(self, *, owner: User, params: Mapping[str, Any]) -> str:
        seeker = Seeker.objects.select_related("user").get(pk=params["seeker"])
        return _("Magnetic Profile — %(name)s") % {"name": seeker.user.display_name}

    def may_render(self, *, report: Report) -> bool:
        return (
            Seeker.objects.visible_to(report.owner).filter(pk=report.params.get("seeker")).exists()
        )

    def context(self, *, report: Report) -> dict[str, Any]:
        seeker = Seeker.objects.select_related("user").filter(pk=report.params["seeker"]).first()
        if seeker is None:
            raise ReportRefused(Problem.GONE)
        profile = seeker_profile_content(seeker=seeker)
        chart = _print_chart(
            bar_chart(
                rows=[ChartRow(s.name, s.value, s.value_text) for s in profile.factors],
                title=_("How much each factor matters to %(name)s") % {"name": profile.name},
                description=_(
                    "One bar per Magnetic Factor: the longer the bar, the more it matters. "
                    "Factors not answered yet have no bar."
                ),
                chart_id="profile-chart",
            )
        )
        return {"profile": profile, "chart": chart}


@register
class EmployerOfferReport(Renderer):
    kind = "employer_offer"
    label = gettext_lazy("What we offer")
    template = "reports/print/employer_offer.html"
    roles = frozenset({Role.EMPLOYER, Role.PRACTITIONER, Role.ADMIN})

    def clean_params(self, *, owner: User, params: Mapping[str, str]) -> dict[str, Any]:
        """A member's own business needs no id; staff name a business they may see."""
        if owner.role == Role.EMPLOYER:
            return {"organisation": organisation_of(user=owner).pk}
        organisation = get_for_viewer(
            Organisation.objects.only("pk"), owner, pk=_subject_id(params)
        )
        return {"organisation": organisation.pk}

    def title(self, *, owner: User, params: Mapping[str, Any]) -> str:
        organisation = Organisation.objects.only("name").get(pk=params["organisation"])
        return _("What we offer — %(name)s") % {"name": organisation.name}

    def may_render(self, *, report: Report) -> bool:
        return (
            Organisation.objects.visible_to(report.owner)
            .filter(pk=report.params.get("organisation"))
            .exists()
        )

    def context(self, *, report: Report) -> dict[str, Any]:
        organisation = Organisation.objects.filter(pk=report.params["organisation"]).first()
        if organisation is None:
            raise ReportRefused(Problem.GONE)
        offer = employer_offer_content(organisation=organisation)
        chart = _print_chart(
            bar_chart(
                rows=[ChartRow(s.name, s.value, s.value_text) for s in offer.factors],
                title=_("What %(name)s offers, factor by factor") % {"name": offer.name},
                description=_(
                    "One bar per Magnetic Factor: the share of what job seekers look for that "
                    "the business offers. Factors not answered yet have no bar."
                ),
                chart_id="offer-chart",
            )
        )
        return {"offer": offer, "chart": chart}


@register
class BargainReport(Renderer):
    """The workplace bargain of a placement, for the practitioners of either side."""

    kind = "bargain"
    label = gettext_lazy("Workplace bargain")
    template = "practitioners/print/bargain.html"
    roles = frozenset({Role.PRACTITIONER, Role.ADMIN})

    def clean_params(self, *, owner: User, params: Mapping[str, str]) -> dict[str, Any]:
        from practitioners.models import Bargain
        from practitioners.selectors.placements import placements_visible_to

        placement = get_for_viewer(
            placements_visible_to(owner).only("pk"), owner, pk=_subject_id(params)
        )
        if not Bargain.objects.filter(placement=placement).exists():
            raise Http404("No bargain for this placement yet.")
        return {"placement": placement.pk}

    def title(self, *, owner: User, params: Mapping[str, Any]) -> str:
        from practitioners.models import Placement

        placement = Placement.objects.select_related("seeker__user", "organisation").get(
            pk=params["placement"]
        )
        return _("Workplace bargain — %(name)s and %(business)s") % {
            "name": placement.seeker.user.display_name,
            "business": placement.organisation.name,
        }

    def may_render(self, *, report: Report) -> bool:
        from practitioners.selectors.placements import placements_visible_to

        return (
            placements_visible_to(report.owner).filter(pk=report.params.get("placement")).exists()
        )

    def context(self, *, report: Report) -> dict[str, Any]:
        from practitioners.models import Bargain
        from practitioners.selectors.bargains import factor_names

        bargain = (
            Bargain.objects.select_related(
                "placement__seeker__user", "placement__organisation", "placement__role"
            )
            .prefetch_related("terms")
            .filter(placement_id=report.params["placement"])
            .first()
        )
        if bargain is None:
            raise ReportRefused(Problem.GONE)
        names = factor_names()
        terms = [(names.get(t.factor_key, t.factor_key), t.text) for t in bargain.terms.all()]
        return {"bargain": bargain, "placement": bargain.placement, "terms": terms}


@register
class ProgramReport(Renderer):
    """The program dashboard as a PDF for funders: every table and chart, with the
    dashboard's filters and the same small-cell suppression (``outcomes.dashboard``)."""

    kind = "program"
    label = gettext_lazy("Program report")
    template = "outcomes/dashboard/print_program.html"
    roles = frozenset({Role.ADMIN})

    def clean_params(self, *, owner: User, params: Mapping[str, str]) -> dict[str, Any]:
        from outcomes.dashboard.filters import DashboardFilterForm

        form = DashboardFilterForm({k: v for k, v in params.items() if k != "subject"})
        if not form.is_valid():
            raise Http404("Unknown filters.")
        return form.filters().as_params()

    def title(self, *, owner: User, params: Mapping[str, Any]) -> str:
        return _("Program report — %(date)s") % {"date": timezone.localdate().isoformat()}

    def may_render(self, *, report: Report) -> bool:
        return report.owner.is_active and report.owner.role == Role.ADMIN

    def context(self, *, report: Report) -> dict[str, Any]:
        from outcomes.dashboard.build import program_dashboard
        from outcomes.dashboard.filters import filters_from_params

        # Each table follows its chart with every figure, so the charts are drawn alone.
        with charts_for_print(data_given_beside=True):
            board = program_dashboard(
                filters=filters_from_params(dict(report.params)), today=timezone.localdate()
            )
        for table in board.tables:
            if table.chart is not None:
                table.chart = _print_chart(table.chart)
        return {"dashboard": board, "filters": _filter_names(report.params)}


def _filter_names(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The report's filters in words, for its first page."""
    from accounts.models import Office, User

    names: list[tuple[str, str]] = []
    if params.get("office"):
        office = Office.objects.filter(pk=params["office"]).first()
        names.append((_("Office"), office.name if office else "—"))
    if params.get("practitioner"):
        person = User.objects.filter(pk=params["practitioner"]).first()
        names.append((_("Practitioner"), person.display_name if person else "—"))
    if params.get("start"):
        names.append((_("From"), str(params["start"])))
    if params.get("end"):
        names.append((_("To"), str(params["end"])))
    return names


def _roles_for_practitioner(owner: User) -> Any:
    """Roles a practitioner may put beside a seeker: any published role, and every role
    of the businesses they may see (their caseload and office)."""
    return JobRole.objects.filter(
        Q(status=RoleStatus.PUBLISHED) | Q(pk__in=JobRole.objects.visible_to(owner).values("pk"))
    )


@register
class MatchSummaryReport(Renderer):
    """A seeker and a role side by side for a three-way meeting, for the seeker's
    practitioner: the fit map factor by factor, both sides' answers as far as the
    seeker's consent allows, and points to discuss."""

    kind = "match_summary"
    label = gettext_lazy("Match summary")
    template = "reports/print/match_summary.html"
    roles = frozenset({Role.PRACTITIONER})

    def clean_params(self, *, owner: User, params: Mapping[str, str]) -> dict[str, Any]:
        seeker = get_for_viewer(
            Seeker.objects.only("pk"), owner, pk=_subject_id(params, "seeker_id")
        )
        role_id = _subject_id(params, "role_id")
        role = _roles_for_practitioner(owner).filter(pk=role_id).only("pk").first()
        if role is None:
            raise Http404("No such role.")
        return {"seeker": seeker.pk, "role": role.pk}

    def title(self, *, owner: User, params: Mapping[str, Any]) -> str:
        seeker = Seeker.objects.select_related("user").get(pk=params["seeker"])
        role = JobRole.objects.only("title").get(pk=params["role"])
        return _("Match summary — %(name)s and %(role)s") % {
            "name": seeker.user.display_name,
            "role": role.title,
        }

    def may_render(self, *, report: Report) -> bool:
        return (
            Seeker.objects.visible_to(report.owner).filter(pk=report.params.get("seeker")).exists()
            and _roles_for_practitioner(report.owner).filter(pk=report.params.get("role")).exists()
        )

    def context(self, *, report: Report) -> dict[str, Any]:
        seeker = Seeker.objects.select_related("user").filter(pk=report.params["seeker"]).first()
        role = (
            JobRole.objects.select_related("organisation").filter(pk=report.params["role"]).first()
        )
        if seeker is None or role is None:
            raise ReportRefused(Problem.GONE)
        return {"match": match_summary_content(seeker=seeker, role=role)}
