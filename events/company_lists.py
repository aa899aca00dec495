"""Each company's list of the candidates it will meet at a session, for its recruiters before the day.

Who is on a company's list: people holding a seat at the session (booked, or already checked in; erased people
never) whom the company may be shown, for at least one reason, each reason with its own consent:

- chosen for the company (here): oriented to it, or interested in one of its offers, with the consent "shown to
  recruiters" (`candidates.selectors.candidates_chosen_for_company_q`, the recruiters' own scoping rule);
- the reasons rooms above events add with `register_reason` from their AppConfig.ready() (matching: an
  interview on the session's published job-dating agenda, or a match with one of the company's published
  offers, with the match consent in its current wording).

A person who cancels, withdraws the consent or is erased leaves the list at once: it is read when opened.
What a row shows: the name, why (with the interview's time and the offer), the profile, the experience and the
key skills — never an e-mail address, a phone number or a CV (recruiters open those in the admin, under the same
consent rules). Nobody's name goes into an e-mail: recruiters are sent a link to the list (services).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, JobInterest, Orientation
from candidates.selectors import candidates_chosen_for_company_q
from companies.models import Company, Skill
from tescforce import pdf, translated
from tescforce.text import fold

from .models import Registration, Session, SessionCompany

# Seats whose holder a company will meet: booked, or already checked in.
LIST_STATUSES = (Registration.Status.CONFIRMED, Registration.Status.ATTENDED)
KEY_SKILLS = 6


@dataclass
class Reason:
    text: str
    at: dt.datetime | None = None  # an interview's start: the list is read in that order
    posting: str = ""


# (session, company id, candidate ids) -> {candidate id: [Reason]}; given only the session's seat holders.
ReasonSource = Callable[[Session, int, list[int]], dict[int, list[Reason]]]
_REASONS: dict[str, ReasonSource] = {}


def register_reason(key: str, source: ReasonSource) -> None:
    """Add a reason a company meets some of the session's seat holders; a source applies its own consent rule."""
    _REASONS[key] = source


@dataclass
class Row:
    candidate: Candidate
    reasons: list[Reason]
    skills: list[str] = field(default_factory=list)

    @property
    def interview_at(self) -> dt.datetime | None:
        return min((r.at for r in self.reasons if r.at), default=None)

    @property
    def postings(self) -> str:
        return ", ".join(dict.fromkeys(r.posting for r in self.reasons if r.posting))

    @property
    def why(self) -> str:
        return " · ".join(dict.fromkeys(r.text for r in self.reasons))


@dataclass
class CompanyList:
    session: Session
    participation: SessionCompany
    rows: list[Row]

    @property
    def company(self) -> Company:
        return self.participation.company


def list_error(session: Session, *, now: dt.datetime | None = None) -> str | None:
    """Why no list is given for this session any more (ended or cancelled), or None."""
    now = now or timezone.now()
    if session.is_cancelled:
        return _("Cette session est annulée : il n'y a plus de liste de candidat·es.")
    if session.ends_at < now:
        return _("Cette session est terminée : les listes de candidat·es ne sont plus disponibles.")
    return None


def chosen_reasons(session: Session, company_id: int, candidate_ids: list[int]) -> dict[int, list[Reason]]:
    """Oriented to the company or interested in one of its offers, with the consent to be shown to recruiters."""
    allowed = set(Candidate.objects.filter(candidates_chosen_for_company_q(company_id), pk__in=candidate_ids)
                  .values_list("pk", flat=True))
    found: dict[int, list[Reason]] = defaultdict(list)
    for o in Orientation.objects.filter(company_id=company_id, candidate_id__in=allowed).select_related("posting"):
        if o.posting_id:
            title = translated.text(o.posting, "title")
            found[o.candidate_id].append(Reason(gettext("Orienté·e vers votre offre « %(title)s »") % {"title": title},
                                                posting=title))
        else:
            found[o.candidate_id].append(Reason(gettext("Orienté·e vers votre entreprise")))
    for i in JobInterest.objects.filter(posting__company_id=company_id, confirmed_at__isnull=False,
                                        candidate_id__in=allowed).select_related("posting"):
        title = translated.text(i.posting, "title")
        found[i.candidate_id].append(Reason(gettext("Intéressé·e par votre offre « %(title)s »") % {"title": title},
                                            posting=title))
    return found


register_reason("chosen", chosen_reasons)


def _seat_holders(session: Session) -> list[int]:
    return list(session.registrations.filter(status__in=LIST_STATUSES, candidate__anonymised_at__isnull=True)
                .values_list("candidate_id", flat=True))


def _sort_key(row: Row):
    # Interviews first, in their order; then everyone else by name.
    at = row.interview_at
    return (at is None, at or dt.datetime.min.replace(tzinfo=dt.UTC), fold(row.candidate.last_name),
            fold(row.candidate.first_name), row.candidate.pk)


def company_list(*, session: Session, participation: SessionCompany, holders: list[int] | None = None) -> CompanyList:
    """The list of one company present at the session (see the module's docstring for who is on it)."""
    holders = _seat_holders(session) if holders is None else holders
    reasons: dict[int, list[Reason]] = defaultdict(list)
    if holders:
        for source in _REASONS.values():
            for candidate_id, found in source(session, participation.company_id, holders).items():
                reasons[candidate_id].extend(found)
    candidates = (Candidate.objects.filter(pk__in=[pk for pk, found in reasons.items() if found],
                                           anonymised_at__isnull=True)
                  .prefetch_related(Prefetch("skills", queryset=Skill.objects.only("id", "name").order_by("name"))))
    # An interview says the most: first among a person's reasons.
    rows = [Row(candidate=c, reasons=sorted(reasons[c.pk], key=lambda r: r.at is None),
                skills=[s.name for s in c.skills.all()][:KEY_SKILLS]) for c in candidates]
    return CompanyList(session=session, participation=participation, rows=sorted(rows, key=_sort_key))


def company_lists(*, session: Session) -> list[CompanyList]:
    """Every company's list, companies by name."""
    holders = _seat_holders(session)
    participations = session.company_participations.select_related("company")
    lists = [company_list(session=session, participation=p, holders=holders) for p in participations]
    return sorted(lists, key=lambda cl: (fold(cl.company.name), cl.company.pk))


def csv_headers() -> list:
    return [_("Nom"), _("Prénom"), _("Entretien"), _("Offre"), _("Pourquoi"), _("Profil"),
            _("Expérience dans le numérique"), _("Compétences clés")]


def csv_rows(company_list: CompanyList) -> list[list]:
    rows = []
    for row in company_list.rows:
        c = row.candidate
        at = timezone.localtime(row.interview_at).strftime("%H:%M") if row.interview_at else ""
        rows.append([c.last_name, c.first_name, at, row.postings, row.why, c.get_profile_display(),
                     c.get_experience_display(), ", ".join(row.skills)])
    return rows


def lists_document(*, session: Session, lists: list[CompanyList], language: str):
    """Return the laid-out document: each company's list from a new page (its `pages` can be counted)."""
    return pdf.render_document("events/company_lists_pdf.html", {"session": session, "lists": lists,
                                                                 "printed_at": timezone.now()}, language=language)
