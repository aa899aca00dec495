"""The job-dating agenda: 15-minute interviews planned from match scores, adjusted by hand, then sent.

How the plan is made (`plan_interviews`), for one session:

1. A candidate who booked (registration confirmed or attended) and a company present at the session
   form a pair when the candidate's best score on the company's postings (those it shows at the
   session, or else all its published ones) reaches MIN_SCORE ("a match exists").
2. Everyone once: candidates are taken fewest options first (then best score, then id); each gets
   an interview with their best-scoring company that still has a slot and a time both are free.
3. Fair share: companies take turns, the one with the fewest interviews so far first (then id); at
   its turn a company takes its best remaining candidate (score, then id) who is under their limit
   and free at one of its free times. A company with no one left leaves the round; it ends when all
   have left.
4. Each interview goes to the earliest 15-minute time at which both are free, so no one is ever in
   two places at once (the database refuses it too).

A company has at most min(its interview slots, the session's length in 15-minute steps) interviews.
A candidate with no pair gets none; if the slots run out, a candidate with a pair may get none too:
`AgendaPlan.unplaced` lists them for the coordinators.

Consent: an interview planned from match scores shows the person to a company because of a match, so
only candidates holding the current match consent (candidates.wording) are planned, kept at
publication, or named in a recruiter's schedule. When someone leaves (booking cancelled, consent
withdrawn, account erased) `interviews_release_for_candidate` frees their slots and, if the agenda was
already sent, tells each recruiter concerned, in their language, which slot is free, naming no one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, Consent
from candidates.services import CandidateError
from candidates.wording import holds_match_consent_q
from companies.models import Recruiter
from events.models import Registration, Session
from tescforce import ical, translated
from tescforce.mail import build_templated, send_templated

from . import engine as matching
from . import selectors
from .models import Interview, InterviewNotice, InterviewRelease, JobDatingAgenda
from .sheet_links import last_day, sheet_link_issue, sheet_link_url

SLOT = dt.timedelta(minutes=15)
MIN_SCORE = matching.MIN_SCORE
RELEASE_NOTICE_TASK = "matching.tasks.send_interview_release_notice"
CHANGE_NOTICE_TASK = "matching.tasks.send_interview_change_notice"


@dataclass
class AgendaPlan:
    interviews: list[tuple[int, int, int]]  # (candidate id, company id, time index)
    unplaced: list[int] = field(default_factory=list)  # candidates with a match but no interview


def plan_interviews(scores: dict[tuple[int, int], int], capacity: dict[int, int], n_times: int,
                    limit: int | dict[int, int]) -> AgendaPlan:
    """Plan interviews from pair scores {(candidate, company): score}; see the module's docstring."""
    pairs = {pair: s for pair, s in scores.items() if s >= MIN_SCORE}
    options: dict[int, list[tuple[int, int]]] = defaultdict(list)  # candidate → [(score, company)]
    wanted: dict[int, list[tuple[int, int]]] = defaultdict(list)  # company → [(score, candidate)]
    for (c, k), s in pairs.items():
        options[c].append((s, k))
        wanted[k].append((s, c))
    capacity = {k: max(0, min(cap, n_times)) for k, cap in capacity.items()}
    busy_c: dict[int, set[int]] = defaultdict(set)
    busy_k: dict[int, set[int]] = defaultdict(set)
    met: set[tuple[int, int]] = set()
    count_c: dict[int, int] = defaultdict(int)
    plan: list[tuple[int, int, int]] = []

    def limit_of(c: int) -> int:
        return limit.get(c, 1) if isinstance(limit, dict) else limit

    def place(c: int, k: int) -> bool:
        if (c, k) in met or count_c[c] >= limit_of(c) or len(busy_k[k]) >= capacity.get(k, 0):
            return False
        for t in range(n_times):
            if t not in busy_c[c] and t not in busy_k[k]:
                busy_c[c].add(t)
                busy_k[k].add(t)
                met.add((c, k))
                count_c[c] += 1
                plan.append((c, k, t))
                return True
        return False

    for c in sorted(options, key=lambda c: (len(options[c]), -max(options[c])[0], c)):
        for _s, k in sorted(options[c], key=lambda x: (-x[0], x[1])):
            if place(c, k):
                break
    queues = {k: sorted(v, key=lambda x: (-x[0], x[1])) for k, v in wanted.items()}
    active = set(queues)
    while active:
        for k in sorted(active, key=lambda k: (len(busy_k[k]), k)):
            placed = False
            while queues[k]:
                _s, c = queues[k].pop(0)
                if place(c, k):
                    placed = True
                    break
            if not placed:
                active.discard(k)
    unplaced = sorted(c for c in options if count_c[c] == 0)
    return AgendaPlan(interviews=plan, unplaced=unplaced)


