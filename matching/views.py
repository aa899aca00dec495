"""Coordinators' suggestion pages under /pilotage/rapprochements/: postings for a candidate, candidates
for a posting, each with its explanation, and a one-click orientation."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidates import selectors as candidate_selectors
from candidates import services as candidate_services
from candidates.models import Candidate, JobInterest
from candidates.services import CandidateError
from companies.models import JobPosting
from tescforce import permissions, roles
from tescforce.permissions import role_required
from tescforce.scoping import recruiter_company_id

from . import selectors, services
from .models import Match, MatchingRun


def _with_explanations(matches):
    explained = selectors.with_courses(matches, selectors.explanations_for(matches))
    return [(m, explained[m.pk]) for m in matches]


@role_required(roles.COORDINATORS)
def index(request):
    postings = (selectors.matchable_postings().select_related("company").order_by("-published_at")[:100])
    return render(request, "matching/index.html", {
        "postings": postings, "run": MatchingRun.objects.filter(pk=1).first(),
    })


@role_required(roles.COORDINATORS)
def candidate_suggestions(request, public_id: uuid.UUID):
    candidate = get_object_or_404(Candidate, public_id=public_id, anonymised_at__isnull=True)
    matches = selectors.suggested_postings(candidate)
    return render(request, "matching/candidate.html", {
        "candidate": candidate, "rows": _with_explanations(matches),
        "oriented": set(candidate.orientations.values_list("posting_id", flat=True)),
    })


@role_required(roles.COORDINATORS)
def posting_suggestions(request, pk: int):
    posting = get_object_or_404(JobPosting.objects.select_related("company", "job_family"), pk=pk)
    matches = selectors.suggested_candidates(posting)
    return render(request, "matching/posting.html", {
        "posting": posting, "rows": _with_explanations(matches),
        "oriented": set(posting.orientations.values_list("candidate_id", flat=True)),
    })


@require_POST
@role_required(roles.COORDINATORS)
def orient(request, pk: int):
    match = get_object_or_404(Match.objects.select_related("candidate", "posting", "posting__company"), pk=pk)
    if match.candidate.is_anonymised:
        raise Http404
    back = request.POST.get("back")
    target = (reverse("staff:matching_posting", args=[match.posting_id]) if back == "posting"
              else reverse("staff:matching_candidate", args=[match.candidate.public_id]))
    try:
        services.orientation_from_match(match=match, by=request.user)
    except CandidateError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(candidate)s est orienté·e vers « %(posting)s ».")
                         % {"candidate": match.candidate, "posting": match.posting.title})
    return redirect(target)


# --- a recruiter's candidates for one of their postings -----------------------------------------------

def _own_posting(request, pk: int) -> JobPosting:
    """The posting, if it belongs to the recruiter's own company; 404 for any other."""
    return get_object_or_404(JobPosting.objects.select_related("company"), pk=pk,
                             company_id=recruiter_company_id(request.user))


@role_required(test=permissions.is_recruiter)
def recruiter_posting(request, pk: int):
    """Who is interested in, oriented to or matched with the posting: score and why, key skills, CV, one click."""
    posting = _own_posting(request, pk)
    kept, suggested = selectors.recruiter_rows(posting, request.user)
    return render(request, "matching/recruiter_posting.html", {
        "posting": posting, "kept": kept, "suggested": suggested,
        "can_keep": request.user.has_perm("candidates.change_jobinterest"),
    })


@require_POST
@role_required(test=permissions.is_recruiter)
def recruiter_keep(request, pk: int):
    """One click: a suggested candidate joins the shortlist, or a shortlisted one is marked "to contact"."""
    posting = _own_posting(request, pk)
    if not request.user.has_perm("candidates.change_jobinterest"):
        raise PermissionDenied
    target = reverse("staff:matching_recruiter_posting", args=[posting.pk])
    raw = request.POST.get("candidate", "")
    candidate_id = int(raw) if raw.isdigit() else None
    match = next((m for m in selectors.shortlist_for_posting(posting, request.user)
                  if m.candidate_id == candidate_id), None)
    listed = next((r.candidate for r in candidate_selectors.shortlist(posting=posting)
                   if r.candidate.pk == candidate_id), None)
    try:
        if listed is not None:
            candidate_services.shortlist_set_status(posting=posting, candidate=listed,
                                                    status=JobInterest.Status.TO_CONTACT, by=request.user)
            name = listed
        elif match is not None:
            services.match_shortlist(match=match, by=request.user)
            name = match.candidate
        else:
            messages.error(request, _("Cette personne ne figure pas parmi les candidat·es de cette offre."))
            return redirect(target)
    except CandidateError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s est présélectionné·e : à contacter.") % {"name": name})
    return redirect(target)
