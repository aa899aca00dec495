"""Hostile input on every public form: each field over-long in turn, NUL and non-UTF-8 bytes.

The answer is always the form again with an error in the visitor's language, nothing saved, never a 500.
"""

import dataclasses
import html
from collections.abc import Callable
from urllib.parse import quote_from_bytes

import pytest
from django.contrib import admin
from django.core import mail
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.test import RequestFactory

from candidates.models import Candidate, JobInterest
from candidates.tokens import make_token
from companies.models import JobFamily, Skill
from events import services as event_services
from events.links import make_link_token
from events.models import SurveyResponse
from hotline.models import CallbackRequest, RelocationRequest
from showroom.models import ContactRequest
from tests import factories

pytestmark = pytest.mark.django_db

# The words Django and our forms use for each kind of refusal, per language.
LENGTH = {"fr": "au plus", "en": "at most"}
CHOICE = {"fr": "choix valide", "en": "valid choice"}
PHONE = {"fr": "numéro de téléphone valide", "en": "valid phone number"}
DATE = {"fr": "date valide", "en": "valid date"}
NUL = {"fr": "caractère nul", "en": "Null characters"}
NOT_UTF8 = b"\xff\xfe\xc3(\x80\x80"


@dataclasses.dataclass
class Form:
    url: Callable[[dict, str], str]  # (world, lang) → the page's path
    valid: Callable[[dict], dict]  # world → a submission that would be accepted
    fields: dict[str, tuple[dict, int | None]]  # field → (expected error words, column length or None)
    saved: Callable[[dict], object]  # world → something that changes when the form is saved
    signed_in: bool = False


def _email(length: int) -> str:
    domain = "@example.org"
    return "a" * (length - len(domain)) + domain


