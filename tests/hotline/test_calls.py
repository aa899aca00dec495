import datetime as dt

import pytest
from django.utils import timezone

from candidates import wording
from candidates.models import Candidate, Consent, StageChange
from hotline import services
from hotline.models import CallbackRequest, HotlineCall
from tests import factories

CALL_URL = "/pilotage/hotline/appel/"


def _call_data(**extra):
    return {"direction": "in", "channel": "phone", "topic": "job_search",
            "summary": "Cherche un poste de développeuse à Toulouse.", **extra}


def _tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


@pytest.mark.django_db
def test_agent_logs_a_call_for_a_known_candidate_with_a_follow_up(client_for, hotline_agent, candidate):
    client = client_for(hotline_agent)
    page = client.get(CALL_URL, {"candidate": candidate.public_id})
    assert page.status_code == 200
    assert "Restez factuel·le" in page.content.decode()
    response = client.post(f"{CALL_URL}?candidate={candidate.public_id}", _call_data(
        follow_up_due=_tomorrow().isoformat(), follow_up_owner=hotline_agent.pk))
    assert response.status_code == 302
    assert response["Location"] == f"/pilotage/hotline/candidat/{candidate.public_id}/"
    call = HotlineCall.objects.get()
    assert (call.candidate, call.logged_by, call.follow_up_owner) == (candidate, hotline_agent, hotline_agent)
    assert call.follow_up_due == _tomorrow()
    card = client.get(response["Location"]).content.decode()
    assert "Cherche un poste de développeuse" in card and "Recherche d&#x27;emploi" in card


@pytest.mark.django_db
def test_agent_logs_a_call_from_an_unknown_caller(client_for, hotline_agent):
    response = client_for(hotline_agent).post(CALL_URL, _call_data(
        caller_name="Inconnu pressé", caller_contact="07 00 00 00 00", topic="other",
        summary="Demande l'adresse de la Cantine."))
    assert response.status_code == 302
    call = HotlineCall.objects.get()
    assert call.candidate is None
    assert (call.caller_name, call.caller_contact) == ("Inconnu pressé", "07 00 00 00 00")
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_unknown_caller_needs_a_name_or_contact(client_for, hotline_agent):
    response = client_for(hotline_agent).post(CALL_URL, _call_data())
    assert response.status_code == 200
    assert "Indiquez au moins le nom ou le contact" in response.content.decode()
    assert not HotlineCall.objects.exists()


@pytest.mark.django_db
def test_new_candidate_from_a_call_records_the_oral_consent(client_for, hotline_agent):
    response = client_for(hotline_agent).post(CALL_URL, {
        **_call_data(topic="training"),
        "new-register": "on", "new-first_name": "Zoé", "new-last_name": "Garnier", "new-email": "zoe@example.org",
        "new-phone": "06 11 22 33 44", "new-profile": "retraining", "new-language": "en",
        "new-consent_processing": "on",
    })
    assert response.status_code == 302
    zoe = Candidate.objects.get()
    assert (zoe.first_name, zoe.email, str(zoe.phone), zoe.language) == ("Zoé", "zoe@example.org", "+33611223344",
                                                                       "en")
    assert zoe.confirmed_at is not None and not zoe.shown_to_recruiters
    consent = Consent.objects.get(candidate=zoe)
    assert consent.kind == Consent.Kind.PROCESSING
    assert consent.channel == Consent.Channel.PHONE
    assert consent.wording_version == wording.PROCESSING_VERSION
    assert consent.recorded_by == hotline_agent
    assert HotlineCall.objects.get().candidate == zoe
    assert StageChange.objects.get(candidate=zoe).to_stage == Candidate.Stage.REGISTERED


@pytest.mark.django_db
def test_new_candidate_may_also_agree_to_be_shown_to_recruiters(hotline_agent):
    call = services.call_log_for_new_candidate(
        logged_by=hotline_agent, topic="job_search", summary="Inscription.",
        candidate_data={"first_name": "Ali", "last_name": "Ben", "phone": "+33622334455", "profile": "job_seeker",
                        "shown_to_recruiters": True},
    )
    assert call.candidate.shown_to_recruiters
    assert set(call.candidate.consents.values_list("kind", "channel")) == {("processing", "phone"), ("shown", "phone")}


@pytest.mark.django_db
def test_new_candidate_without_oral_consent_is_refused_and_nothing_is_saved(client_for, hotline_agent):
    response = client_for(hotline_agent).post(CALL_URL, {
        **_call_data(), "new-register": "on", "new-first_name": "Zoé", "new-last_name": "Garnier",
        "new-email": "zoe@example.org", "new-profile": "retraining", "new-language": "fr",
    })
    assert response.status_code == 200
    assert "notez l&#x27;appel sans l&#x27;inscrire" in response.content.decode()
    assert not Candidate.objects.exists() and not HotlineCall.objects.exists()


