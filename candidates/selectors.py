"""Reads on candidates: their data export, their timeline, and the campaigns' figures."""

from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tescforce import audit
from tescforce.scoping import visible_candidates_q

from . import records
from .models import Campaign, Candidate, Qualification, StageChange

Stage = Candidate.Stage


def _iso(value) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _row(obj, fields: list[str]) -> dict[str, Any]:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = _iso(value) if value is not None else None
    return out


def candidate_export_data(*, candidate: Candidate) -> dict[str, Any]:
    """Return every piece of data held about the candidate, as JSON-ready values (right of access)."""
    c = candidate
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "candidate": {
            **_row(c, ["public_id", "first_name", "last_name", "email", "postcode", "city", "profile",
                       "education", "experience", "mobility_toulouse", "mobility_montpellier", "mobility_occitanie",
                       "mobility_remote", "contract_wanted", "available_from", "gender", "stage",
                       "shown_to_recruiters", "from_other_region", "utm_source", "utm_medium", "utm_campaign",
                       "language", "confirmed_at", "last_activity_at", "created_at", "updated_at"]),
            "public_id": str(c.public_id),
            "phone": str(c.phone) if c.phone else "",
            "cv": bool(c.cv),
            "source_campaign": c.source_campaign.name if c.source_campaign_id else None,
            "desired_job_families": [f"{f.code} {f.label}" for f in c.desired_job_families.all()],
            "skills": [s.name for s in c.skills.all()],
        },
        "consents": [_row(x, ["kind", "wording_version", "channel", "given_at", "withdrawn_at"])
                     for x in c.consents.order_by("given_at")],
        "stage_history": [_row(x, ["from_stage", "to_stage", "changed_at", "comment"])
                          for x in c.stage_changes.order_by("changed_at", "id")],
        "qualification": None,
        "orientations": [
            {**_row(x, ["status", "outcome", "created_at", "updated_at"]), "company": x.company.name,
             "posting": x.posting.title if x.posting_id else None}
            for x in c.orientations.select_related("company", "posting")
        ],
        "job_interests": [
            {**_row(x, ["status", "confirmed_at", "created_at"]), "posting": x.posting.title,
             "company": x.posting.company.name}
            for x in c.interests.select_related("posting__company")
        ],
    }
    # What the other rooms hold (session bookings, the hotline's calls and requests…): candidates/records.py.
    data.update(records.export_parts(c))
    qualification = Qualification.objects.filter(candidate=c).first()
    if qualification is not None:
        data["qualification"] = _row(qualification, ["level", "motivation", "training_needed", "notes",
                                                     "qualified_at"])
    # The audit trail of the candidate's record: who changed what and when.
    data["audit_trail"] = audit.object_history(c)
    return data


def candidate_timeline(*, candidate: Candidate) -> list[dict[str, Any]]:
    """Return everything that happened to a candidate, oldest first, for their admin page."""
    c = candidate
    items: list[dict[str, Any]] = [{"at": c.created_at, "kind": _("Inscription"), "text": ""}]
    if c.confirmed_at:
        items.append({"at": c.confirmed_at, "kind": _("E-mail confirmé"), "text": ""})
    labels = dict(Stage.choices)
    for x in c.stage_changes.select_related("changed_by"):
        items.append({"at": x.changed_at, "kind": _("Étape"),
                      "text": f"{labels.get(x.from_stage, '∅')} → {labels.get(x.to_stage)}"
                              f"{' · ' + str(x.changed_by) if x.changed_by else ''}"
                              f"{' · ' + x.comment if x.comment else ''}"})
    for x in c.consents.all():
        items.append({"at": x.given_at, "kind": _("Consentement donné"),
                      "text": f"{x.get_kind_display()} v{x.wording_version}"})
        if x.withdrawn_at:
            items.append({"at": x.withdrawn_at, "kind": _("Consentement retiré"), "text": x.get_kind_display()})
    for x in c.orientations.select_related("company", "posting"):
        items.append({"at": x.created_at, "kind": _("Orientation"),
                      "text": f"{x.posting or x.company} · {x.get_status_display()}"})
    for x in c.interests.select_related("posting"):
        items.append({"at": x.created_at, "kind": _("Intérêt pour une offre"),
                      "text": f"{x.posting.title} · {x.get_status_display()}"})
    items.extend(records.timeline_entries(c))
    return sorted(items, key=lambda item: item["at"])


def space_interests(*, candidate: Candidate) -> QuerySet:
    return candidate.interests.select_related("posting__company").order_by("-created_at")


def _count(qs: QuerySet) -> Subquery:
    return Coalesce(Subquery(qs.order_by().values("source_campaign").annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def campaign_figures(qs: QuerySet | None = None) -> QuerySet:
    """Annotate campaigns with registrations, cost per registration and conversion to qualified and hired.

    Registrations are confirmed candidates (erased ones still count). Qualified and hired count the
    candidates who reached that stage at some point, as the pipeline history records it.
    """
    qs = Campaign.objects.all() if qs is None else qs
    base = Candidate.objects.filter(source_campaign=OuterRef("pk"), confirmed_at__isnull=False)
    reached = {
        stage: base.filter(Exists(StageChange.objects.filter(candidate=OuterRef("pk"), to_stage=stage)))
        for stage in (Stage.QUALIFIED, Stage.HIRED)
    }
    return qs.annotate(
        registrations=_count(base),
        qualified=_count(reached[Stage.QUALIFIED]),
        hired=_count(reached[Stage.HIRED]),
    ).annotate(
        cost_per_registration=ExpressionWrapper(
            F("budget") / NullIf(F("registrations"), 0), output_field=DecimalField(max_digits=12, decimal_places=2)),
        qualified_rate=ExpressionWrapper(
            Cast(F("qualified"), FloatField()) * 100.0 / NullIf(Cast(F("registrations"), FloatField()), 0.0),
            output_field=FloatField()),
        hired_rate=ExpressionWrapper(
            Cast(F("hired"), FloatField()) * 100.0 / NullIf(Cast(F("registrations"), FloatField()), 0.0),
            output_field=FloatField()),
    )


def recruiter_visible_candidates(*, company_id: int) -> QuerySet:
    return Candidate.objects.filter(visible_candidates_q(company_id))

