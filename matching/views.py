"""Coordinators' suggestion pages under /pilotage/rapprochements/: postings for a candidate, candidates
for a posting, each with its explanation, and a one-click orientation."""

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidates.models import Candidate
from candidates.services import CandidateError
from companies.models import JobPosting
from tescforce import roles
from tescforce.permissions import role_required

from . import selectors, services
from .models import Match, MatchingRun


def _with_explanations(matches):
    explained = selectors.explanations_for(matches)
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
