import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates import services
from candidates.models import Campaign, Candidate, JobInterest, Orientation, Qualification, StageChange
from candidates.resources import CandidateResource, RecruiterCandidateResource
from tests import factories
from tests.admin_pages import assert_refused

from .conftest import PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_commit", "french")]

URL = "/admin/candidates/candidate/"
Stage = Candidate.Stage


def _export_data(resource, fmt="0", **extra):
    data = {"format": fmt, "resource": "0", **extra}
    for field in resource().get_export_order():
        data[f"{resource.__name__.lower()}_{field}"] = "on"
    return data


def _csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.fixture
def oriented_a(coordinator, company_a):
    """A consenting candidate oriented to company A, with a CV."""
    person = factories.CandidateFactory(first_name="Agathe", last_name="Visible", email="agathe@example.org",
                                        shown_to_recruiters=True, gender="female")
    person.cv.save("cv.pdf", ContentFile(PDF))
    services.candidate_qualify(candidate=person, level="ready", motivation=5, notes="Note interne",
                               by=coordinator)
    services.orientation_create(candidate=person, company=company_a, by=coordinator)
    return person


@pytest.fixture
def oriented_b(coordinator, company_b):
    person = factories.CandidateFactory(first_name="Bruno", last_name="Ailleurs", email="bruno@example.org",
                                        shown_to_recruiters=True)
    person.cv.save("cv.pdf", ContentFile(PDF))
    services.candidate_qualify(candidate=person, level="ready", motivation=5, by=coordinator)
    services.orientation_create(candidate=person, company=company_b, by=coordinator)
    return person


@pytest.fixture
def withdrawn_consent_a(coordinator, company_a):
    """Oriented to company A, then withdrew the consent to be shown."""
    person = factories.CandidateFactory(first_name="Chloé", last_name="Discrète", email="chloe@example.org",
                                        shown_to_recruiters=True)
    services.candidate_qualify(candidate=person, level="ready", motivation=5, by=coordinator)
    services.orientation_create(candidate=person, company=company_a, by=coordinator)
    services.consent_withdraw(candidate=person, kind="shown")
    return person


# --- coordinators ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "", "?stage__exact=qualified", "?profile__exact=retraining", "?from_other_region__exact=1", "?confirmed=yes",
    "?confirmed=no", "?shown_to_recruiters__exact=1", "?anonymised=no", "?source_campaign__id__exact=1",
    "?created_at__year=2026", "?q=Dupont", "?o=3",
])
def test_coordinator_changelist_filters_and_searches(client_for, coordinator, candidate, query):
    response = client_for(coordinator).get(URL + query)
    assert response.status_code == 200


@pytest.mark.parametrize("term", ["+33 6 12 34 56 78", "0612345678", "06.12.34.56.78", "helene@EXAMPLE.org",
                                  "dupont", "Helene Dup", "HÉLÈNE"])
def test_search_finds_a_candidate_by_name_email_or_phone_in_any_format(client_for, coordinator, candidate, term):
    factories.CandidateFactory(first_name="Autre", last_name="Personne", phone="+33700000000")
    response = client_for(coordinator).get(URL, {"q": term})
    results = list(response.context["cl"].result_list)
    assert results == [candidate]


def test_changelist_queries_do_not_grow_with_rows(client_for, coordinator):
    campaign = Campaign.objects.create(name="Paris", code="paris", city="Paris", channel="display",
                                       starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 2, 1))
    client = client_for(coordinator)
    factories.CandidateFactory(source_campaign=campaign)
    client.get(URL)  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(10):
        factories.CandidateFactory(source_campaign=campaign)
    with CaptureQueriesContext(connection) as more:
        client.get(URL)
    assert len(more) == len(few)


