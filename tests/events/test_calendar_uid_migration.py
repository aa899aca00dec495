"""Sessions and sent interviews that existed before UIDs moved to the site's host keep the UID they were sent with."""

import datetime as dt

import pytest
from django.utils import timezone

from events.ical import session_uid
from events.models import Session
from matching.agenda import interview_uid
from matching.models import Interview
from tests import factories
from tests.migrations import migrate_to_latest, migrated_back_to

BEFORE = [("events", "0005_registration_ticket_nonce"), ("matching", "0002_admin_wording")]


@pytest.fixture
def before_calendar_fields(transactional_db):
    with migrated_back_to(BEFORE, nothing_written=True) as apps:
        yield apps


@pytest.mark.django_db(transaction=True)
def test_existing_sessions_and_sent_interviews_keep_their_first_uid(before_calendar_fields, settings):
    settings.SITE_URL = "https://tescforce.example"
    old = before_calendar_fields
    Programme = old.get_model("events", "Programme")
    Edition = old.get_model("events", "Edition")
    OldSession = old.get_model("events", "Session")
    start = timezone.now() + dt.timedelta(days=5)
    programme = Programme.objects.create(name="Programme test", slug="programme-test")
    edition = Edition.objects.create(programme=programme, number=1, name="1re", year=start.year,
                                     starts_on=start.date())
    session = OldSession.objects.create(edition=edition, title="Job dating", city="Toulouse",
                                        format="job_dating", starts_at=start, ends_at=start + dt.timedelta(hours=2),
                                        capacity=10)
    Company = old.get_model("companies", "Company")
    Candidate = old.get_model("candidates", "Candidate")
    company = Company.objects.create(name="Alpha", slug="alpha")
    agenda = old.get_model("matching", "JobDatingAgenda").objects.create(session_id=session.pk)
    OldInterview = old.get_model("matching", "Interview")
    sent, unsent = (OldInterview.objects.create(
        agenda=agenda, company=company, candidate=Candidate.objects.create(first_name="A", last_name=name,
                                                                           email=f"{name}@example.org"),
        starts_at=start + dt.timedelta(minutes=15 * i), ends_at=start + dt.timedelta(minutes=15 * (i + 1)),
        notified_at=notified) for i, (name, notified) in enumerate((("sent", timezone.now()), ("unsent", None))))

    migrate_to_latest()

    assert session_uid(Session.objects.get(pk=session.pk)) == f"session-{session.pk}@tescforce"
    assert interview_uid(Interview.objects.get(pk=sent.pk)) == f"interview-{sent.pk}@tescforce"
    assert interview_uid(Interview.objects.get(pk=unsent.pk)) == f"interview-{unsent.pk}@tescforce.example"
    assert session_uid(factories.SessionFactory()).endswith("@tescforce.example")
