"""The registration form's details: the e-mail typed in a posting's interest form comes along, the
CV message only when a CV had been chosen, blank choices and lists written for people."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates.models import Candidate
from companies.models import JobFamily
from tests import factories

from .conftest import PDF, registration_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_commit")]

CV_AGAIN = {"fr": "le CV doit être choisi à nouveau", "en": "please choose your CV again"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_registration_after_an_interest_has_the_email_already_filled_in(client, lang):
    posting = factories.JobPostingFactory(title="Développeuse Python")
    sent = client.post(f"/{lang}/offres/{posting.slug}/interet/", {"email": "nina.roux@example.org", "website": ""})
    assert sent.status_code == 302
    form = client.get(f"/{lang}/inscription/?action=job_interest&id={posting.pk}")
    assert 'value="nina.roux@example.org"' in form.content.decode()


def test_the_remembered_email_is_dropped_once_registered(client, reference):
    posting = factories.JobPostingFactory()
    client.post(f"/fr/offres/{posting.slug}/interet/", {"email": "nina.roux@example.org", "website": ""})
    response = client.post("/fr/inscription/", registration_data(reference, email="nina.roux@example.org"))
    assert response.status_code == 302
    assert Candidate.objects.filter(email="nina.roux@example.org").exists()
    assert "nina.roux@example.org" not in client.get("/fr/inscription/").content.decode()


def test_a_plain_visit_to_registration_has_no_email_filled_in(client, reference):
    body = client.get("/fr/inscription/").content.decode()
    assert 'name="email"' in body and 'name="email" value=' not in body


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_cv_message_only_when_a_cv_had_been_chosen(client, reference, lang):
    without_cv = client.post(f"/{lang}/inscription/", registration_data(reference, phone="12"))
    assert without_cv.status_code == 200  # shown again with the error
    assert CV_AGAIN[lang] not in without_cv.content.decode()
    data = registration_data(reference, phone="12")
    data["cv"] = SimpleUploadedFile("cv.pdf", PDF, "application/pdf")
    with_cv = client.post(f"/{lang}/inscription/", data)
    assert with_cv.status_code == 200
    assert CV_AGAIN[lang] in with_cv.content.decode()


@pytest.mark.parametrize(("lang", "blank"), [("fr", "Choisir…"), ("en", "Choose…")])
def test_blank_choices_say_what_to_do(client, reference, lang, blank):
    body = client.get(f"/{lang}/inscription/").content.decode()
    assert "---------" not in body
    assert f'<option value="" selected>{blank}</option>' in body
    contact = client.get(f"/{lang}/contact/").content.decode()
    assert "---------" not in contact


def test_job_families_and_skills_sort_with_accents_in_place(client, reference):
    for code, label in (("Z0001", "Santé numérique"), ("Z0002", "Énergie et réseaux"), ("Z0003", "Agriculture")):
        JobFamily.objects.get_or_create(code=code, defaults={"label": label})
    for name in ("Zêta outil", "Éclipse outil", "Delta outil"):
        factories.SkillFactory(name=name, category=reference["skills"][0].category)
    body = client.get("/fr/inscription/").content.decode()
    assert body.index("Agriculture") < body.index("Énergie et réseaux") < body.index("Santé numérique")
    assert body.index("Delta outil") < body.index("Éclipse outil") < body.index("Zêta outil")