def test_change_page_shows_history_in_time_order_and_inlines(client_for, coordinator, oriented_a):
    response = client_for(coordinator).get(f"{URL}{oriented_a.pk}/change/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "candidate-timeline" in body
    assert body.index("Inscrit·e → Qualifié·e") < body.index("Qualifié·e → Orienté·e")
    assert "Note interne" in body  # the qualification inline
    assert "Alpha Numérique" in body  # the orientation inline
    assert "Télécharger le CV" in body


def test_duplicate_email_in_admin_is_a_field_error(client_for, coordinator, candidate):
    other = factories.CandidateFactory(email="other@example.org")
    data = {"first_name": "X", "last_name": "Y", "email": "HELENE@example.org", "phone": "", "postcode": "",
            "city": "", "profile": "retraining", "education": "", "experience": "none", "contract_wanted": "any",
            "gender": "", "qualification-TOTAL_FORMS": "0", "qualification-INITIAL_FORMS": "0",
            "orientations-TOTAL_FORMS": "0", "orientations-INITIAL_FORMS": "0",
            "consents-TOTAL_FORMS": "0", "consents-INITIAL_FORMS": "0",
            "stage_changes-TOTAL_FORMS": "0", "stage_changes-INITIAL_FORMS": "0"}
    response = client_for(coordinator).post(f"{URL}{other.pk}/change/", data)
    assert response.status_code == 200
    assert "Un·e candidat·e utilise déjà cet e-mail." in response.content.decode()
    other.refresh_from_db()
    assert other.email == "other@example.org"


def test_qualify_action_asks_for_the_form_then_qualifies(client_for, coordinator, candidate):
    client = client_for(coordinator)
    page = client.post(URL, {"action": "qualify_action", ACTION_CHECKBOX_NAME: [candidate.pk]})
    assert page.status_code == 200
    assert "Qualifier les candidat·es" in page.content.decode()
    bad = client.post(URL, {"action": "qualify_action", ACTION_CHECKBOX_NAME: [candidate.pk], "apply": "1",
                            "level": "ready", "motivation": "9"})
    assert bad.status_code == 200
    candidate.refresh_from_db()
    assert candidate.stage == Stage.REGISTERED
    done = client.post(URL, {"action": "qualify_action", ACTION_CHECKBOX_NAME: [candidate.pk], "apply": "1",
                             "level": "short_training", "motivation": "4", "training_needed": "SQL",
                             "notes": "RAS"}, follow=True)
    assert "1 candidat·e(s) qualifié·e(s)." in done.content.decode()
    candidate.refresh_from_db()
    assert candidate.stage == Stage.QUALIFIED
    assert candidate.qualification.training_needed == "SQL"
    assert StageChange.objects.get(candidate=candidate).changed_by == coordinator


def test_orient_action_moves_qualified_and_explains_refusals(client_for, coordinator, company_a):
    ready = factories.CandidateFactory(shown_to_recruiters=True)
    services.candidate_qualify(candidate=ready, level="ready", motivation=3, by=coordinator)
    shy = factories.CandidateFactory(first_name="Timide", last_name="Refus", shown_to_recruiters=False)
    services.candidate_qualify(candidate=shy, level="ready", motivation=3, by=coordinator)
    response = client_for(coordinator).post(URL, {
        "action": "orient_action", ACTION_CHECKBOX_NAME: [ready.pk, shy.pk], "apply": "1",
        "company": company_a.pk, "comment": ""}, follow=True)
    body = response.content.decode()
    assert "1 candidat·e(s) orienté·e(s)." in body
    assert "Timide Refus n&#x27;a pas accepté d&#x27;être présenté·e aux recruteurs." in body
    ready.refresh_from_db()
    assert ready.stage == Stage.ORIENTED
    assert not Orientation.objects.filter(candidate=shy).exists()


def test_withdraw_action_and_refused_transition(client_for, coordinator):
    person = factories.CandidateFactory(first_name="Paul", last_name="Sort")
    hired = factories.CandidateFactory(first_name="Jeanne", last_name="Embauchée", stage=Stage.HIRED)
    response = client_for(coordinator).post(URL, {
        "action": "withdraw_action", ACTION_CHECKBOX_NAME: [person.pk, hired.pk], "apply": "1",
        "comment": "Projet abandonné"}, follow=True)
    body = response.content.decode()
    assert "1 candidat·e(s) sorti·e(s) du dispositif." in body
    assert "Impossible de passer Jeanne Embauchée" in body
    person.refresh_from_db()
    hired.refresh_from_db()
    assert person.stage == Stage.WITHDRAWN and hired.stage == Stage.HIRED
    assert StageChange.objects.get(candidate=person).comment == "Projet abandonné"


def test_erase_action_anonymises(client_for, coordinator, candidate):
    client_for(coordinator).post(URL, {"action": "erase_action", ACTION_CHECKBOX_NAME: [candidate.pk],
                                       "apply": "1"})
    candidate.refresh_from_db()
    assert candidate.anonymised_at is not None and candidate.last_name == ""


def test_coordinator_exports_the_filtered_list_as_csv_and_xlsx(client_for, coordinator, oriented_a, candidate):
    client = client_for(coordinator)
    response = client.post(URL + "export/?stage__exact=oriented", _export_data(CandidateResource))
    assert response.status_code == 200
    rows = _csv_rows(response)
    assert [r["e-mail"] for r in rows] == ["agathe@example.org"]
    assert rows[0]["genre"] == "Femme"
    xlsx = client.post(URL + "export/", _export_data(CandidateResource, fmt="1"))
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    emails = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert emails == {"agathe@example.org", "helene@example.org"}


def test_export_selected_action_shows_the_export_form(client_for, coordinator, candidate):
    response = client_for(coordinator).post(URL, {"action": "export_admin_action",
                                                  ACTION_CHECKBOX_NAME: [candidate.pk]})
    assert response.status_code == 200
    assert "export_items" in response.content.decode()
    # The form sent with the picked row exports that row alone.
    other = factories.CandidateFactory(email="autre.personne@example.org")
    exported = client_for(coordinator).post(URL + "export/", {**_export_data(CandidateResource),
                                                             "export_items": [candidate.pk]})
    assert [r["e-mail"] for r in _csv_rows(exported)] == [candidate.email]
    assert other.email not in exported.content.decode()


def test_hotline_agent_can_search_candidates_and_prospecting_officer_cannot(client_for, hotline_agent,
                                                                            prospecting_officer, candidate):
    assert client_for(hotline_agent).get(URL, {"q": "0612345678"}).status_code == 200
    # Hotline agents fix a record but neither export lists nor take pipeline decisions.
    assert client_for(hotline_agent).post(URL + "export/", _export_data(CandidateResource)).status_code == 403
    client_for(hotline_agent).post(URL, {"action": "erase_action", ACTION_CHECKBOX_NAME: [candidate.pk],
                                         "apply": "1"})
    candidate.refresh_from_db()
    assert candidate.anonymised_at is None
    assert client_for(prospecting_officer).get(URL).status_code == 403
    assert client_for(prospecting_officer).get(f"{URL}{candidate.pk}/cv/").status_code in (403, 404)


# --- recruiters -----------------------------------------------------------------------------------

def test_recruiter_sees_only_consenting_candidates_oriented_to_their_company(
        client_for, recruiter_a, oriented_a, oriented_b, withdrawn_consent_a, candidate):
    response = client_for(recruiter_a).get(URL)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [oriented_a]
    body = response.content.decode()
    assert "Bruno" not in body and "Chloé" not in body and "Hélène" not in body


def test_recruiter_sees_interested_candidates_only_when_confirmed_and_consenting(client_for, recruiter_a,
                                                                                company_a):
    posting = factories.JobPostingFactory(company=company_a)
    shown = factories.CandidateFactory(first_name="Ines", shown_to_recruiters=True)
    hidden = factories.CandidateFactory(first_name="Ulysse", shown_to_recruiters=False)
    for person in (shown, hidden):
        JobInterest.objects.create(candidate=person, posting=posting, confirmed_at=dt.datetime.now(dt.UTC))
    candidates = list(client_for(recruiter_a).get(URL).context["cl"].result_list)
    assert candidates == [shown]
    interests = client_for(recruiter_a).get("/admin/candidates/jobinterest/").context["cl"].result_list
    assert [i.candidate for i in interests] == [shown]


def test_recruiter_cannot_open_another_company_candidate_by_url(client_for, recruiter_a, oriented_b,
                                                                withdrawn_consent_a):
    client = client_for(recruiter_a)
    for person in (oriented_b, withdrawn_consent_a):
        response = client.get(f"{URL}{person.pk}/change/")
        assert response.status_code == 302  # the admin's "does not exist" redirect
        assert person.last_name not in client.get(response["Location"]).content.decode()
        assert client.get(f"{URL}{person.pk}/cv/").status_code == 404
        assert client.get(f"{URL}{person.pk}/history/").status_code in (302, 404)


def test_recruiter_view_is_read_only_without_gender_or_internal_notes(client_for, recruiter_a, oriented_a):
    client = client_for(recruiter_a)
    response = client.get(f"{URL}{oriented_a.pk}/change/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Agathe" in body
    assert "Femme" not in body and "gender" not in body
    assert "Note interne" not in body
    assert 'name="_save"' not in body
    assert "Télécharger le CV" in body
    cv = client.get(f"{URL}{oriented_a.pk}/cv/")
    assert cv.status_code == 200 and cv["X-Content-Type-Options"] == "nosniff"
    post = client.post(f"{URL}{oriented_a.pk}/change/", {"first_name": "Hacked"})
    assert post.status_code == 403
    oriented_a.refresh_from_db()
    assert oriented_a.first_name == "Agathe"


def test_recruiter_export_is_limited_to_their_candidates_and_fields(client_for, recruiter_a, oriented_a,
                                                                    oriented_b, withdrawn_consent_a):
    client = client_for(recruiter_a)
    data = _export_data(RecruiterCandidateResource)
    data["recruitercandidateresource_gender"] = "on"
    response = client.post(URL + "export/", data)
    assert response.status_code == 200
    rows = _csv_rows(response)
    assert [r["e-mail"] for r in rows] == ["agathe@example.org"]
    assert not any("genre" in key.lower() or "gender" in key.lower() for key in rows[0])
    # Ids of candidates they do not see are refused: the form comes back, nothing is exported.
    selected = client.post(URL + "export/", {**data, "export_items": [oriented_b.pk, withdrawn_consent_a.pk]})
    assert selected.status_code == 200 and selected["Content-Type"].startswith("text/html")
    assert oriented_b.email not in selected.content.decode()
    assert withdrawn_consent_a.email not in selected.content.decode()
    # The coordinators' resource is not offered to recruiters.
    other = client.post(URL + "export/", {**_export_data(CandidateResource), "resource": "1"})
    assert other.status_code == 200
    assert "bruno@example.org" not in other.content.decode()


def test_recruiter_cannot_run_pipeline_actions(client_for, recruiter_a, oriented_a):
    client = client_for(recruiter_a)
    client.post(URL, {"action": "withdraw_action", ACTION_CHECKBOX_NAME: [oriented_a.pk], "apply": "1"})
    oriented_a.refresh_from_db()
    assert oriented_a.stage == Stage.ORIENTED


def test_recruiter_moves_their_orientation_and_the_pipeline_follows(client_for, recruiter_a, oriented_a):
    orientation = Orientation.objects.get(candidate=oriented_a)
    response = client_for(recruiter_a).post(f"/admin/candidates/orientation/{orientation.pk}/change/",
                                            {"status": "interview", "outcome": "Entretien mardi"})
    assert response.status_code == 302
    oriented_a.refresh_from_db()
    assert oriented_a.stage == Stage.IN_RECRUITMENT


def test_recruiter_cannot_open_another_company_orientation(client_for, recruiter_a, oriented_b):
    orientation = Orientation.objects.get(candidate=oriented_b)
    response = client_for(recruiter_a).get(f"/admin/candidates/orientation/{orientation.pk}/change/")
    assert response.status_code == 302
    assert client_for(recruiter_a).get("/admin/candidates/campaign/").status_code == 403


# --- campaigns ------------------------------------------------------------------------------------

def test_campaign_figures_count_registrations_cost_and_conversion(client_for, coordinator):
    campaign = Campaign.objects.create(name="Paris", code="paris", city="Paris", channel="display",
                                       starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 2, 1), budget=1000)
    people = [factories.CandidateFactory(source_campaign=campaign, shown_to_recruiters=True) for _ in range(4)]
    factories.CandidateFactory(source_campaign=campaign, confirmed_at=None)  # pending: not a registration
    for person in people[:2]:
        services.candidate_qualify(candidate=person, level="ready", motivation=3, by=coordinator)
    orientation = services.orientation_create(candidate=people[0], company=factories.CompanyFactory(),
                                              by=coordinator)
    services.orientation_set_status(orientation=orientation, status="hired", by=coordinator)
    services.candidate_erase(candidate=people[0])  # erased people still count
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as one_campaign:
        response = client.get("/admin/candidates/campaign/")
    body = response.content.decode()
    assert "250.00 €" in body
    assert "2 (50 %)" in body
    assert "1 (25 %)" in body
    detail = client.get(f"/admin/candidates/campaign/{campaign.pk}/change/")
    assert "/fr/c/paris/" in detail.content.decode()
    # Figures are annotations: more campaigns and candidates, the same number of queries.
    for i in range(5):
        more = Campaign.objects.create(name=f"C{i}", code=f"c{i}", city="Lyon", channel="radio",
                                       starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 2, 1), budget=10)
        factories.CandidateFactory(source_campaign=more)
    with CaptureQueriesContext(connection) as six_campaigns:
        client.get("/admin/candidates/campaign/")
    assert len(six_campaigns) == len(one_campaign)


