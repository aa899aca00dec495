"""What matching adds to a company's list of the candidates it will meet at a session (events/company_lists.py):
the interviews of the session's published job-dating agenda, and the seat holders matched with one of the
company's published offers. Both only for people holding the match consent in its current wording (the
recruiters' own scoping rule, `selectors.candidates_matched_to_company_q`)."""

from collections import defaultdict

from django.utils.translation import gettext

from candidates.models import Candidate
from companies.models import JobPosting
from events.company_lists import Reason
from tescforce import translated

from .engine import MIN_SCORE
from .models import Interview, Match
from .selectors import candidates_matched_to_company_q


def company_list_reasons(session, company_id: int, candidate_ids: list[int]) -> dict[int, list[Reason]]:
    """Interviews of the session's sent agenda with the company, else matches with its published offers."""
    allowed = set(Candidate.objects.filter(candidates_matched_to_company_q(company_id), pk__in=candidate_ids)
                  .values_list("pk", flat=True))
    found: dict[int, list[Reason]] = defaultdict(list)
    # A plan still being adjusted is nobody's business but the coordinators': only a published agenda counts.
    interviews = Interview.objects.filter(agenda__session=session, agenda__published_at__isnull=False,
                                          cancelled_at__isnull=True, company_id=company_id,
                                          candidate_id__in=allowed).select_related("posting")
    for interview in interviews:
        title = translated.text(interview.posting, "title") if interview.posting_id else ""
        # The time has its own column: the reason says what the interview is about.
        text = (gettext("Entretien de job dating pour votre offre « %(title)s »") % {"title": title} if title
                else gettext("Entretien de job dating"))
        found[interview.candidate_id].append(Reason(text, at=interview.starts_at, posting=title))
    matches = (Match.objects.filter(posting__company_id=company_id, posting__status=JobPosting.Status.PUBLISHED,
                                    score__gte=MIN_SCORE, candidate_id__in=allowed - set(found))
               .select_related("posting").order_by("candidate_id", "-score"))
    for match in matches:
        if found[match.candidate_id]:
            continue  # one offer is enough to say why: their best
        title = translated.text(match.posting, "title")
        found[match.candidate_id].append(Reason(
            gettext("Profil correspondant à votre offre « %(title)s »") % {"title": title}, posting=title))
    return found