def _session_inputs(session):
    candidate_ids = list(Registration.objects.filter(
        holds_match_consent_q("candidate_id"),
        session=session, status__in=[Registration.Status.CONFIRMED, Registration.Status.ATTENDED],
    ).values_list("candidate_id", flat=True))
    participations = list(session.company_participations.select_related("company").prefetch_related("postings"))
    postings_of: dict[int, list[int]] = {}
    published = selectors.matchable_postings()
    for part in participations:
        shown = [p.pk for p in part.postings.all() if p.status == p.Status.PUBLISHED]
        postings_of[part.company_id] = shown or list(
            published.filter(company_id=part.company_id).values_list("pk", flat=True))
    return candidate_ids, participations, postings_of


def agenda_build(*, session, max_per_candidate: int | None = None, today: dt.date | None = None) -> AgendaPlan:
    """Plan (or plan again) the interviews of a job-dating session that is not published yet."""
    if session.format != Session.Format.JOB_DATING:
        raise CandidateError(_("Seules les sessions de job dating ont un agenda d'entretiens."))
    candidate_ids, participations, postings_of = _session_inputs(session)
    all_postings = sorted({p for ps in postings_of.values() for p in ps})
    cands = selectors.load_candidate_rows(candidate_ids)
    posts = selectors.load_posting_rows(all_postings)
    scores: dict[tuple[int, int], int] = {}
    best_posting: dict[tuple[int, int], int] = {}
    if len(cands) and len(posts):
        engine = matching.Engine(cands, posts, selectors.load_related_skills(),
                                 today=today or timezone.localdate())
        matrix = engine.scores()
        col = {int(pid): j for j, pid in enumerate(posts.ids)}
        for k, ps in postings_of.items():
            cols = [col[p] for p in ps if p in col]
            if not cols:
                continue
            sub = matrix[:, cols]
            best = sub.argmax(axis=1)
            for i, cid in enumerate(cands.ids.tolist()):
                scores[(cid, k)] = int(sub[i, best[i]])
                best_posting[(cid, k)] = int(posts.ids[cols[best[i]]])
    n_times = int((session.ends_at - session.starts_at) / SLOT)
    with transaction.atomic():
        agenda, _created = JobDatingAgenda.objects.select_for_update().get_or_create(session=session)
        if agenda.published_at:
            raise CandidateError(_("L'agenda est déjà publié : modifiez les entretiens un par un."))
        if max_per_candidate is not None:
            agenda.max_per_candidate = max_per_candidate
        plan = plan_interviews(scores, {p.company_id: p.interview_slots for p in participations}, n_times,
                               agenda.max_per_candidate)
        agenda.interviews.all().delete()
        Interview.objects.bulk_create([
            Interview(agenda=agenda, candidate_id=c, company_id=k, posting_id=best_posting.get((c, k)),
                      starts_at=session.starts_at + t * SLOT, ends_at=session.starts_at + (t + 1) * SLOT,
                      score=scores.get((c, k)))
            for c, k, t in plan.interviews
        ])
        agenda.built_at = timezone.now()
        agenda.save()
    return plan


