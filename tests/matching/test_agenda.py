import datetime as dt
from collections import Counter

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from candidates.services import CandidateError
from events.models import Registration, Session, SessionCompany
from matching import agenda
from matching.models import Interview, JobDatingAgenda
from tests import factories


def check_constraints(plan, capacity, limit):
    times_c = Counter((c, t) for c, _k, t in plan.interviews)
    times_k = Counter((k, t) for _c, k, t in plan.interviews)
    assert max(times_c.values(), default=1) == 1  # no candidate double-booked
    assert max(times_k.values(), default=1) == 1  # no company double-booked
    per_k = Counter(k for _c, k, _t in plan.interviews)
    assert all(per_k[k] <= capacity[k] for k in per_k)
    per_c = Counter(c for c, _k, _t in plan.interviews)
    assert all(n <= limit for n in per_c.values())
    assert len({(c, k) for c, k, _t in plan.interviews}) == len(plan.interviews)


def test_everyone_with_a_match_gets_an_interview_and_companies_share_fairly():
    # Company 1 is everyone's favourite; companies 2 and 3 still get their share.
    scores = {}
    for c in range(1, 13):
        scores[(c, 1)] = 90 - c
        scores[(c, 2)] = 60 + c % 3
        scores[(c, 3)] = 50 if c % 2 else 10
    capacity = {1: 6, 2: 6, 3: 6}
    plan = agenda.plan_interviews(scores, capacity, n_times=8, limit=2)
    check_constraints(plan, capacity, 2)
    per_c = Counter(c for c, _k, _t in plan.interviews)
    assert set(per_c) == set(range(1, 13))
    per_k = Counter(k for _c, k, _t in plan.interviews)
    assert per_k[1] == 6 and per_k[2] == 6 and per_k[3] == 6
    assert plan.unplaced == []
    # A pair below the threshold is no match: no interview there.
    assert not [1 for c, k, _t in plan.interviews if scores[(c, k)] < agenda.MIN_SCORE]


def test_candidate_without_any_match_gets_none_and_scarce_slots_are_reported():
    scores = {(1, 1): 80, (2, 1): 70, (3, 1): 60, (4, 1): 5}
    plan = agenda.plan_interviews(scores, {1: 2}, n_times=8, limit=3)
    placed = {c for c, _k, _t in plan.interviews}
    assert placed == {1, 2}
    assert plan.unplaced == [3]


def test_times_never_clash_for_a_busy_candidate():
    scores = {(1, k): 90 for k in range(1, 5)}
    plan = agenda.plan_interviews(scores, dict.fromkeys(range(1, 5), 1), n_times=4, limit=4)
    assert sorted(t for _c, _k, t in plan.interviews) == [0, 1, 2, 3]


@pytest.fixture
def job_dating(db, company_a, company_b, recruiter_a):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    session = factories.SessionFactory(format=Session.Format.JOB_DATING, starts_at=start,
                                       ends_at=start + dt.timedelta(hours=1))
    for company in (company_a, company_b):
        factories.JobPostingFactory(company=company, city="Toulouse")
    part_a = SessionCompany.objects.create(session=session, company=company_a, interview_slots=3)
    part_a.recruiters.set([recruiter_a.recruiter])
    SessionCompany.objects.create(session=session, company=company_b, interview_slots=2)
    people = [factories.CandidateFactory(mobility_toulouse=True, language=lang) for lang in ("fr", "en", "fr")]
    for person in people:
        factories.give_consent(person)
        Registration.objects.create(session=session, candidate=person)
    cancelled = factories.CandidateFactory(mobility_toulouse=True)
    factories.give_consent(cancelled)
    Registration.objects.create(session=session, candidate=cancelled, status=Registration.Status.CANCELLED)
    return {"session": session, "people": people, "cancelled": cancelled}


@pytest.mark.django_db
def test_build_publish_and_send_each_their_schedule(job_dating, django_capture_on_commit_callbacks):
    session = job_dating["session"]
    plan = agenda.agenda_build(session=session, max_per_candidate=2)
    interviews = Interview.objects.filter(agenda__session=session)
    assert interviews.count() == len(plan.interviews) == 5
    assert not interviews.filter(candidate=job_dating["cancelled"]).exists()
    assert {i.candidate_id for i in interviews} == {p.pk for p in job_dating["people"]}
    assert all(i.ends_at - i.starts_at == dt.timedelta(minutes=15) for i in interviews)
    assert all(session.starts_at <= i.starts_at < session.ends_at for i in interviews)
    record = JobDatingAgenda.objects.get(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        sent = agenda.agenda_publish(agenda=record)
    assert sent == len(mail.outbox) == 4  # three candidates, one recruiter (company B has none)
    english = next(m for m in mail.outbox if m.to == [job_dating["people"][1].email])
    assert "interview" in english.subject.lower() or "job dating" in english.subject.lower()
    name, content, mimetype = english.attachments[0]
    assert (name, mimetype) == ("agenda.ics", "text/calendar")
    events = [e for e in Calendar.from_ical(content).walk("VEVENT")]
    assert len(events) == interviews.filter(candidate=job_dating["people"][1]).count()
    with pytest.raises(CandidateError):
        agenda.agenda_publish(agenda=record)
    with pytest.raises(CandidateError):
        agenda.agenda_build(session=session)


@pytest.mark.django_db
def test_database_refuses_a_double_booking(job_dating, company_a, company_b):
    from django.db import IntegrityError, transaction

    session = job_dating["session"]
    agenda.agenda_build(session=session)
    first = Interview.objects.filter(agenda__session=session).first()
    other = company_b if first.company == company_a else company_a
    with pytest.raises(IntegrityError), transaction.atomic():
        Interview.objects.create(agenda=first.agenda, company=other, candidate=first.candidate,
                                 starts_at=first.starts_at, ends_at=first.ends_at)


@pytest.mark.django_db
def test_only_job_dating_sessions_have_an_agenda(db):
    session = factories.SessionFactory(format=Session.Format.INFO)
    with pytest.raises(CandidateError):
        agenda.agenda_build(session=session)


@pytest.mark.django_db
def test_each_recruiter_gets_the_schedule_in_their_language(job_dating, company_a, recruiter_a,
                                                            django_capture_on_commit_callbacks):
    colleague = factories.RecruiterFactory(company=company_a, user__username="recruteur-en", language="en")
    SessionCompany.objects.get(session=job_dating["session"], company=company_a).recruiters.add(colleague)
    agenda.agenda_build(session=job_dating["session"], max_per_candidate=2)
    with django_capture_on_commit_callbacks(execute=True):
        agenda.agenda_publish(agenda=JobDatingAgenda.objects.get(session=job_dating["session"]))
    english = next(m for m in mail.outbox if m.to == [colleague.user.email])
    french = next(m for m in mail.outbox if m.to == [recruiter_a.email])
    assert english.subject != french.subject
    assert "entretien" in french.body.lower()
    assert "entretien" not in english.body.lower() and "interview" in english.body.lower()
