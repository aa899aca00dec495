import pytest
from django.utils import timezone

from candidates.models import Candidate, Orientation, Qualification
from companies.models import JobPosting
from matching import selectors as matching_selectors
from matching import services as matching_services
from matching import tasks as matching_tasks
from matching.models import Match
from tests import factories


@pytest.fixture
def world(db):
    posting = factories.JobPostingFactory(title="Développeuse Django", city="Toulouse",
                                          contract=JobPosting.Contract.CDI)
    shown = factories.CandidateFactory(first_name="Aïcha", last_name="Visible", shown_to_recruiters=True,
                                       stage=Candidate.Stage.QUALIFIED, mobility_toulouse=True)
    hidden = factories.CandidateFactory(first_name="Bruno", last_name="Discret", shown_to_recruiters=False,
                                        mobility_toulouse=True)
    Qualification.objects.create(candidate=shown, level="ready", motivation=4)
    factories.give_consent(shown)
    matching_services.matches_recompute_all()
    return {"posting": posting, "shown": shown, "hidden": hidden}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_coordinator_sees_suggested_candidates_with_explanations(client_for, coordinator, world, lang):
    client = client_for(coordinator)
    response = client.get(f"/pilotage/rapprochements/offre/{world['posting'].pk}/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aïcha Visible" in body and "Bruno Discret" in body
    assert "/100" in body


@pytest.mark.django_db
def test_coordinator_sees_suggested_postings(client_for, coordinator, world):
    response = client_for(coordinator).get(f"/pilotage/rapprochements/candidat/{world['shown'].public_id}/")
    assert response.status_code == 200
    assert "Développeuse Django" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["hotline_agent", "recruiter_a", "prospecting_officer"])
def test_other_staff_are_refused(request, client_for, world, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get("/pilotage/rapprochements/").status_code == 403
    assert client.get(f"/pilotage/rapprochements/offre/{world['posting'].pk}/").status_code == 403
    match = Match.objects.get(candidate=world["shown"])
    assert client.post(f"/pilotage/rapprochements/{match.pk}/orienter/").status_code == 403
    assert not Orientation.objects.exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, world):
    response = client.get("/pilotage/rapprochements/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_one_click_orientation(client_for, coordinator, world):
    match = Match.objects.get(candidate=world["shown"])
    client = client_for(coordinator)
    assert client.get(f"/pilotage/rapprochements/{match.pk}/orienter/").status_code == 405
    response = client.post(f"/pilotage/rapprochements/{match.pk}/orienter/", {"back": "posting"})
    assert response.status_code == 302
    assert response["Location"] == f"/pilotage/rapprochements/offre/{world['posting'].pk}/"
    orientation = Orientation.objects.get()
    assert (orientation.candidate, orientation.posting, orientation.status) == (
        world["shown"], world["posting"], Orientation.Status.PROPOSED)
    # Twice is refused politely, with no second row.
    response = client.post(f"/pilotage/rapprochements/{match.pk}/orienter/", follow=True)
    assert Orientation.objects.count() == 1
    assert "déjà orienté" in response.content.decode()


@pytest.mark.django_db
def test_orienting_someone_who_did_not_consent_is_refused(client_for, coordinator, world):
    match = Match.objects.get(candidate=world["hidden"])
    response = client_for(coordinator).post(f"/pilotage/rapprochements/{match.pk}/orienter/", follow=True)
    assert response.status_code == 200
    assert not Orientation.objects.exists()


@pytest.mark.django_db
def test_shortlist_shows_only_consenting_active_candidates_of_the_recruiters_company(
        world, recruiter_a, recruiter_b, company_a, coordinator):
    posting = world["posting"]
    JobPosting.objects.filter(pk=posting.pk).update(company=company_a)
    posting.refresh_from_db()
    assert [m.candidate for m in matching_selectors.shortlist_for_posting(posting, recruiter_a)] == [world["shown"]]
    assert matching_selectors.shortlist_for_posting(posting, recruiter_b) == []
    # Withdrawn or erased: gone at once, before any recompute.
    Candidate.objects.filter(pk=world["shown"].pk).update(stage=Candidate.Stage.WITHDRAWN)
    assert matching_selectors.shortlist_for_posting(posting, recruiter_a) == []
    Candidate.objects.filter(pk=world["shown"].pk).update(stage=Candidate.Stage.QUALIFIED)
    world["shown"].consents.update(withdrawn_at=timezone.now())  # the match consent withdrawn
    assert matching_selectors.shortlist_for_posting(posting, recruiter_a) == []
    assert len(matching_selectors.shortlist_for_posting(posting, coordinator)) == 0


@pytest.fixture
def eager_tasks():
    from tescforce.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.mark.django_db(transaction=True)
def test_saving_a_posting_recomputes_its_matches_on_commit(eager_tasks):
    candidate = factories.CandidateFactory(mobility_toulouse=True)
    posting = factories.JobPostingFactory(city="Toulouse")
    # Eager tasks run on commit: the posting's save alone computed the match.
    assert Match.objects.filter(candidate=candidate, posting=posting).exists()
    posting.status = JobPosting.Status.CLOSED
    posting.save()
    assert not Match.objects.filter(posting=posting).exists()


@pytest.mark.django_db
def test_only_saves_of_job_related_fields_ask_for_a_recompute(django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(matching_tasks.matches_refresh, "delay", lambda **kw: sent.append(kw))
    candidate = factories.CandidateFactory()
    with django_capture_on_commit_callbacks(execute=True):
        candidate.save(update_fields=["last_activity_at"])
    assert sent == []
    with django_capture_on_commit_callbacks(execute=True):
        candidate.city = "Albi"
        candidate.save(update_fields=["city"])
        candidate.skills.add(factories.SkillFactory())
    assert sent and candidate.pk in sent[-1]["candidate_ids"]
