"""A job dating on today's date with a published agenda, for the interview sheet's tests (and the browser's)."""

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from candidates.models import Candidate, Consent
from events.models import Registration, Session, SessionCompany
from matching.models import Interview, JobDatingAgenda
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Day:
    session: Session
    agenda: JobDatingAgenda
    alice: Candidate  # qualified, with a CV and both consents: met by company A then company B
    bruno: Candidate  # oriented to company A already, no CV
    carla: Candidate  # company B only
    a_alice: Interview
    a_bruno: Interview
    b_carla: Interview
    b_alice: Interview


def job_dating_day(company_a, company_b, recruiter_a, recruiter_b, *, day: dt.date | None = None) -> Day:
    """Company A meets Alice (14:00) and Bruno (14:15); company B meets Carla (14:00) and Alice (14:15)."""
    day = day or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(14, 0)))
    session = factories.SessionFactory(title="Job dating Python", city="Toulouse", venue="La Cité",
                                       format=Session.Format.JOB_DATING, starts_at=start,
                                       ends_at=start + dt.timedelta(hours=4))
    python, sql = factories.SkillFactory(name="Python", slug="python"), factories.SkillFactory(name="SQL", slug="sql")
    posting_a = factories.JobPostingFactory(company=company_a, title="Développeuse Django")
    posting_b = factories.JobPostingFactory(company=company_b, title="Ingénieur données")
    posting_a.skills_required.add(python)
    for company, user in ((company_a, recruiter_a), (company_b, recruiter_b)):
        part = SessionCompany.objects.create(session=session, company=company, interview_slots=4)
        part.recruiters.set([user.recruiter])
    alice = factories.CandidateFactory(first_name="Alice", last_name="Roques", stage="qualified",
                                       shown_to_recruiters=True, language="en")
    alice.cv.save("cv.pdf", ContentFile(PDF), save=True)
    bruno = factories.CandidateFactory(first_name="Bruno", last_name="Haddad", stage="oriented")
    carla = factories.CandidateFactory(first_name="Carla", last_name="Vidal", stage="qualified")
    for person in (alice, bruno, carla):
        factories.give_consent(person)
        Registration.objects.create(session=session, candidate=person)
    factories.give_consent(alice, Consent.Kind.SHOWN_TO_RECRUITERS)
    alice.skills.add(python, sql)
    # Bruno was oriented to company A by the team before the day.
    bruno.orientations.create(company=company_a)
    agenda = JobDatingAgenda.objects.create(session=session, built_at=timezone.now(), published_at=timezone.now())

    def meet(company, person, minutes, posting):
        return Interview.objects.create(agenda=agenda, company=company, candidate=person, posting=posting,
                                        starts_at=start + dt.timedelta(minutes=minutes),
                                        ends_at=start + dt.timedelta(minutes=minutes + 15), score=70,
                                        notified_at=timezone.now())

    return Day(session=session, agenda=agenda, alice=alice, bruno=bruno, carla=carla,
               a_alice=meet(company_a, alice, 0, posting_a), a_bruno=meet(company_a, bruno, 15, posting_a),
               b_carla=meet(company_b, carla, 0, posting_b), b_alice=meet(company_b, alice, 15, posting_b))
