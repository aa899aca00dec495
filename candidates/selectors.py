"""Reads on candidates: their data export, their timeline, the campaigns' figures, and the recruiters'
figures and shortlists of companies and postings."""

from dataclasses import dataclass
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
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company, JobPosting, Skill
from tescforce import audit

from . import records
from .models import Campaign, Candidate, JobInterest, Orientation, Qualification, StageChange

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


def candidates_chosen_for_company_q(company_id: int) -> Q:
    """Candidates a company's recruiters see because it was chosen for them: oriented to the company or
    interested in one of its offers, with the consent to be shown to recruiters (a tescforce.scoping rule)."""
    return Q(anonymised_at__isnull=True, shown_to_recruiters=True) & (
        Q(Exists(Orientation.objects.filter(candidate=OuterRef("pk"), company_id=company_id)))
        | Q(Exists(JobInterest.objects.filter(candidate=OuterRef("pk"), posting__company_id=company_id,
                                              confirmed_at__isnull=False)))
    )


# --- the recruiters' figures and shortlists of companies and postings -------------------------------

def _count_of(qs: QuerySet, field: str = "pk", distinct: bool = False) -> Coalesce:
    """A correlated COUNT subquery, so that several counts do not multiply each other's joins."""
    sq = qs.order_by().annotate(_g=Value(1)).values("_g").annotate(n=Count(field, distinct=distinct)).values("n")
    return Coalesce(Subquery(sq, output_field=IntegerField()), 0)


def company_figures(qs: QuerySet[Company]) -> QuerySet[Company]:
    """Annotate companies with openings (published), interested, oriented and hired candidates."""
    openings = (
        JobPosting.objects.filter(company=OuterRef("pk"), status=JobPosting.Status.PUBLISHED)
        .order_by().annotate(_g=Value(1)).values("_g").annotate(n=Sum("openings")).values("n")
    )
    hired = Candidate.objects.filter(
        Exists(JobInterest.objects.filter(candidate=OuterRef("pk"), status=JobInterest.Status.HIRED,
                                          posting__company=OuterRef(OuterRef("pk"))))
        | Exists(Orientation.objects.filter(candidate=OuterRef("pk"), status=Orientation.Status.HIRED,
                                            company=OuterRef(OuterRef("pk"))))
    )
    return qs.annotate(
        fig_openings=Coalesce(Subquery(openings, output_field=IntegerField()), 0),
        fig_interested=_count_of(
            JobInterest.objects.filter(posting__company=OuterRef("pk"), confirmed_at__isnull=False),
            "candidate", distinct=True,
        ),
        fig_oriented=_count_of(Orientation.objects.filter(company=OuterRef("pk")), "candidate", distinct=True),
        fig_hired=_count_of(hired),
    )


def posting_figures(qs: QuerySet[JobPosting]) -> QuerySet[JobPosting]:
    """Annotate postings with their confirmed interests and orientations."""
    return qs.annotate(
        fig_interested=_count_of(JobInterest.objects.filter(posting=OuterRef("pk"), confirmed_at__isnull=False)),
        fig_oriented=_count_of(Orientation.objects.filter(posting=OuterRef("pk"))),
    )


@dataclass
class ShortlistRow:
    candidate: Candidate
    interest: JobInterest | None
    orientation: Orientation | None
    score: int | None

    @property
    def status(self) -> str:
        if self.interest is not None and self.interest.status != JobInterest.Status.NEW:
            return self.interest.status
        if self.orientation is not None and self.orientation.status != Orientation.Status.PROPOSED:
            return self.orientation.status
        return "new"

    @property
    def status_label(self) -> str:
        if self.status == "new":
            return JobInterest.Status.NEW.label
        return JobInterest.Status(self.status).label


def shortlist(*, posting: JobPosting) -> list[ShortlistRow]:
    """Candidates interested in (confirmed) or oriented to `posting` who agreed to be shown to recruiters."""
    interests = JobInterest.objects.filter(posting=posting, confirmed_at__isnull=False)
    orientations = Orientation.objects.filter(posting=posting)
    candidates = (
        Candidate.objects.filter(shown_to_recruiters=True, anonymised_at__isnull=True)
        .filter(Exists(interests.filter(candidate=OuterRef("pk")))
                | Exists(orientations.filter(candidate=OuterRef("pk"))))
        .prefetch_related(
            Prefetch("interests", queryset=interests, to_attr="posting_interests"),
            Prefetch("orientations", queryset=orientations, to_attr="posting_orientations"),
            Prefetch("skills", queryset=Skill.objects.only("id", "name")),
        )
        .order_by("last_name", "first_name", "pk")
    )
    # Through the reverse relation: companies sits below matching and does not import it.
    scores = dict(posting.matches.values_list("candidate_id", "score"))
    return [
        ShortlistRow(
            candidate=c,
            interest=c.posting_interests[0] if c.posting_interests else None,
            orientation=c.posting_orientations[0] if c.posting_orientations else None,
            score=scores.get(c.pk),
        )
        for c in candidates
    ]


def desk_qualification_context(*, user, today) -> dict:
    """The coordinators' desk: confirmed candidates still waiting to be qualified, the longest waiting first."""
    waiting = (Candidate.objects.filter(stage=Candidate.Stage.REGISTERED, confirmed_at__isnull=False,
                                        anonymised_at__isnull=True).order_by("confirmed_at", "pk"))
    return {"candidates": list(waiting[:6]), "count": waiting.count()}
