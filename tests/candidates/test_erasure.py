"""One erasure routine for the four ways a person leaves, searched for in every column of every table."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from candidates import services, tasks, tokens
from candidates.models import (
    Candidate,
    Consent,
    Erasure,
    JobInterest,
    Orientation,
    StageChange,
)
from events.models import Registration, SurveyResponse
from hotline.models import CallbackRequest, HotlineCall, RelocationRequest
from matching import scorecards
from matching.models import Interview, JobDatingAgenda
from showroom.models import ContactRequest
from tescforce import erasure
from tests import factories

from .conftest import PDF, database_text, tables_containing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_commit", "french")]

PERSON = {"first_name": "Zéphyrine", "last_name": "Quintavalle", "email": "zephyrine.q@example.org",
          "phone": "+33699887766", "city": "Zorbaville-sur-Tarn", "utm_source": "quokkasource",
          "utm_medium": "wombatmedium", "utm_campaign": "narwhalcampaign"}
NEEDLES = ["Zéphyrine", "Quintavalle", "zephyrine.q@example.org", "699887766", "Zorbaville", "quokkasource",
           "wombatmedium", "narwhalcampaign"]
OTHER_EMAIL = "autre.personne@example.org"


def _build_person(client_for, coordinator, company_a):
    """A candidate with a distinctive value in every personal field and a trace in every room."""
    candidate = factories.CandidateFactory(**PERSON, shown_to_recruiters=True, postcode="75011")
    services.consent_give(candidate=candidate, kind=Consent.Kind.PROCESSING)
    services.consent_give(candidate=candidate, kind=Consent.Kind.SHOWN_TO_RECRUITERS)
    services.candidate_replace_cv(candidate=candidate, cv=SimpleUploadedFile("cv.pdf", PDF, "application/pdf"))
    services.candidate_qualify(candidate=candidate, level="ready", motivation=4,
                               training_needed="Formation SAP pour Zéphyrine", notes="Zéphyrine Quintavalle motivée",
                               by=coordinator)
    orientation = services.orientation_create(candidate=candidate, company=company_a, by=coordinator,
                                              comment="Vue avec Zéphyrine")
    services.orientation_set_status(orientation=orientation, status="interview",
                                    outcome="Entretien de Quintavalle", by=coordinator)
    factories.RegistrationFactory(candidate=candidate, outcome_notes="Zéphyrine très présente")
    past = factories.RegistrationFactory(candidate=candidate, status=Registration.Status.ATTENDED,
                                         session__starts_at=timezone.now() - dt.timedelta(days=20))
    SurveyResponse.objects.create(registration=past, rating=5, comment="Merci, Zéphyrine Quintavalle")
    JobInterest.objects.create(candidate=candidate, posting=factories.JobPostingFactory(company=company_a))
    # Met at a job dating last month: what the recruiter wrote (and its audit trail) names the person.
    agenda = JobDatingAgenda.objects.create(session=past.session, published_at=timezone.now())
    interview = Interview.objects.create(agenda=agenda, company=company_a, candidate=candidate,
                                         starts_at=past.session.starts_at,
                                         ends_at=past.session.starts_at + dt.timedelta(minutes=15))
    recruiter = factories.RecruiterFactory(company=company_a).user
    scorecards.scorecard_save(interview=interview, by=recruiter, data={
        "rating": 2, "strengths": "Zéphyrine connaît SQL", "next_step": "not_retained"})
    scorecards.scorecard_save(interview=interview, by=recruiter, data={"note": "Rappeler Quintavalle en juin"})
    HotlineCall.objects.create(candidate=candidate, topic="relocation", summary="Zéphyrine appelle",
                               caller_name="Zéphyrine Quintavalle", caller_contact="06 99 88 77 66")
    HotlineCall.objects.create(topic="other", summary="Appel de zephyrine.q@example.org",
                               caller_contact="zephyrine.q@example.org")
    RelocationRequest.objects.create(candidate=candidate, target_city="Toulouse", need_other="Crèche pour Zéphyrine",
                                     message="Zéphyrine arrive", notes="Quintavalle cherche un T3")
    callback = CallbackRequest.objects.create(name="Zéphyrine Quintavalle", email="ZEPHYRINE.Q@example.org",
                                              topic="other", message="Rappelez-moi")
    use_case = factories.UseCaseFactory()
    showroom_request = ContactRequest.objects.create(
        use_case=use_case, name="Zéphyrine Quintavalle", email="Zephyrine.Q@Example.org",
        organisation="Quintavalle Conseil", message="Je voudrais rencontrer l'équipe")
    # Someone else, with another address: untouched.
    ContactRequest.objects.create(use_case=use_case, name="Autre Personne", email=OTHER_EMAIL,
                                  organisation="Autre SAS", message="Bonjour")
    CallbackRequest.objects.create(name="Autre Personne", email=OTHER_EMAIL, topic="other", message="Merci")
    # The audit trail keeps a copy at each save; the admin log keeps objects' names.
    candidate.refresh_from_db()
    candidate.save()
    for obj, message in ((candidate, "Changé Zéphyrine"), (orientation, ""), (callback, ""),
                         (showroom_request, ""), (past.session, "Ajouté Zéphyrine Quintavalle à la liste")):
        LogEntry.objects.log_actions(user_id=coordinator.pk, queryset=[obj], action_flag=CHANGE,
                                     change_message=message)
    # Signed in to Mon espace on another device, arrived through a campaign link (utm_* in the session).
    device = Client()
    device.get("/fr/", {"utm_source": PERSON["utm_source"], "utm_medium": PERSON["utm_medium"],
                        "utm_campaign": PERSON["utm_campaign"]})
    token = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose="space")
    device.get(f"/fr/mon-espace/lien/{token}/")
    assert device.get("/fr/mon-espace/accueil/").status_code == 200
    return candidate, device, token


def _erase_from_space(candidate, client, client_for, coordinator):
    token = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose="space")
    client.get(f"/fr/mon-espace/lien/{token}/")
    assert client.post("/fr/mon-espace/effacer/", {}).status_code == 200  # the box must be ticked
    assert Candidate.objects.get(pk=candidate.pk).anonymised_at is None
    response = client.post("/fr/mon-espace/effacer/", {"confirm": "on"})
    assert "Votre compte est effacé" in response.content.decode()
    return Erasure.Reason.REQUEST


def _erase_by_staff(candidate, client, client_for, coordinator):
    response = client_for(coordinator).post("/admin/candidates/candidate/", {
        "action": "erase_action", ACTION_CHECKBOX_NAME: [candidate.pk], "apply": "1"})
    assert response.status_code == 302
    return Erasure.Reason.STAFF


def _erase_for_inactivity(candidate, client, client_for, coordinator):
    Candidate.objects.filter(pk=candidate.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=2 * 365 + 1))
    assert tasks.anonymise_inactive_candidates.delay().get() == 1
    return Erasure.Reason.RETENTION


def _purge_unconfirmed(candidate, client, client_for, coordinator):
    Candidate.objects.filter(pk=candidate.pk).update(confirmed_at=None,
                                                     created_at=timezone.now() - dt.timedelta(days=8))
    assert tasks.purge_unconfirmed_candidates.delay().get() == 1
    return Erasure.Reason.UNCONFIRMED


@pytest.mark.parametrize("leave", [_erase_from_space, _erase_by_staff, _erase_for_inactivity, _purge_unconfirmed],
                         ids=["mon-espace", "staff", "two-years", "unconfirmed"])
def test_every_way_of_leaving_leaves_no_personal_value_anywhere_in_the_database(
        leave, client, client_for, coordinator, company_a):
    candidate, device, link_token = _build_person(client_for, coordinator, company_a)
    cv_name, storage = candidate.cv.name, candidate.cv.storage
    needles = [*NEEDLES, str(candidate.public_id), cv_name]
    before = database_text()
    for needle in needles:
        assert tables_containing(needle, before), needle  # the search does find them before
    assert storage.exists(cv_name)

    reason = leave(candidate, client, client_for, coordinator)

    after = database_text()
    assert {needle: tables_containing(needle, after) for needle in needles} == {needle: [] for needle in needles}
    assert not storage.exists(cv_name)
    # The other device's Mon espace session is gone, and the link the person was sent leads nowhere.
    assert device.get("/fr/mon-espace/accueil/").status_code == 302
    device.get(f"/fr/mon-espace/lien/{link_token}/")
    assert device.get("/fr/mon-espace/accueil/").status_code == 302
    # Another person's requests, sent from another address, stay as they were.
    assert ContactRequest.objects.get().email == OTHER_EMAIL
    assert CallbackRequest.objects.get().email == OTHER_EMAIL
    # An anonymous trace of the erasure stays, with its reason.
    trace = Erasure.objects.get()
    assert trace.reason == reason
    if reason == Erasure.Reason.UNCONFIRMED:
        assert not Candidate.objects.filter(pk=candidate.pk).exists()
        assert trace.candidate is None
        return
    # What the dashboard counts stays.
    candidate = Candidate.objects.get(pk=candidate.pk)
    assert trace.candidate == candidate
    assert candidate.anonymised_at is not None
    assert candidate.stage == Candidate.Stage.IN_RECRUITMENT
    assert candidate.profile == "retraining"
    assert candidate.from_other_region
    assert candidate.postcode == "75"
    assert not candidate.shown_to_recruiters
    assert not Consent.objects.filter(candidate=candidate, withdrawn_at__isnull=True).exists()
    assert StageChange.objects.filter(candidate=candidate).count() == 3
    assert Orientation.objects.filter(candidate=candidate).exists()
    assert Registration.objects.get(candidate=candidate, status=Registration.Status.ATTENDED)
    assert SurveyResponse.objects.get().rating == 5
    # A second erasure does nothing.
    assert services.candidate_erase(candidate=candidate) is False
    assert Erasure.objects.count() == 1


def test_a_failing_erasure_hook_undoes_the_whole_erasure(monkeypatch, candidate):
    def broken(subject):
        raise RuntimeError("disk full")

    monkeypatch.setitem(erasure._HOOKS, "zz.broken", erasure.Hook("zz.broken", broken, 999))
    with pytest.raises(RuntimeError):
        services.candidate_erase(candidate=candidate)
    candidate.refresh_from_db()
    assert candidate.anonymised_at is None and candidate.email == "helene@example.org"
    assert not Erasure.objects.exists()


def test_every_room_that_keeps_personal_data_registered_its_erasure_hook():
    names = {hook.name for hook in erasure.hooks()}
    assert {"candidates.sessions", "hotline.calls", "matching.agenda", "matching.matches", "matching.scorecards",
            "events.registrations", "showroom.contact_requests"} <= names


def test_a_confirmed_person_is_not_purged_as_unconfirmed(candidate):
    assert services.candidate_erase(candidate=candidate, reason=Erasure.Reason.UNCONFIRMED) is False
    candidate.refresh_from_db()
    assert candidate.anonymised_at is None and candidate.first_name == "Hélène"
    assert not Erasure.objects.exists()


def test_one_failing_erasure_does_not_hold_back_the_nightly_anonymisation_of_the_others(monkeypatch):
    stuck, other = factories.CandidateFactory(), factories.CandidateFactory()
    Candidate.objects.update(last_activity_at=timezone.now() - dt.timedelta(days=2 * 365 + 1))

    def broken_for_one(subject):
        if subject.candidate.pk == stuck.pk:
            raise RuntimeError("disk full")

    monkeypatch.setitem(erasure._HOOKS, "zz.broken", erasure.Hook("zz.broken", broken_for_one, 999))
    assert tasks.anonymise_inactive_candidates.delay().get() == 1
    stuck.refresh_from_db()
    other.refresh_from_db()
    assert stuck.anonymised_at is None and stuck.first_name == "Hélène"
    assert other.anonymised_at is not None
    # The next night, once the cause is gone, the one left behind is anonymised.
    monkeypatch.delitem(erasure._HOOKS, "zz.broken")
    assert tasks.anonymise_inactive_candidates.delay().get() == 1


def test_a_person_active_again_is_not_anonymised_for_inactivity(candidate):
    assert services.candidate_erase(candidate=candidate, reason=Erasure.Reason.RETENTION) is False
    candidate.refresh_from_db()
    assert candidate.anonymised_at is None
