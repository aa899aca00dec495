"""The candidate's side of matching, in Mon espace: "Offres pour vous" and the job-dating interviews.

Both are sections of the Mon espace page (registered in apps.py through candidates.space); the one
page of its own is the interviews' .ics download, for the signed-in candidate's own interviews only.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from candidates import space
from candidates.wording import MATCHED_VERSION, holds_match_consent
from tescforce import ical

from . import agenda, selectors
from .models import JobDatingAgenda


def offers_context(request, candidate) -> dict:
    """Context of "Offres pour vous" (matching/space_offers.html): nothing computed without the match consent."""
    consent = holds_match_consent(candidate)
    return {"match_consent": consent, "matched_version": MATCHED_VERSION,
            "offers": selectors.offers_for_candidate(candidate) if consent else []}


def interviews_context(request, candidate) -> dict:
    """Context of the job-dating interviews section (matching/space_interviews.html), grouped by agenda."""
    groups: dict[int, dict] = {}
    for interview in selectors.space_interviews(candidate):
        group = groups.setdefault(interview.agenda_id, {"agenda": interview.agenda, "interviews": []})
        group["interviews"].append(interview)
    return {"interview_groups": list(groups.values())}


@space.space_required
def interviews_ics(request, pk: int, *, candidate):
    """The signed-in candidate's interviews of one published agenda, as an .ics file; 404 for anyone else's."""
    job_dating = get_object_or_404(JobDatingAgenda.objects.select_related("session"), pk=pk,
                                   published_at__isnull=False)
    interviews = selectors.space_interviews(candidate, agenda=job_dating)
    if not interviews:
        raise Http404
    content = agenda.agenda_ics(job_dating.session, interviews, for_candidate=True)
    return ical.ics_response(content, filename=f"entretiens-job-dating-{job_dating.session_id}.ics", download=True,
                             private=True)