def agenda_publish(*, agenda: JobDatingAgenda) -> int:
    """Publish the agenda once and e-mail each candidate and recruiter their own schedule (.ics attached).

    Return how many e-mails were queued.
    """
    with transaction.atomic():
        won = JobDatingAgenda.objects.filter(pk=agenda.pk, published_at__isnull=True).update(
            published_at=timezone.now())
        if not won:
            raise CandidateError(_("Cet agenda est déjà publié."))
        # An interview whose candidate no longer holds the match consent (added by hand, or consent
        # withdrawn in a race) is dropped, never sent.
        agenda.interviews.exclude(_consenting_q()).delete()
        interviews = list(agenda.interviews.filter(cancelled_at__isnull=True).select_related(
            "candidate", "company", "posting", "agenda__session").order_by("starts_at"))
        messages = _messages(agenda, interviews)
        Interview.objects.filter(pk__in=[i.pk for i in interviews]).update(notified_at=timezone.now())
        transaction.on_commit(lambda: [m.send() for m in messages])
    agenda.refresh_from_db()
    return len(messages)


def _messages(agenda: JobDatingAgenda, interviews: list[Interview]) -> list[EmailMultiAlternatives]:
    session = agenda.session
    by_candidate: dict[int, list[Interview]] = defaultdict(list)
    by_company: dict[int, list[Interview]] = defaultdict(list)
    for interview in interviews:
        by_candidate[interview.candidate_id].append(interview)
        by_company[interview.company_id].append(interview)
    messages = []
    for items in by_candidate.values():
        person = items[0].candidate
        if person.is_anonymised or not person.email:
            continue
        messages.append(_message(session, items, [person.email], person.language or settings.LANGUAGE_CODE,
                                 for_candidate=True))
    present = {part.company_id: list(part.recruiters.select_related("user"))
               for part in session.company_participations.prefetch_related("recruiters")}
    for company_id, items in by_company.items():
        recruiters = present.get(company_id) or list(Recruiter.objects.filter(company_id=company_id)
                                                     .select_related("user"))
        # One message each: it carries the recruiter's own link to their interview sheet.
        for recruiter in sorted(recruiters, key=lambda r: r.pk):
            if recruiter.user.email:
                link = sheet_link_issue(agenda=agenda, recruiter=recruiter)
                messages.append(_message(session, items, [recruiter.user.email],
                                         recruiter.language or settings.LANGUAGE_CODE, for_candidate=False,
                                         sheet_url=sheet_link_url(link)))
    return messages


def _message(session, items: list[Interview], to: list[str], language: str, *,
             for_candidate: bool, sheet_url: str = "") -> EmailMultiAlternatives:
    with translation.override(language):
        subject = gettext("Votre agenda du job dating « %(title)s »") % {"title": translated.text(session, "title")}
        ics = agenda_ics(session, items, for_candidate=for_candidate)
    return build_templated(template="matching/email/agenda", subject=subject, to=to, language=language,
                           context={"session": session, "interviews": items, "for_candidate": for_candidate,
                                    "sheet_url": sheet_url, "last_day": last_day(session)},
                           attachments=[("agenda.ics", ics, "text/calendar")])


def sheet_links_send(*, agenda: JobDatingAgenda) -> int:
    """Issue each recruiter of the session's companies a new link to their interview sheet and e-mail it to
    them, in their language, after the commit; the links sent before stop working. Return how many."""
    if agenda.published_at is None:
        raise CandidateError(_("Publiez d'abord l'agenda : le lien part avec lui."))
    session = agenda.session
    messages = []
    with transaction.atomic():
        companies = agenda.interviews.filter(cancelled_at__isnull=True).values_list("company_id", flat=True)
        for company_id in sorted(set(companies)):
            for recruiter in _recipients(session, company_id):
                link = sheet_link_issue(agenda=agenda, recruiter=recruiter)
                language = recruiter.language or settings.LANGUAGE_CODE
                with translation.override(language):
                    subject = gettext("Votre fiche d'entretiens du job dating « %(title)s »") % {
                        "title": translated.text(session, "title")}
                messages.append(build_templated(
                    template="matching/email/sheet_link", subject=subject, to=[recruiter.user.email],
                    language=language, context={"session": session, "sheet_url": sheet_link_url(link),
                                                "last_day": last_day(session)}))
        transaction.on_commit(lambda: [m.send() for m in messages])
    return len(messages)


def interview_uid(interview: Interview) -> str:
    """Return the interview's UID: the one its first .ics carried (kept), else on the site's host."""
    return interview.ics_uid or ical.uid("interview", interview.pk)