def test_recruiter_autocomplete_only_offers_their_candidates(client_for, recruiter_a, oriented_a, oriented_b):
    client = client_for(recruiter_a)
    params = {"app_label": "candidates", "model_name": "orientation", "field_name": "candidate"}
    mine = client.get("/admin/autocomplete/", {**params, "term": "Agathe"})
    assert mine.status_code == 200
    assert [r["text"] for r in mine.json()["results"]] == ["Agathe Visible"]
    other = client.get("/admin/autocomplete/", {**params, "term": "Bruno"})
    assert other.status_code in (200, 403)
    if other.status_code == 200:
        assert other.json()["results"] == []


# --- admin writes go through the services ---------------------------------------------------------

def _qualification_post(candidate, **overrides):
    return {"candidate": candidate.pk, "level": "ready", "motivation": "4", "training_needed": "", "notes": "",
            **overrides}


def test_qualification_page_qualifies_through_the_service(client_for, coordinator, candidate):
    response = client_for(coordinator).post("/admin/candidates/qualification/add/", _qualification_post(candidate))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.QUALIFIED
    assert candidate.qualification.qualified_by == coordinator
    assert StageChange.objects.get(candidate=candidate).changed_by == coordinator


def test_qualification_of_an_unconfirmed_candidate_is_refused_on_the_form(client_for, coordinator):
    person = factories.CandidateFactory(confirmed_at=None)
    response = client_for(coordinator).post("/admin/candidates/qualification/add/", _qualification_post(person))
    assert_refused(response, "n'a pas encore confirmé son e-mail")
    assert not Qualification.objects.exists()
    person.refresh_from_db()
    assert person.stage == Stage.REGISTERED


