import importlib

import pytest

from tescforce.honeypot import HONEYPOT_FIELD, HoneypotMixin

PUBLIC_FORMS = {
    "candidates.forms": ("RegistrationForm", "LinkRequestForm"),
    "companies.forms": ("InterestForm",),
    "events.forms": ("BookingForm",),
    "hotline.forms": ("CallbackRequestForm", "RelocationSpaceForm"),
    "showroom.forms": ("ContactRequestForm",),
}


def public_forms():
    return [getattr(importlib.import_module(module), name) for module, names in PUBLIC_FORMS.items()
            for name in names]


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", public_forms(), ids=lambda form: form.__name__)
def test_each_public_form_has_the_one_honeypot_last(form_class):
    assert issubclass(form_class, HoneypotMixin)
    form = form_class()
    # No real field of the same name shadows it, and it comes after what people fill in.
    assert form_class.base_fields[HONEYPOT_FIELD] is HoneypotMixin.base_fields[HONEYPOT_FIELD]
    assert list(form.fields)[-1] == HONEYPOT_FIELD
    assert form.fields[HONEYPOT_FIELD].widget.attrs["tabindex"] == "-1"


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", public_forms(), ids=lambda form: form.__name__)
def test_a_filled_honeypot_is_spam_even_when_the_rest_is_invalid(form_class):
    assert form_class(data={HONEYPOT_FIELD: "http://spam.example"}).is_spam()
    assert not form_class(data={HONEYPOT_FIELD: ""}).is_spam()