def _interview_event(session, interview: Interview, *, for_candidate: bool):
    who = interview.company.name if for_candidate else str(interview.candidate)
    summary = gettext("Entretien : %(who)s") % {"who": who}
    if interview.cancelled_at is not None:
        summary = gettext("Annulé : %(what)s") % {"what": summary}
    place = ", ".join(x for x in (session.venue, session.address, session.city) if x)
    page = settings.SITE_URL + session.get_absolute_url()
    lines = [gettext("Entretien annulé.")] if interview.cancelled_at is not None else []
    lines += [gettext("Job dating « %(title)s »") % {"title": translated.text(session, "title")}, place]
    if interview.posting_id:
        lines.append(gettext("Offre : %(title)s") % {"title": translated.text(interview.posting, "title")})
    lines.append(page)
    # Candidates are reminded the day before and an hour before; recruiters, who hold many slots, an hour before.
    alarms = [(dt.timedelta(hours=-1), gettext("Entretien dans une heure : %(who)s") % {"who": who})]
    if for_candidate:
        alarms.insert(0, (dt.timedelta(days=-1), gettext("Entretien demain : %(who)s") % {"who": who}))
    return ical.event(uid=interview_uid(interview), start=interview.starts_at, end=interview.ends_at,
                      tz=ical.PARIS, summary=summary, location=place, url=page, description="\n\n".join(lines),
                      sequence=interview.ics_sequence, cancelled=interview.cancelled_at is not None, alarms=alarms)


def agenda_ics(session, items: list[Interview], *, for_candidate: bool) -> bytes:
    """Return an iCalendar file with one event per interview, in Paris time."""
    events = [_interview_event(session, interview, for_candidate=for_candidate) for interview in items]
    return ical.calendar_ics(events, product="Job dating", method="PUBLISH", tz=ical.PARIS)


# --- an interview moves or is cancelled after the agenda went out ---------------------------------

def _announce_change(interview: Interview) -> list[int]:
    """Bump the locked interview's SEQUENCE and write one notice per person told; return their ids."""
    Interview.objects.filter(pk=interview.pk).update(ics_sequence=F("ics_sequence") + 1)
    interview.refresh_from_db(fields=["ics_sequence"])
    if interview.agenda.published_at is None or interview.notified_at is None:
        return []  # nobody holds this interview in a calendar yet
    rows = [InterviewNotice(interview=interview, sequence=interview.ics_sequence, recruiter=r)
            for r in _recipients(interview.agenda.session, interview.company_id)]
    person = interview.candidate
    if not person.is_anonymised and person.email:
        rows.append(InterviewNotice(interview=interview, sequence=interview.ics_sequence, candidate=person))
    # ignore_conflicts: the same change written twice (a retry) keeps the first rows.
    InterviewNotice.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(InterviewNotice.objects.filter(interview=interview, sequence=interview.ics_sequence,
                                              notified_at__isnull=True).values_list("pk", flat=True))
    notice = current_app.tasks[CHANGE_NOTICE_TASK]
    transaction.on_commit(lambda: [notice.delay(notice_id=pk) for pk in ids])
    return ids


def _lock_interview(interview: Interview) -> Interview:
    return (Interview.objects.select_for_update(of=("self",))
            .select_related("agenda__session", "candidate", "company").get(pk=interview.pk))


def interview_calendar_changed(*, interview: Interview) -> int:
    """Tell the candidate and the recruiters, once, that an interview sent to them moved; return how many.

    Call it after saving the new time.
    """
    with transaction.atomic():
        told = _announce_change(_lock_interview(interview))
    interview.refresh_from_db(fields=["ics_sequence"])
    return len(told)


def interview_cancel(*, interview: Interview) -> int:
    """Cancel an interview: it stays, marked cancelled, and the people it was sent to are told once."""
    with transaction.atomic():
        locked = _lock_interview(interview)
        if locked.cancelled_at is not None:
            raise CandidateError(_("Cet entretien est déjà annulé."))
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at"])
        told = _announce_change(locked)
    interview.refresh_from_db(fields=["cancelled_at", "ics_sequence"])
    return len(told)


