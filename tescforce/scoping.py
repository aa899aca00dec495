"""Who sees which rows: a recruiter only ever sees their own company's objects.

Every queryset shown to staff goes through `scope_queryset`; for a recruiter, a model that is not
listed in SCOPE_PATHS yields nothing (the safe default).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from . import roles

# Lookup path from each model to the company that owns it ("" means the company itself).
SCOPE_PATHS = {
    "companies.company": "pk",
    "companies.companysite": "company",
    "companies.recruiter": "company",
    "companies.jobposting": "company",
    "events.sessioncompany": "company",
    "candidates.jobinterest": "posting__company",
    "candidates.orientation": "company",
    "matching.match": "posting__company",
    "matching.interview": "company",
}
# Reference and public data a recruiter may read whole.
UNSCOPED_FOR_RECRUITERS = {
    "companies.skill", "companies.jobfamily", "events.session", "events.edition", "events.programme",
}


def recruiter_company_id(user) -> int | None:
    """Return the company id a user is limited to, or None when they see everything.

    A user in the Recruteurs group with no recruiter profile is limited to company 0 (nothing).
    """
    if not user.is_authenticated or user.is_superuser:
        return None
    # Asked many times per admin page: remember the answer on the user object of this request.
    if hasattr(user, "_company_scope"):
        return user._company_scope
    user._company_scope = _company_scope(user)
    return user._company_scope


def _company_scope(user) -> int | None:
    group_names = roles.group_names(user)
    if roles.COORDINATORS in group_names:
        return None
    recruiter = getattr(user, "recruiter", None)
    if recruiter is not None:
        return recruiter.company_id
    if roles.RECRUITERS in group_names:
        return 0
    return None


def visible_candidates_q(company_id: int) -> Q:
    """Candidates a company's recruiters may see, each path with the consent that covers it.

    Oriented to the company or interested in one of its offers: the consent to be shown to recruiters.
    Matched to one of its offers, or met at one of its job-dating interviews (planned from matches):
    the match consent, in its current wording only (candidates.wording).
    """
    from candidates.models import JobInterest, Orientation
    from candidates.wording import holds_match_consent_q
    from matching.models import Interview, Match

    chosen = Q(shown_to_recruiters=True) & (
        Q(Exists(Orientation.objects.filter(candidate=OuterRef("pk"), company_id=company_id)))
        | Q(Exists(JobInterest.objects.filter(candidate=OuterRef("pk"), posting__company_id=company_id,
                                              confirmed_at__isnull=False)))
    )
    matched = holds_match_consent_q() & (
        Q(Exists(Match.objects.filter(candidate=OuterRef("pk"), posting__company_id=company_id)))
        | Q(Exists(Interview.objects.filter(candidate=OuterRef("pk"), company_id=company_id)))
    )
    return Q(anonymised_at__isnull=True) & (chosen | matched)


def scope_queryset(qs: QuerySet, user) -> QuerySet:
    """Return the part of `qs` that `user` may see."""
    company_id = recruiter_company_id(user)
    if company_id is None:
        return qs
    label = qs.model._meta.label_lower
    if label in UNSCOPED_FOR_RECRUITERS:
        return qs
    if label == "candidates.candidate":
        return qs.filter(visible_candidates_q(company_id))
    path = SCOPE_PATHS.get(label)
    if path is None:
        return qs.none()
    return qs.filter(**{path if path == "pk" else f"{path}_id": company_id})