def _column(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


def _registration(world):
    return {
        "email": "camille.durand@example.org", "first_name": "Camille", "last_name": "Durand",
        "phone": "06 12 34 56 78", "postcode": "31000", "city": "Toulouse", "profile": "retraining",
        "education": "bac3", "experience": "none", "desired_job_families": [world["family"].pk],
        "skills": [world["skill"].pk], "contract_wanted": "cdi", "available_from": "2027-01-15",
        "gender": "undisclosed", "consent_processing": "on", "website": "",
    }


def _profile(world):
    data = _registration(world)
    for name in ("email", "consent_processing", "website"):
        data.pop(name)
    return data


def _candidate_row(world):
    world["candidate"].refresh_from_db()
    return tuple(getattr(world["candidate"], f) for f in ("first_name", "last_name", "phone", "postcode", "city",
                                                          "profile", "education", "available_from"))


PROFILE_FIELDS = {
    "first_name": (LENGTH, _column(Candidate, "first_name")),
    "last_name": (LENGTH, _column(Candidate, "last_name")),
    "phone": (PHONE, None),
    "postcode": (LENGTH, _column(Candidate, "postcode")),
    "city": (LENGTH, _column(Candidate, "city")),
    "profile": (CHOICE, None),
    "education": (CHOICE, None),
    "experience": (CHOICE, None),
    "contract_wanted": (CHOICE, None),
    "gender": (CHOICE, None),
    "available_from": (DATE, None),
}

PUBLIC_FORMS = {
    "registration": Form(
        url=lambda w, lang: f"/{lang}/inscription/",
        valid=_registration,
        fields={"email": (LENGTH, _column(Candidate, "email")), **PROFILE_FIELDS},
        saved=lambda w: (Candidate.objects.count(), len(mail.outbox)),
    ),
    "space link": Form(
        url=lambda w, lang: f"/{lang}/mon-espace/",
        valid=lambda w: {"email": w["candidate"].email, "website": ""},
        fields={"email": (LENGTH, _column(Candidate, "email"))},
        saved=lambda w: len(mail.outbox),
    ),
    "space profile": Form(
        url=lambda w, lang: f"/{lang}/mon-espace/profil/",
        valid=_profile,
        fields=PROFILE_FIELDS,
        saved=_candidate_row,
        signed_in=True,
    ),
    "call-back request": Form(
        url=lambda w, lang: f"/{lang}/contact/",
        valid=lambda w: {"name": "Camille Durand", "phone": "06 12 34 56 78", "email": "camille@example.org",
                         "preferred_time": "morning", "topic": "registration", "message": "Rappelez-moi.",
                         "website": ""},
        fields={
            "name": (LENGTH, _column(CallbackRequest, "name")),
            "phone": (PHONE, None),
            "email": (LENGTH, _column(CallbackRequest, "email")),
            "preferred_time": (CHOICE, None),
            "topic": (CHOICE, None),
            "message": (LENGTH, None),
        },
        saved=lambda w: CallbackRequest.objects.count(),
    ),
    "relocation request": Form(
        url=lambda w, lang: f"/{lang}/contact/installation/",
        valid=lambda w: {"need_housing": "on", "need_other": "Crèche", "target_city": "Montpellier",
                         "message": "Avec ma famille.", "website": ""},
        fields={
            "need_other": (LENGTH, _column(RelocationRequest, "need_other")),
            "target_city": (LENGTH, _column(RelocationRequest, "target_city")),
            "target_date": (DATE, None),
            "message": (LENGTH, None),
        },
        saved=lambda w: RelocationRequest.objects.count(),
        signed_in=True,
    ),
    "showroom contact": Form(
        url=lambda w, lang: f"/{lang}/showroom/{w['use_case'].slug}/contact/",
        valid=lambda w: {"name": "Ann Lee", "email": "ann@ubiik.example", "organisation": "Ubiik", "country": "TW",
                         "message": "We would like to meet the companies behind this project.", "website": ""},
        fields={
            "name": (LENGTH, _column(ContactRequest, "name")),
            "email": (LENGTH, _column(ContactRequest, "email")),
            "organisation": (LENGTH, _column(ContactRequest, "organisation")),
            "country": (CHOICE, None),
            "message": (LENGTH, None),
        },
        saved=lambda w: ContactRequest.objects.count(),
    ),
    "job interest": Form(
        url=lambda w, lang: f"/{lang}/offres/{w['posting'].slug}/interet/",
        valid=lambda w: {"email": w["candidate"].email, "website": ""},
        fields={"email": (LENGTH, _column(Candidate, "email"))},
        saved=lambda w: (JobInterest.objects.count(), len(mail.outbox)),
    ),
    "session booking": Form(
        url=lambda w, lang: f"/{lang}/sessions/{w['session'].pk}/reserver/",
        valid=lambda w: {"email": w["candidate"].email, "website": ""},
        fields={"email": (LENGTH, _column(Candidate, "email"))},
        saved=lambda w: len(mail.outbox),
    ),
    "session survey": Form(
        url=lambda w, lang: f"/{lang}/sessions/avis/{w['survey_token']}/",
        valid=lambda w: {"rating": "4", "useful": "on", "comment": "Très utile."},
        fields={"rating": (CHOICE, None), "comment": (LENGTH, None)},
        saved=lambda w: SurveyResponse.objects.count(),
    ),
}

CASES = [(name, field) for name, form in PUBLIC_FORMS.items() for field in form.fields]


@pytest.fixture
def world(db):
    skill = factories.SkillFactory(name="Python", slug="python", category=Skill.Category.LANGUAGE)
    family = JobFamily.objects.get_or_create(code="M1805", defaults={"label": "Études et développement"})[0]
    candidate = factories.CandidateFactory(email="known@example.org")
    session = factories.SessionFactory(is_published=True)
    attended = factories.CandidateFactory()
    registration = event_services.registration_book(session=session, candidate=attended)
    event_services.registration_check_in(registration=registration)
    return {
        "skill": skill, "family": family, "candidate": candidate, "session": session,
        "posting": factories.JobPostingFactory(), "use_case": factories.UseCaseFactory(),
        "survey_token": make_link_token(purpose="survey", registration_id=registration.pk),
    }


def _sign_in(client, candidate, lang: str) -> None:
    token = make_token(candidate_public_id=str(candidate.public_id), purpose="space")
    url = f"/{lang}/mon-espace/lien/{token}/"
    response = client.get(url)
    if response.status_code == 200:  # a page asking to press a button first (mail scanners open links)
        response = client.post(url)
    assert response.status_code == 302


def _overlong(field: str, form: Form, world: dict, column: int | None) -> str:
    if column is None:
        column = _form_limit(form, field, world) or 4000
    return _email(column + 1) if field == "email" else "x" * (column + 1)


def _form_limit(form: Form, field: str, world: dict) -> int | None:
    # Fields with no column of their own (text columns, choices): the form's own limit, when it has one.
    from events.forms import SurveyForm
    from hotline.forms import CallbackRequestForm, RelocationSpaceForm
    from showroom.forms import ContactRequestForm

    classes = {"call-back request": CallbackRequestForm, "relocation request": RelocationSpaceForm,
               "showroom contact": ContactRequestForm, "session survey": SurveyForm}
    for name, cls in classes.items():
        if PUBLIC_FORMS[name] is form:
            return getattr(cls().fields[field], "max_length", None)
    return None


def test_every_public_form_field_is_exercised():
    # A field added to a public form without a line here would escape the hostile tests below.
    from candidates.forms import LinkRequestForm, ProfileForm, RegistrationForm
    from companies.forms import InterestForm
    from events.forms import BookingForm, SurveyForm
    from hotline.forms import CallbackRequestForm, RelocationSpaceForm
    from showroom.forms import ContactRequestForm

    # Not typed by people: the honeypot, the hidden pending action, checkboxes and multiple choices.
    untyped = {"website", "action", "action_id", "cv", "consent_processing", "consent_shown", "consent_matched",
               "skills",
               "desired_job_families", "mobility_toulouse", "mobility_montpellier", "mobility_occitanie",
               "mobility_remote", "need_housing", "need_partner_job", "need_schools", "need_transport", "useful"}
    forms = {"registration": RegistrationForm, "space link": LinkRequestForm, "space profile": ProfileForm,
             "call-back request": CallbackRequestForm, "relocation request": RelocationSpaceForm,
             "showroom contact": ContactRequestForm, "job interest": InterestForm, "session booking": BookingForm,
             "session survey": SurveyForm}
    for name, cls in forms.items():
        assert set(cls.base_fields) - untyped == set(PUBLIC_FORMS[name].fields), name


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("form_name", "field"), CASES)
def test_an_overlong_value_is_refused_in_the_visitors_language_and_nothing_is_saved(
        client, world, django_capture_on_commit_callbacks, form_name, field, lang):
    form = PUBLIC_FORMS[form_name]
    words, column = form.fields[field]
    if form.signed_in:
        _sign_in(client, world["candidate"], lang)
    before = form.saved(world)
    data = {**form.valid(world), field: _overlong(field, form, world, column)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form.url(world, lang), data)
    assert response.status_code in (200, 400), response.status_code
    errors = response.context["form"].errors
    assert field in errors, errors
    message = " ".join(errors[field])
    assert words[lang] in message, message
    page = html.unescape(response.content.decode())
    assert all(error in page for error in errors[field]), errors[field]
    assert form.saved(world) == before


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("form_name", ["call-back request", "showroom contact"])
def test_the_312_character_email_of_the_report_is_refused(client, world, form_name, lang):
    form = PUBLIC_FORMS[form_name]
    response = client.post(form.url(world, lang), {**form.valid(world), "email": _email(312)})
    assert response.status_code in (200, 400)
    assert LENGTH[lang] in " ".join(response.context["form"].errors["email"])
    assert form.saved(world) == 0


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("form_name", "field"), [(n, f) for n, f in CASES if PUBLIC_FORMS[n].fields[f][0] is LENGTH])
def test_a_nul_byte_is_refused_in_the_visitors_language(client, world, form_name, field, lang):
    form = PUBLIC_FORMS[form_name]
    if form.signed_in:
        _sign_in(client, world["candidate"], lang)
    before = form.saved(world)
    value = "ann\x00@example.org" if field == "email" else "Mont\x00pellier"
    response = client.post(form.url(world, lang), {**form.valid(world), field: value})
    assert response.status_code in (200, 400)
    message = " ".join(response.context["form"].errors[field])
    assert NUL[lang] in message or (field == "email" and message), message
    assert form.saved(world) == before