def interview_change_notify(*, notice_id: int) -> bool:
    """E-mail one person the updated interview with its .ics, in their language, once; True if sent now.

    Claimed before sending; a refused send gives the claim back and raises, so that the task retries.
    A notice superseded by a newer change of the same interview is not sent (the newer one carries all).
    """
    notice = InterviewNotice.objects.select_related(
        "interview__agenda__session", "interview__company", "interview__candidate", "interview__posting",
        "candidate", "recruiter__user").filter(pk=notice_id).first()
    if notice is None or notice.sequence != notice.interview.ics_sequence:
        return False
    if notice.candidate is not None:
        if notice.candidate.is_anonymised or not notice.candidate.email:
            return False
        to, language = notice.candidate.email, notice.candidate.language or settings.LANGUAGE_CODE
    else:
        if not (notice.recruiter.user.is_active and notice.recruiter.user.email):
            return False
        to, language = notice.recruiter.user.email, notice.recruiter.language or settings.LANGUAGE_CODE
    if not InterviewNotice.objects.filter(pk=notice_id, notified_at__isnull=True).update(notified_at=timezone.now()):
        return False
    interview, for_candidate = notice.interview, notice.candidate is not None
    session = interview.agenda.session
    try:
        with translation.override(language):
            subject = (gettext("Entretien annulé : %(title)s") if interview.cancelled_at is not None
                       else gettext("Entretien déplacé : %(title)s")) % {"title": translated.text(session, "title")}
            ics = agenda_ics(session, [interview], for_candidate=for_candidate)
        send_templated(template="matching/email/interview_changed", subject=subject, to=[to], language=language,
                       context={"session": session, "interview": interview, "for_candidate": for_candidate},
                       attachments=[(f"entretien-{interview.pk}.ics", ics, "text/calendar; method=PUBLISH")])
    except Exception:
        InterviewNotice.objects.filter(pk=notice_id).update(notified_at=None)
        raise
    return True


def _consenting_q():
    return holds_match_consent_q("candidate_id") & Q(candidate__anonymised_at__isnull=True)


def agenda_check(agenda: JobDatingAgenda) -> list[str]:
    """Return what is wrong with a hand-adjusted agenda (no consent, over capacity, over a candidate's limit)."""
    problems = []
    refused = agenda.interviews.exclude(_consenting_q()).count()
    if refused:
        problems.append(gettext("%(n)s entretien(s) avec des candidat·es qui n'ont pas accepté d'être présenté·es "
                                "aux entreprises dont les offres correspondent à leur profil : retirez-les.")
                        % {"n": refused})
    slots = {p.company_id: p.interview_slots for p in agenda.session.company_participations.all()}
    counts_k: dict[int, int] = defaultdict(int)
    counts_c: dict[int, int] = defaultdict(int)
    for interview in agenda.interviews.filter(cancelled_at__isnull=True).select_related("company", "candidate"):
        counts_k[interview.company_id] += 1
        counts_c[interview.candidate_id] += 1
        if interview.company_id not in slots:
            problems.append(gettext("%(company)s n'est pas inscrite à cette session.") % {
                "company": interview.company})
    for k, n in counts_k.items():
        if k in slots and n > slots[k]:
            problems.append(gettext("Une entreprise a %(n)s entretiens pour %(slots)s créneaux.") % {
                "n": n, "slots": slots[k]})
    over = [c for c, n in counts_c.items() if n > agenda.max_per_candidate]
    if over:
        problems.append(gettext("%(n)s candidat·es dépassent la limite d'entretiens.") % {"n": len(over)})
    return problems


# --- someone leaves -------------------------------------------------------------------------------