@pytest.mark.django_db
def test_new_candidate_with_a_known_email_is_refused_and_the_call_not_saved(client_for, hotline_agent, candidate):
    response = client_for(hotline_agent).post(CALL_URL, {
        **_call_data(caller_name="Hélène"), "new-register": "on", "new-first_name": "Hélène",
        "new-last_name": "Dupont", "new-email": "HELENE@example.org", "new-profile": "retraining",
        "new-language": "fr", "new-consent_processing": "on",
    })
    assert response.status_code == 200
    assert "utilise déjà cet e-mail" in response.content.decode()
    assert Candidate.objects.count() == 1 and not HotlineCall.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "message"), [
    ({"follow_up_due": "2020-01-01", "follow_up_owner": "OWNER"}, "ne peut pas être dans le passé"),
    ({"summary": "   "}, "Ce champ est obligatoire"),
    ({"summary": ""}, "Ce champ est obligatoire"),
    ({"topic": "astrology"}, "Sélectionnez un choix valide"),
    ({"direction": "sideways"}, "Sélectionnez un choix valide"),
    ({"follow_up_due": "TOMORROW"}, "Une relance doit avoir un responsable"),
    ({"follow_up_owner": "OWNER"}, "Indiquez la date de la relance"),
    ({"follow_up_due": "not a date", "follow_up_owner": "OWNER"}, "Saisissez une date valide"),
    ({"follow_up_due": "TOMORROW", "follow_up_owner": "RECRUITER"}, "Sélectionnez un choix valide"),
])
def test_bad_call_input_is_refused_with_a_message(client_for, hotline_agent, recruiter_a, candidate, data, message):
    swap = {"OWNER": str(hotline_agent.pk), "RECRUITER": str(recruiter_a.pk), "TOMORROW": _tomorrow().isoformat()}
    data = {k: swap.get(v, v) for k, v in data.items()}
    response = client_for(hotline_agent).post(f"{CALL_URL}?candidate={candidate.public_id}", _call_data(**data))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HotlineCall.objects.exists()


@pytest.mark.django_db
def test_services_refuse_bad_input_too(hotline_agent, prospecting_officer, candidate):
    base = {"logged_by": hotline_agent, "candidate": candidate, "topic": "job_search", "summary": "Fait."}
    bad = [
        {"summary": "  "}, {"topic": "nope"},
        {"follow_up_due": timezone.localdate() - dt.timedelta(days=1), "follow_up_owner": hotline_agent},
        {"follow_up_due": _tomorrow()},
        {"follow_up_due": _tomorrow(), "follow_up_owner": prospecting_officer},
    ]
    for extra in bad:
        with pytest.raises(services.HotlineError):
            services.call_log(**{**base, **extra})
    assert not HotlineCall.objects.exists()


@pytest.mark.django_db
def test_follow_up_lists_and_mark_done(client_for, hotline_agent, coordinator, candidate):
    today = timezone.localdate()
    mine = HotlineCall.objects.create(candidate=candidate, topic="session", summary="Rappeler pour la session",
                                      follow_up_due=today, follow_up_owner=hotline_agent)
    late = HotlineCall.objects.create(caller_name="Retard", topic="other", summary="Dossier oublié",
                                      follow_up_due=today - dt.timedelta(days=2), follow_up_owner=coordinator)
    client = client_for(hotline_agent)
    html = client.get("/pilotage/hotline/relances/").content.decode()
    assert "Rappeler pour la session" in html and "Dossier oublié" not in html
    html = client.get("/pilotage/hotline/relances/en-retard/").content.decode()
    assert "Retard" in html and "Rappeler pour la session" not in html
    response = client.post(f"/pilotage/hotline/relances/{mine.pk}/faite/", {"next": "/pilotage/hotline/relances/"})
    assert response.status_code == 302 and response["Location"] == "/pilotage/hotline/relances/"
    mine.refresh_from_db()
    assert mine.follow_up_done_at is not None
    assert "Rappeler pour la session" not in client.get("/pilotage/hotline/relances/").content.decode()
    # Marking twice changes nothing; an outside "next" is ignored.
    response = client.post(f"/pilotage/hotline/relances/{mine.pk}/faite/", {"next": "https://evil.example/"})
    assert response["Location"] == "/pilotage/hotline/relances/"
    assert client.get(f"/pilotage/hotline/relances/{late.pk}/faite/").status_code == 405