def _candidate_post(candidate, **overrides):
    data = {"first_name": candidate.first_name, "last_name": candidate.last_name, "email": candidate.email,
            "phone": "", "postcode": "", "city": candidate.city, "profile": candidate.profile, "education": "",
            "experience": candidate.experience, "contract_wanted": candidate.contract_wanted, "gender": "",
            "qualification-TOTAL_FORMS": "0", "qualification-INITIAL_FORMS": "0",
            "orientations-TOTAL_FORMS": "0", "orientations-INITIAL_FORMS": "0",
            "consents-TOTAL_FORMS": "0", "consents-INITIAL_FORMS": "0",
            "stage_changes-TOTAL_FORMS": "0", "stage_changes-INITIAL_FORMS": "0"}
    return data | overrides


def test_qualification_inline_of_an_unconfirmed_candidate_refuses_the_whole_save(client_for, coordinator):
    person = factories.CandidateFactory(confirmed_at=None, city="Albi")
    response = client_for(coordinator).post(f"{URL}{person.pk}/change/", _candidate_post(
        person, city="Rodez", **{"qualification-TOTAL_FORMS": "1", "qualification-0-level": "ready",
                                 "qualification-0-motivation": "3", "qualification-0-candidate": person.pk}))
    assert_refused(response, "n'a pas encore confirmé son e-mail")
    person.refresh_from_db()
    assert person.city == "Albi"
    assert not Qualification.objects.exists()