def interviews_release_for_candidate(*, candidate: Candidate, reason: str, session=None) -> int:
    """Remove the candidate's interviews still to come (of one session, or all); return how many.

    For an agenda already sent, each recruiter who received the company's schedule gets an
    InterviewRelease row, and after the commit one e-mail (tasks.send_interview_release_notice).
    """
    interviews = Interview.objects.filter(candidate_id=candidate.pk, starts_at__gt=timezone.now())
    if session is not None:
        interviews = interviews.filter(agenda__session=session)
    with transaction.atomic():
        rows = list(interviews.select_for_update(of=("self",)).select_related("agenda__session"))
        if not rows:
            return 0
        releases = []
        for interview in rows:
            if interview.agenda.published_at is None or interview.cancelled_at is not None:
                continue  # nobody was told of this interview yet, or told it is cancelled
            slot = {"agenda_id": interview.agenda_id, "company_id": interview.company_id,
                    "starts_at": interview.starts_at, "ends_at": interview.ends_at, "reason": reason}
            recruiters = _recipients(interview.agenda.session, interview.company_id)
            releases += [InterviewRelease(recruiter=r, **slot) for r in recruiters] or [InterviewRelease(**slot)]
        InterviewRelease.objects.bulk_create(releases)
        Interview.objects.filter(pk__in=[i.pk for i in rows]).delete()
        release_ids = [r.pk for r in releases if r.recruiter_id is not None]
        if release_ids:
            # Found by name: the tasks module imports this one, not the other way round.
            notice = current_app.tasks[RELEASE_NOTICE_TASK]
            transaction.on_commit(lambda: [notice.delay(release_id=pk) for pk in release_ids])
    return len(rows)


def _recipients(session, company_id: int) -> list:
    """The recruiters who received the company's schedule: those named for the session, or all of them."""
    part = session.company_participations.filter(company_id=company_id).first()
    recruiters = list(part.recruiters.select_related("user")) if part is not None else []
    if not recruiters:
        recruiters = list(Recruiter.objects.filter(company_id=company_id).select_related("user"))
    return [r for r in recruiters if r.user.email and r.user.is_active]


def interview_release_notify(*, release_id: int) -> bool:
    """E-mail one recruiter, in their language, that a slot is free, once; return True if sent now.

    The row is claimed (notified_at set) before sending, so a second run sends nothing. If the mail
    server refuses, the claim is undone and the error raised, so that the task's retry sends it again.
    """
    claimed = InterviewRelease.objects.filter(pk=release_id, notified_at__isnull=True,
                                              recruiter__isnull=False).update(notified_at=timezone.now())
    if not claimed:
        return False
    release = InterviewRelease.objects.select_related("agenda__session", "company", "recruiter__user").get(
        pk=release_id)
    recruiter = release.recruiter
    try:
        language = recruiter.language or settings.LANGUAGE_CODE
        session = release.agenda.session
        with translation.override(language):
            subject = gettext("Job dating « %(title)s » : un créneau d'entretien s'est libéré") % {
                "title": translated.text(session, "title")}
        send_templated(template="matching/email/release", subject=subject, to=[recruiter.user.email],
                       language=language, context={"session": session, "release": release,
                                                   "company": release.company})
    except Exception:
        InterviewRelease.objects.filter(pk=release_id).update(notified_at=None)
        raise
    return True


# --- hooks the lower rooms call (registered in apps.py) --------------------------------------------

def release_on_consent_withdrawn(candidate: Candidate, kind: str) -> None:
    """Without the match consent, the person's interviews to come are freed."""
    if kind == Consent.Kind.SHOWN_ON_MATCH:
        interviews_release_for_candidate(candidate=candidate, reason=InterviewRelease.Reason.WITHDRAWN)


def release_on_registration_cancelled(*, registration, session) -> None:
    """A cancelled booking frees the person's interviews of that session; recruiters who had the schedule
    learn the slot is free."""
    interviews_release_for_candidate(candidate=registration.candidate, reason=InterviewRelease.Reason.CANCELLED,
                                     session=session)


def cancel_on_session_cancelled(*, session) -> None:
    """A cancelled session cancels its interviews still standing; the people they were sent to are told once."""
    for interview in Interview.objects.filter(agenda__session=session, cancelled_at__isnull=True):
        interview_cancel(interview=interview)


def release_on_erasure(subject) -> None:
    """Erasure hook: the person's interviews go, and recruiters learn the slot is free (naming no one)."""
    interviews_release_for_candidate(candidate=subject.candidate, reason=InterviewRelease.Reason.ERASED)
