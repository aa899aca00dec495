"""The recruiters' interview sheet of a job dating: what each sees, the scorecards they write, what a scorecard
does to the candidate's pipeline, and telling the candidate the outcome when the team decides to.

Who sees what: a recruiter (signed in, or through their signed link: `sheet_links.py`) sees their company's
interviews of one session whose agenda was published, still standing, with candidates who hold the current
match consent and were not erased: the consent that put the person in the agenda (`agenda.py`). The CV is
offered when the person has one and a consent whose text covers showing it to this company (the match
consent names the CV and job-dating interviews; the "shown to recruiters" one names the CV too).

Writes take turns on the interview's row: `scorecard_save` locks it, then reads or creates its one scorecard
and changes only the fields it was given. Two saves at once (two recruiters, a retried autosave) therefore
never lose each other's fields and never make two rows; the last to arrive wins on a field both changed.

The pipeline (`candidates.services.orientation_advance`): "second interview" and "offer" create or move the
orientation to the company, and the candidate's stage, forward only, in the name of the recruiter; "not
retained" changes neither. The candidate hears the outcome only from the team ("Informer le candidat" in
the admin), once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, Consent, Orientation
from candidates.services import CandidateError, orientation_advance
from candidates.wording import holds_match_consent_q
from tescforce import erasure, translated
from tescforce.mail import send_templated
from tescforce.scoping import recruiter_company_id
from tescforce.tasks import enqueue_on_commit

from .models import Interview, JobDatingAgenda, Scorecard
from .selectors import KEY_SKILLS
from .sheet_links import SheetError

FIELDS = ("rating", "strengths", "next_step", "note")
PIPELINE_STATUS = {Scorecard.NextStep.SECOND_INTERVIEW: Orientation.Status.INTERVIEW,
                   Scorecard.NextStep.OFFER: Orientation.Status.OFFER}
OUTCOME_TASK = "matching.tasks.send_scorecard_outcome"
# A decision whose e-mail has not gone after this long (mail server down, in-process send failed) may be sent again.
OUTCOME_RETRY_AFTER = dt.timedelta(minutes=5)


# --- reads --------------------------------------------------------------------------------------------

def visible_interviews(*, company_id: int, session=None) -> QuerySet[Interview]:
    """The company's interviews a recruiter may see on a sheet: published agenda, not cancelled, the
    candidate holding the current match consent and not erased."""
    qs = Interview.objects.filter(company_id=company_id, agenda__published_at__isnull=False,
                                  cancelled_at__isnull=True, candidate__anonymised_at__isnull=True).filter(
        holds_match_consent_q("candidate_id"))
    return qs if session is None else qs.filter(agenda__session=session)


def cv_shareable_q(prefix: str = "candidate__") -> Q:
    """Candidates with a CV and a consent whose text lets a company read it (match consent or "shown")."""
    shown = Exists(Consent.objects.filter(candidate_id=OuterRef(f"{prefix}pk"), withdrawn_at__isnull=True,
                                          kind=Consent.Kind.SHOWN_TO_RECRUITERS))
    return ~Q(**{f"{prefix}cv": ""}) & (holds_match_consent_q(f"{prefix}pk") | Q(shown))


@dataclass
class SheetRow:
    interview: Interview
    scorecard: Scorecard | None
    key_skills: list[str]
    cv: bool


def sheet_rows(*, company_id: int, session) -> list[SheetRow]:
    """The sheet of one company for one session: its interviews in time order, with the candidate's key
    skills (those the posting asks for first), whether the CV may be read, and the scorecard if any."""
    interviews = list(visible_interviews(company_id=company_id, session=session)
                      .select_related("candidate", "posting", "scorecard").order_by("starts_at", "pk"))
    ids = [i.candidate_id for i in interviews]
    with_cv = set(Candidate.objects.filter(pk__in=ids).filter(cv_shareable_q("")).values_list("pk", flat=True))
    skills: dict[int, list[tuple[int, str]]] = {}
    for cid, sid, name in (Candidate.skills.through.objects.filter(candidate_id__in=ids)
                           .order_by("skill__name").values_list("candidate_id", "skill_id", "skill__name")):
        skills.setdefault(cid, []).append((sid, name))
    asked = {}
    postings = {i.posting for i in interviews if i.posting is not None}
    for posting in postings:
        asked[posting.pk] = set(posting.skills_required.values_list("pk", flat=True))
    rows = []
    for interview in interviews:
        wanted = asked.get(interview.posting_id, set())
        ranked = sorted(skills.get(interview.candidate_id, []), key=lambda s: (s[0] not in wanted, s[1]))
        rows.append(SheetRow(interview=interview, scorecard=getattr(interview, "scorecard", None),
                             key_skills=[name for _sid, name in ranked[:KEY_SKILLS]],
                             cv=interview.candidate_id in with_cv))
    return rows


def sheet_interview(*, company_id: int, session, pk: int) -> Interview | None:
    """One interview of the sheet, or None when the recruiter may not see it (another company's, say)."""
    return visible_interviews(company_id=company_id, session=session).select_related(
        "candidate", "company", "posting", "agenda__session").filter(pk=pk).first()


def cv_shareable(interview: Interview) -> bool:
    return Candidate.objects.filter(pk=interview.candidate_id).filter(cv_shareable_q("")).exists()


def sheet_agenda(*, company_id: int, session_id: int) -> JobDatingAgenda | None:
    """The published agenda of a session in which the company has interviews, or None."""
    return (JobDatingAgenda.objects.select_related("session").filter(
        session_id=session_id, published_at__isnull=False, interviews__company_id=company_id).distinct().first())


def sheet_agendas(*, company_id: int, since: dt.date | None = None, limit: int = 5) -> list[dict]:
    """The job datings where the company has interviews on a sheet, with their counts (no names): those ending
    on `since` or later in time order, or, without `since`, all of them, the latest first."""
    agendas = (JobDatingAgenda.objects.filter(published_at__isnull=False)
               .filter(Exists(visible_interviews(company_id=company_id).filter(agenda=OuterRef("pk"))))
               .select_related("session"))
    if since is not None:
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        agendas = agendas.filter(session__ends_at__gte=start).order_by("session__starts_at")
    else:
        agendas = agendas.order_by("-session__starts_at")
    rows = []
    for agenda in agendas[:limit]:
        counts = visible_interviews(company_id=company_id, session=agenda.session).aggregate(
            n=Count("pk"), filled=Count("pk", filter=Q(scorecard__isnull=False)))
        rows.append({"agenda": agenda, "session": agenda.session, **counts})
    return rows


def desk_interviews_context(*, user, today) -> dict:
    """A recruiter's desk: their company's job datings with interviews, from yesterday on (counts, no names)."""
    company_id = recruiter_company_id(user)
    if not company_id:
        return {"agendas": []}
    return {"agendas": sheet_agendas(company_id=company_id, since=today - dt.timedelta(days=1))}


# --- writes -------------------------------------------------------------------------------------------

def scorecard_save(*, interview: Interview, data: dict, by) -> Scorecard:
    """Write the given fields (a subset of FIELDS, already validated) on the interview's scorecard, made if
    needed; leave the others as they are. A new "second interview" or "offer" moves the pipeline."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise SheetError(_("Champ inconnu : %(names)s.") % {"names": ", ".join(sorted(unknown))}, code="field")
    with transaction.atomic():
        locked = (Interview.objects.select_for_update(of=("self",))
                  .select_related("agenda__session", "company", "candidate", "posting").get(pk=interview.pk))
        if locked.cancelled_at is not None:
            raise SheetError(_("Cet entretien a été annulé : sa fiche ne change plus."), code="cancelled")
        card = Scorecard.objects.filter(interview=locked).first() or Scorecard(interview=locked)
        before = card.next_step
        changed = [name for name, value in data.items() if getattr(card, name) != value]
        if card.pk is not None and not changed:
            return card  # a retry of what is already saved: no new history row
        for name in changed:
            setattr(card, name, data[name])
        card.updated_by = by
        card._history_user = by  # the audit trail's "who", also through a signed link (no request user)
        if card.next_step != before:
            card.pipeline_note = _follow_in_pipeline(card, locked, by)
        card.save()
    return card


def _follow_in_pipeline(card: Scorecard, interview: Interview, by) -> str:
    """Move the orientation and the stage for a new next step; return what was done, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        status = PIPELINE_STATUS.get(card.next_step)
        if status is None:
            return gettext("Non retenu·e : parcours inchangé.") if card.next_step else ""
        session = interview.agenda.session
        comment = gettext("Job dating « %(session)s » : %(company)s demande « %(step)s » (fiche d'entretien).") % {
            "session": session.title, "company": interview.company.name, "step": card.get_next_step_display()}
        try:
            with transaction.atomic():
                orientation, refusal = orientation_advance(
                    candidate=interview.candidate, company=interview.company, status=status,
                    posting=interview.posting, session=session, by=by, comment=comment)
        except CandidateError as exc:
            return str(exc.message)[:300]
        done = gettext("Orientation « %(status)s » ; étape « %(stage)s ».") % {
            "status": orientation.get_status_display(), "stage": interview.candidate.get_stage_display()}
        return f"{done} {refusal}"[:300] if refusal else done


def scorecard_inform_candidate(*, scorecard: Scorecard, by) -> Scorecard:
    """Decide, once, to tell the candidate the scorecard's outcome; the e-mail goes after the commit.

    Refused when the card has no next step, the person has no address or was erased, or was already told (or
    is being told); a decision whose e-mail has not gone after OUTCOME_RETRY_AFTER is sent again.
    """
    with transaction.atomic():
        card = (Scorecard.objects.select_for_update(of=("self",)).select_related("interview__candidate")
                .get(pk=scorecard.pk))
        person = card.interview.candidate
        if card.outcome_requested_at is not None and card.outcome_sent_at is None:
            if card.outcome_requested_at > timezone.now() - OUTCOME_RETRY_AFTER:
                raise SheetError(_("L'e-mail à %(name)s est en cours d'envoi (demandé à %(time)s).") % {
                    "name": person, "time": formats.time_format(timezone.localtime(card.outcome_requested_at),
                                                                 "H:i")}, code="sending")
            # Decided a while ago, but the mail server refused it so far: try again (the send is claimed first,
            # so it never goes twice).
            enqueue_on_commit(OUTCOME_TASK, scorecard_id=card.pk)
            return scorecard
        if card.outcome_requested_at is not None:
            raise SheetError(_("%(name)s est déjà informé·e de cette suite (demandé le %(day)s).") % {
                "name": person, "day": formats.date_format(timezone.localtime(card.outcome_requested_at),
                                                           "SHORT_DATE_FORMAT")}, code="already")
        if not card.next_step:
            raise SheetError(_("La fiche n'indique pas encore de suite : rien à annoncer."), code="no_step")
        if person.is_anonymised or not person.email:
            raise SheetError(_("Cette personne n'a plus d'adresse e-mail (compte effacé) : personne à informer."),
                             code="no_email")
        Scorecard.objects.filter(pk=card.pk).update(outcome_requested_at=timezone.now(), outcome_requested_by=by,
                                                    outcome_told=card.next_step)
        enqueue_on_commit(OUTCOME_TASK, scorecard_id=card.pk)
    scorecard.refresh_from_db()
    return scorecard


def scorecard_outcome_notify(*, scorecard_id: int) -> bool:
    """E-mail the candidate the outcome the team chose to tell, in their language, once; True if sent now.

    Claimed before sending; a refused send gives the claim back and raises, so that the task retries.
    """
    claimed = Scorecard.objects.filter(pk=scorecard_id, outcome_requested_at__isnull=False,
                                       outcome_sent_at__isnull=True).update(outcome_sent_at=timezone.now())
    if not claimed:
        return False
    card = Scorecard.objects.select_related("interview__candidate", "interview__company", "interview__posting",
                                            "interview__agenda__session").get(pk=scorecard_id)
    person = card.interview.candidate
    if person.is_anonymised or not person.email:
        Scorecard.objects.filter(pk=scorecard_id).update(outcome_sent_at=None)
        return False
    language = person.language or settings.LANGUAGE_CODE
    session = card.interview.agenda.session
    try:
        with translation.override(language):
            subject = gettext("Job dating « %(title)s » : la suite avec %(company)s") % {
                "title": translated.text(session, "title"), "company": card.interview.company.name}
            space_url = settings.SITE_URL + reverse("candidates:space_request")
        send_templated(template="matching/email/outcome", subject=subject, to=[person.email], language=language,
                       context={"candidate": person, "session": session, "interview": card.interview,
                                "outcome": card.outcome_told, "space_url": space_url})
    except Exception:
        Scorecard.objects.filter(pk=scorecard_id).update(outcome_sent_at=None)
        raise
    return True


# --- the person's data --------------------------------------------------------------------------------

def scorecards_erase(subject) -> None:
    """Erasure hook: what recruiters wrote about the person goes (strengths, note, their history), before the
    interviews still to come are removed; rating and next step stay on past interviews, for the figures."""
    cards = Scorecard.objects.filter(interview__candidate=subject.candidate)
    ids = list(cards.values_list("pk", flat=True))
    if not ids:
        return
    cards.filter(interview__starts_at__gt=timezone.now()).delete()
    Scorecard.objects.filter(pk__in=ids).update(strengths="", note="", pipeline_note="")
    erasure.purge_history(Scorecard, id__in=ids)
    erasure.scrub_admin_log(Scorecard, ids)


def scorecards_export_part(candidate) -> dict:
    """The person's scorecards for their JSON export (right of access: evaluations about them are theirs to
    read, CNIL). The company is named; the recruiter who wrote it is not (a third party)."""
    cards = (Scorecard.objects.filter(interview__candidate=candidate)
             .select_related("interview__company", "interview__posting", "interview__agenda__session")
             .order_by("interview__starts_at"))
    return {"job_dating_scorecards": [{
        "session": card.interview.agenda.session.title,
        "interview_at": card.interview.starts_at.isoformat(),
        "company": card.interview.company.name,
        "posting": card.interview.posting.title if card.interview.posting else None,
        "rating": card.rating,
        "rating_scale": "1-4",
        "strengths": card.strengths,
        "next_step": card.next_step or None,
        "note": card.note,
        "updated_at": card.updated_at.isoformat(),
        "outcome_told_at": card.outcome_sent_at.isoformat() if card.outcome_sent_at else None,
    } for card in cards]}