def test_orientation_to_another_company_posting_is_refused_on_the_form(client_for, coordinator, company_a,
                                                                      company_b):
    person = factories.CandidateFactory(shown_to_recruiters=True)
    services.candidate_qualify(candidate=person, level="ready", motivation=5, by=coordinator)
    posting_b = factories.JobPostingFactory(company=company_b)
    response = client_for(coordinator).post("/admin/candidates/orientation/add/", {
        "candidate": person.pk, "company": company_a.pk, "posting": posting_b.pk, "session": "",
        "status": "proposed", "outcome": ""})
    assert_refused(response, "Cette offre appartient à une autre entreprise.")
    assert not Orientation.objects.exists()
    person.refresh_from_db()
    assert person.stage == Stage.QUALIFIED


def test_orientation_page_orients_through_the_service(client_for, coordinator, company_a):
    person = factories.CandidateFactory(shown_to_recruiters=True)
    services.candidate_qualify(candidate=person, level="ready", motivation=5, by=coordinator)
    response = client_for(coordinator).post("/admin/candidates/orientation/add/", {
        "candidate": person.pk, "company": company_a.pk, "posting": "", "session": "", "status": "proposed",
        "outcome": ""})
    assert response.status_code == 302
    assert Orientation.objects.get(candidate=person).created_by == coordinator
    person.refresh_from_db()
    assert person.stage == Stage.ORIENTED