@pytest.mark.parametrize("form_name", list(PUBLIC_FORMS))
def test_bytes_that_are_not_utf8_never_crash_a_form(client, world, form_name):
    form = PUBLIC_FORMS[form_name]
    if form.signed_in:
        _sign_in(client, world["candidate"], "fr")
    garbage = quote_from_bytes(NOT_UTF8)
    body = "&".join(f"{k}={garbage}" if not isinstance(v, list) else "&".join(f"{k}={item}" for item in v)
                    for k, v in form.valid(world).items())
    response = client.post(form.url(world, "fr"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 302, 400)


# Typed with spaces and compacted by the form; the model's own length check still runs (a form error).
NORMALISED_BY_THE_FORM = {("Company", "siret")}


def test_staff_model_forms_never_accept_more_than_the_column_holds():
    # The admin's forms, overridden fields included (a URLField declared by hand has no limit of its own).
    request = RequestFactory().get("/admin/")
    request.user = factories.UserFactory(is_superuser=True, is_staff=True)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
            continue  # read-only pages (history): nothing is written through them
        form_class = model_admin.get_form(request)
        for name, form_field in form_class.base_fields.items():
            try:
                column = model._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field (password, local date…)
                continue
            if (model.__name__, name) in NORMALISED_BY_THE_FORM:
                continue
            if isinstance(column, models.CharField) and column.max_length and not column.choices:
                limit = getattr(form_field, "max_length", None)
                assert limit is not None and limit <= column.max_length, f"{model.__name__}.{name}"
                checked += 1
    assert checked > 50


def _staff_plain_forms():
    from events.forms import WalkInForm
    from hotline.forms import CallForm, NewCandidateForm, RelocationStaffForm, RelocationUpdateForm
    from hotline.models import HotlineCall

    return [
        (CallForm, "caller_name", HotlineCall), (CallForm, "caller_contact", HotlineCall),
        (NewCandidateForm, "first_name", Candidate), (NewCandidateForm, "last_name", Candidate),
        (NewCandidateForm, "email", Candidate), (RelocationStaffForm, "target_city", RelocationRequest),
        (RelocationStaffForm, "need_other", RelocationRequest),
        (RelocationUpdateForm, "target_city", RelocationRequest),
        (WalkInForm, "first_name", Candidate), (WalkInForm, "last_name", Candidate), (WalkInForm, "email", Candidate),
    ]


def test_staff_desk_forms_take_their_limits_from_the_columns():
    for form_class, field, model in _staff_plain_forms():
        assert form_class.base_fields[field].max_length == _column(model, field), f"{form_class.__name__}.{field}"