@pytest.mark.django_db
def test_queue_handle_turns_a_call_back_request_into_a_logged_call(client_for, hotline_agent, candidate):
    request = CallbackRequest.objects.create(name="Hélène Dupont", email="helene@example.org", topic="relocation",
                                             message="Je cherche un logement.")
    client = client_for(hotline_agent)
    queue = client.get("/pilotage/hotline/rappels/").content.decode()
    assert "Je cherche un logement." in queue and f"?callback={request.pk}" in queue
    page = client.get(CALL_URL, {"callback": request.pk}).content.decode()
    assert f"candidate={candidate.public_id}" in page  # suggested from the same e-mail
    response = client.post(f"{CALL_URL}?callback={request.pk}&candidate={candidate.public_id}",
                           _call_data(direction="out", topic="relocation", summary="Rappelée, logement à Albi."))
    assert response.status_code == 302
    request.refresh_from_db()
    call = HotlineCall.objects.get()
    assert (request.call, request.handled_by, request.candidate, call.candidate) == (
        call, hotline_agent, candidate, candidate)
    assert "Je cherche un logement." not in client.get("/pilotage/hotline/rappels/").content.decode()
    # A second agent on the same request is told it is done.
    again = client.get(CALL_URL, {"callback": request.pk})
    assert again.status_code == 302 and again["Location"] == "/pilotage/hotline/rappels/"
    with pytest.raises(services.HotlineError):
        services.call_log(logged_by=hotline_agent, topic="other", summary="x", caller_name="y", callback=request)
    assert HotlineCall.objects.count() == 1


@pytest.mark.django_db
def test_call_page_with_unknown_or_erased_candidate_is_not_found(client_for, hotline_agent):
    erased = factories.CandidateFactory(anonymised_at=timezone.now())
    client = client_for(hotline_agent)
    assert client.get(CALL_URL, {"candidate": erased.public_id}).status_code == 404
    assert client.get(CALL_URL, {"candidate": "not-a-uuid"}).status_code == 404
    assert client.get(CALL_URL, {"callback": "abc"}).status_code == 404
    assert client.get(f"/pilotage/hotline/candidat/{erased.public_id}/").status_code == 404


@pytest.mark.django_db
def test_staff_open_and_update_a_relocation_request(client_for, hotline_agent, coordinator, candidate):
    client = client_for(hotline_agent)
    url = f"/pilotage/hotline/candidat/{candidate.public_id}/installation/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"need_housing": "on", "need_schools": "on", "target_city": "Toulouse",
                                 "target_date": _tomorrow().isoformat(), "notes": "Deux enfants en primaire.",
                                 "owner": coordinator.pk})
    assert response.status_code == 302
    relocation = candidate.relocation_requests.get()
    assert relocation.need_housing and relocation.need_schools and relocation.owner == coordinator
    # A second one while the first is open is refused.
    response = client.post(url, {"need_transport": "on", "target_city": "Albi"})
    assert "déjà en cours" in response.content.decode()
    assert "Toulouse" in client.get("/pilotage/hotline/installations/").content.decode()
    edit = f"/pilotage/hotline/installations/{relocation.pk}/"
    response = client.post(edit, {"status": "done", "target_city": "Toulouse", "notes": "Logement trouvé.",
                                  "owner": coordinator.pk, "need_housing": "on", "need_schools": "on"})
    assert response.status_code == 302
    relocation.refresh_from_db()
    assert relocation.status == "done" and relocation.notes == "Logement trouvé."
    assert client.post(edit, {"status": "lost", "target_city": "Toulouse", "need_housing": "on"}).status_code == 200


@pytest.mark.django_db
def test_relocation_request_needs_a_need_and_a_future_date(client_for, hotline_agent, candidate):
    url = f"/pilotage/hotline/candidat/{candidate.public_id}/installation/"
    client = client_for(hotline_agent)
    assert "Cochez au moins un besoin" in client.post(url, {"target_city": "Albi"}).content.decode()
    past = client.post(url, {"need_housing": "on", "target_city": "Albi", "target_date": "2020-01-01"})
    assert "ne peut pas être dans le passé" in past.content.decode()
    assert not candidate.relocation_requests.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["", "rappels/", "relances/", "relances/en-retard/", "installations/", "candidate"])
def test_every_hotline_tab_bar_shows_the_counts(client_for, hotline_agent, coordinator, candidate, page):
    today = timezone.localdate()
    CallbackRequest.objects.create(name="Hélène Dupont", email="helene@example.org", topic="other", message="?")
    for days_late, owner in ((0, hotline_agent), (0, hotline_agent), (2, coordinator), (3, coordinator),
                             (4, coordinator)):
        HotlineCall.objects.create(candidate=candidate, topic="other", summary="À rappeler", follow_up_owner=owner,
                                   follow_up_due=today - dt.timedelta(days=days_late))
    url = f"/pilotage/hotline/candidat/{candidate.public_id}/" if page == "candidate" else f"/pilotage/hotline/{page}"
    html = client_for(hotline_agent).get(url).content.decode()
    # One call-back waiting; the agent's own follow-ups (two due today); three overdue, the team's.
    assert '<span class="badge bg-danger">1</span>' in html
    assert '<span class="badge bg-secondary">2</span>' in html
    assert '<span class="badge bg-warning text-dark">3</span>' in html
