import io
from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from showroom import services
from showroom.images import ImageRejected, image_reencode
from showroom.models import ContactRequest
from showroom.tasks import acknowledge_contact_request

from ..mail_backends import FAILING
from .conftest import image_bytes

VALID = {"name": "Ann Lee", "email": "ann@ubiik.example", "organisation": "Ubiik", "country": "TW",
         "message": "We would like to meet the companies behind this project."}


@pytest.mark.django_db
def test_visitor_asks_to_meet_the_companies_and_gets_an_english_acknowledgement(
        client, catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/showroom/jumeau-numerique/contact/", VALID, follow=True)
    assert response.status_code == 200
    assert "your request has been passed on" in response.content.decode()
    request = ContactRequest.objects.get()
    assert (request.use_case, request.country.code, request.language, request.handled) == (
        catalogue["twin"], "TW", "en", False)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ann@ubiik.example"]
    assert "Digital twin of an assembly line" in mail.outbox[0].subject
    assert "Bonjour" not in mail.outbox[0].body


@pytest.mark.django_db
def test_acknowledgement_is_sent_once_whatever_the_retries(client, catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/fr/showroom/jumeau-numerique/contact/", VALID)
    request = ContactRequest.objects.get()
    assert acknowledge_contact_request.apply(args=[request.pk]).get() is False
    assert len(mail.outbox) == 1
    assert "Jumeau numérique" in mail.outbox[0].subject


@pytest.mark.django_db
def test_failed_send_leaves_the_acknowledgement_to_a_retry(catalogue, monkeypatch):
    request = ContactRequest.objects.create(use_case=catalogue["twin"], name="A", email="a@example.org",
                                            organisation="O", message="m")

    monkeypatch.setattr(settings, "EMAIL_BACKEND", FAILING)
    with pytest.raises(SMTPServerDisconnected):
        services.contact_request_acknowledge(contact_request_id=request.pk)
    request.refresh_from_db()
    assert request.acknowledged_at is None
    monkeypatch.undo()
    assert services.contact_request_acknowledge(contact_request_id=request.pk) is True
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_bad_contact_form_shows_errors_in_english(client, catalogue):
    response = client.post("/en/showroom/jumeau-numerique/contact/", {**VALID, "email": "not-an-email",
                                                                       "country": "XX"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "Select a valid choice" in html
    assert ContactRequest.objects.count() == 0


@pytest.mark.django_db
def test_honeypot_quietly_drops_robot_requests(client, catalogue):
    response = client.post("/fr/showroom/jumeau-numerique/contact/", {**VALID, "website": "http://spam"})
    assert response.status_code == 302
    assert ContactRequest.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_contact_requests_are_rate_limited(client, catalogue, settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    for _ in range(5):
        assert client.post("/en/showroom/jumeau-numerique/contact/", VALID).status_code == 302
    response = client.post("/en/showroom/jumeau-numerique/contact/", VALID)
    assert response.status_code == 429
    assert "Try again in an hour" in response.content.decode()
    assert ContactRequest.objects.count() == 5
    cache.clear()


@pytest.mark.django_db
def test_contact_about_a_draft_use_case_is_not_found(client, catalogue):
    assert client.post("/fr/showroom/brouillon/contact/", VALID).status_code == 404


@pytest.mark.django_db
def test_contact_request_becomes_a_prospect_from_the_admin(client_for, prospecting_officer, catalogue):
    client_for(prospecting_officer).post("/en/showroom/jumeau-numerique/contact/", VALID)
    request = ContactRequest.objects.get()
    response = client_for(prospecting_officer).post("/admin/showroom/contactrequest/", {
        "action": "make_prospects", "_selected_action": [request.pk]}, follow=True)
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.handled
    prospect = prospecting_officer.prospects.get()
    assert (prospect.name, prospect.country.code, prospect.stage) == ("Ubiik", "TW", "contacted")
    assert prospect.contacts.get().email == "ann@ubiik.example"


def test_reencoding_strips_metadata_and_bounds_the_size():
    upload = SimpleUploadedFile("photo.jpg", image_bytes(size=(3000, 1000)), content_type="image/jpeg")
    assert b"SecretCameraMaker" in upload.read()
    clean = image_reencode(upload)
    data = clean.read()
    assert b"SecretCameraMaker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1600, 533)
        assert not image.getexif()


def test_reencoding_keeps_png_transparency():
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, format="PNG")
    clean = image_reencode(SimpleUploadedFile("logo.png", buffer.getvalue()))
    assert clean.name == "logo.png"


@pytest.mark.parametrize(("content", "name"), [
    (b"<?php echo 1; ?>", "shell.jpg"),
    (b"GIF89a" + b"\x00" * 20, "animated.gif"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "broken.png"),
])
def test_reencoding_refuses_what_is_not_a_usable_image(content, name):
    with pytest.raises(ImageRejected):
        image_reencode(SimpleUploadedFile(name, content))


def test_reencoding_refuses_files_over_the_size_limit(settings):
    with pytest.raises(ImageRejected):
        image_reencode(SimpleUploadedFile("big.jpg", image_bytes()), max_bytes=100)


@pytest.mark.django_db
def test_admin_image_upload_is_reencoded(client_for, coordinator, catalogue):
    use_case = catalogue["hospital"]
    response = client_for(coordinator).post("/admin/showroom/usecaseimage/add/", {
        "use_case": use_case.pk, "image": SimpleUploadedFile("a.jpg", image_bytes(), content_type="image/jpeg"),
        "alt_text_fr": "Un lit suivi", "alt_text_en": "A tracked bed", "position": 0})
    assert response.status_code == 302, response.context["adminform"].form.errors
    image = use_case.images.get()
    assert b"SecretCameraMaker" not in image.image.read()
    assert image.alt_text_en == "A tracked bed"


@pytest.mark.django_db
def test_admin_refuses_a_fake_image(client_for, coordinator, catalogue):
    response = client_for(coordinator).post("/admin/showroom/usecaseimage/add/", {
        "use_case": catalogue["hospital"].pk, "image": SimpleUploadedFile("a.jpg", b"not an image"),
        "alt_text_fr": "x", "position": 0})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["image"]


@pytest.mark.django_db
def test_image_uploaded_through_the_use_case_page_is_reencoded(client_for, coordinator, catalogue):
    use_case = catalogue["hospital"]
    client = client_for(coordinator)
    page = client.get(f"/admin/showroom/usecase/{use_case.pk}/change/")
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    data = {k: v for k, v in data.items() if v not in ("", [])}
    data |= {"images-TOTAL_FORMS": 1, "images-INITIAL_FORMS": 0, "images-MIN_NUM_FORMS": 0,
             "images-MAX_NUM_FORMS": 1000, "images-0-alt_text_fr": "Balise", "images-0-alt_text_en": "Beacon",
             "images-0-position": 0,
             "images-0-image": SimpleUploadedFile("b.jpg", image_bytes(size=(2400, 2400)), content_type="image/jpeg")}
    response = client.post(f"/admin/showroom/usecase/{use_case.pk}/change/", data)
    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["inline_admin_formsets"][0].formset] + [
        response.context["adminform"].form.errors]
    image = use_case.images.get()
    with Image.open(image.image.path) as stored:
        assert stored.size == (1600, 1600)
        assert not stored.getexif()


@pytest.mark.django_db
def test_empty_contact_form_lists_the_required_fields(client, catalogue):
    response = client.post("/fr/showroom/jumeau-numerique/contact/", {})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "email", "organisation", "message"}
    assert "Ce champ est obligatoire." in response.content.decode()
