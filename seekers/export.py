"""Everything held about a seeker, as data they can take away (JSON and CSV).

The JSON mirrors the records; the CSV flattens the same data into one table a
spreadsheet opens, one row per fact. Both are built from ``export_data`` so
they can never disagree.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from factors.scales import Agreement
from seekers.models import MindsetResponse, Seeker
from seekers.profile import level_text

CSV_COLUMNS = ["section", "framework_version", "factor", "question", "answer", "detail", "date"]


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def _account(seeker: Seeker) -> dict[str, Any]:
    user = seeker.user
    return {
        "email": user.email,
        "name": user.full_name,
        "language": user.language,
        "joined": _when(user.date_joined),
        "office": seeker.office.name if seeker.office else None,
        "practitioner": seeker.practitioner.display_name if seeker.practitioner else None,
        "how_served": seeker.get_delivery_method_display(),
    }


def _answers(seeker: Seeker) -> list[dict[str, Any]]:
    rows = seeker.answers.select_related("item__factor__version", "assisted_by").order_by(
        "item__factor__version__number", "item__factor__order", "item__order", "item__pk"
    )
    return [
        {
            "framework_version": a.item.factor.version.number,
            "factor": str(a.item.factor.name),
            "question": str(a.item.worker_text),
            "question_code": a.item.code,
            "level": a.level,
            "answer": level_text(a.item.direction, a.level),
            "push_me_away": a.dealbreaker,
            "example": a.example,
            "answered_with": a.assisted_by.display_name if a.assisted_by else None,
            "updated": _when(a.updated_at),
        }
        for a in rows
    ]


def _reflections(seeker: Seeker) -> list[dict[str, Any]]:
    rows = seeker.reflections.select_related("factor__version").order_by(
        "factor__version__number", "factor__order"
    )
    return [
        {
            "framework_version": r.factor.version.number,
            "factor": str(r.factor.name),
            "question": str(r.factor.worker_reflection),
            "text": r.text,
            "updated": _when(r.updated_at),
        }
        for r in rows
    ]


def _mindset(seeker: Seeker) -> list[dict[str, Any]]:
    responses = MindsetResponse.objects.select_related("prompt__factor").order_by(
        "prompt__factor__order", "prompt__order", "prompt__pk"
    )
    rounds = seeker.mindset_rounds.select_related("version").prefetch_related(
        Prefetch("responses", queryset=responses)
    )
    return [
        {
            "answered": _when(r.answered_at),
            "occasion": r.get_occasion_display(),
            "framework_version": r.version.number,
            "answers": [
                {
                    "factor": str(resp.prompt.factor.name),
                    "statement": str(resp.prompt.text),
                    "agreement": resp.agreement,
                    "answer": str(Agreement(resp.agreement).label),
                    "note": resp.note,
                }
                for resp in r.responses.all()
            ],
        }
        for r in rounds
    ]


def _consents(seeker: Seeker) -> dict[str, Any]:
    return {
        "choices": [
            {
                "about": c.get_kind_display(),
                "wording_version": c.wording_version,
                "given": _when(c.granted_at),
                "withdrawn": _when(c.withdrawn_at),
            }
            for c in seeker.consents.order_by("granted_at", "pk")
        ],
        "employers": [
            {
                "employer": c.organisation.name,
                "given": _when(c.granted_at),
                "ends": _when(c.expires_at),
                "withdrawn": _when(c.withdrawn_at),
                "how": c.get_source_display(),
            }
            for c in seeker.employer_consents.select_related("organisation").order_by(
                "granted_at", "pk"
            )
        ],
    }


def _matches(seeker: Seeker) -> list[dict[str, Any]]:
    """Roles the seeker was put beside (matching): who, what, and where it stands."""
    pairs = seeker.pairs.select_related("role__organisation").order_by("created_at", "pk")  # type: ignore[attr-defined]
    return [
        {
            "employer": p.role.organisation.name,
            "role": p.role.title,
            "status": p.get_status_display(),
            "brought_together_by": p.get_origin_display(),
            "since": _when(p.created_at),
            "answered": _when(p.decided_at),
        }
        for p in pairs
    ]


def _placements(seeker: Seeker) -> list[dict[str, Any]]:
    rows = seeker.placements.select_related("organisation", "role").order_by("started_on", "pk")  # type: ignore[attr-defined]
    return [
        {
            "employer": p.organisation.name,
            "role": p.role.title,
            "started": _when(p.started_on),
            "hours_per_week": str(p.hours_per_week),
            "wage": f"{p.wage} {p.get_wage_period_display()}",
            "fit_score_at_hire": p.fit_score,
        }
        for p in rows
    ]


def export_data(*, seeker: Seeker) -> dict[str, Any]:
    """Everything this app holds about the seeker, in their language, as plain data."""
    return {
        "account": _account(seeker),
        "consents": _consents(seeker),
        "answers": _answers(seeker),
        "reflections": _reflections(seeker),
        "mindset_checks": _mindset(seeker),
        "matches": _matches(seeker),
        "placements": _placements(seeker),
        "saved_profiles": [
            {"saved": _when(s.taken_at), "framework_version": s.version.number, "data": s.data}
            for s in seeker.snapshots.select_related("version").order_by("taken_at", "pk")
        ],
        "erasure_requests": [
            {
                "asked": _when(e.requested_at),
                "status": e.get_status_display(),
                "decided": _when(e.decided_at),
            }
            for e in seeker.erasure_requests.order_by("requested_at", "pk")
        ],
    }


def _consent_rows(consents: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for c in consents["choices"]:
        detail = _("wording %(version)s") % {"version": c["wording_version"]}
        if c["withdrawn"]:
            detail += "; " + _("withdrawn %(date)s") % {"date": c["withdrawn"]}
        rows.append(["consent", "", "", c["about"], _("yes"), detail, c["given"]])
    for c in consents["employers"]:
        detail = _("ends %(date)s") % {"date": c["ends"]}
        if c["withdrawn"]:
            detail += "; " + _("withdrawn %(date)s") % {"date": c["withdrawn"]}
        rows.append(["employer consent", "", "", c["employer"], c["how"], detail, c["given"]])
    return rows


def _answer_rows(data: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for a in data["answers"]:
        detail = a["example"] or (_("this would push me away") if a["push_me_away"] else "")
        row = ["answer", a["framework_version"], a["factor"], a["question"], a["answer"]]
        rows.append([*row, detail, a["updated"]])
    for r in data["reflections"]:
        row = ["reflection", r["framework_version"], r["factor"], r["question"], r["text"]]
        rows.append([*row, "", r["updated"]])
    for m in data["mindset_checks"]:
        for resp in m["answers"]:
            row = ["mindset", m["framework_version"], resp["factor"], resp["statement"]]
            rows.append([*row, resp["answer"], resp["note"], m["answered"]])
    return rows


def _csv_rows(data: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        ["account", "", "", key, value or "", "", ""] for key, value in data["account"].items()
    ]
    rows += _consent_rows(data["consents"])
    rows += _answer_rows(data)
    for s in data["saved_profiles"]:
        answers = _("%(count)s answers") % {"count": len(s["data"].get("answers", {}))}
        rows.append(["saved profile", s["framework_version"], "", "", answers, "", s["saved"]])
    for m in data["matches"]:
        rows.append(
            ["match", "", "", f"{m['role']} — {m['employer']}", m["status"], "", m["since"]]
        )
    for p in data["placements"]:
        detail = f"{p['hours_per_week']} h, {p['wage']}"
        rows.append(
            ["placement", "", "", f"{p['role']} — {p['employer']}", "", detail, p["started"]]
        )
    for e in data["erasure_requests"]:
        rows.append(["erasure request", "", "", "", e["status"], e["decided"] or "", e["asked"]])
    return rows


def _safe_cell(value: Any) -> Any:
    """Stop a spreadsheet from running a formula typed into a free-text answer."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_csv(*, data: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in _csv_rows(data):
        writer.writerow([_safe_cell(cell) for cell in row])
    return buffer.getvalue()
