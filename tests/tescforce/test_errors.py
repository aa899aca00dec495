import importlib

import pytest
from django.core.exceptions import ValidationError

from candidates import pending
from candidates.services import CandidateError, pending_action_run
from companies.services import CompaniesError
from events.services import BookingError
from hotline.services import HotlineError
from prospecting.services import ProspectingError
from showroom.services import ShowroomError
from tescforce.errors import DomainError

ROOMS = ("candidates", "companies", "events", "hotline", "matching", "partners", "alerts", "showroom", "prospecting")


@pytest.mark.parametrize("error", [CandidateError, CompaniesError, BookingError, HotlineError, ProspectingError,
                                   ShowroomError])
def test_each_room_error_is_a_domain_error_with_its_message(error):
    exc = error("Refusé.", field="status")
    assert isinstance(exc, DomainError)
    assert str(exc) == exc.message == "Refusé."
    assert exc.field == "status" and exc.code is None


def test_every_error_class_of_the_rooms_services_derives_from_the_base():
    # A room's error that forgot the base would reach the admin and Mon espace as a crash.
    for room in ROOMS:
        module = importlib.import_module(f"{room}.services")
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, Exception) and value.__module__ == module.__name__:
                assert issubclass(value, DomainError), name


@pytest.mark.django_db
@pytest.mark.parametrize(("raised", "shown"), [
    (HotlineError("Plus de place."), "Plus de place."),
    (ValidationError("Valeur refusée."), "Valeur refusée."),
    (RuntimeError("boom"), "Votre demande n'a pas pu être traitée. Réessayez depuis le site."),
])
def test_a_pending_action_shows_a_refusal_and_hides_a_fault(monkeypatch, candidate, raised, shown):
    def handler(candidate, data):
        raise raised

    monkeypatch.setitem(pending._HANDLERS, "test_action", handler)
    assert pending_action_run(candidate=candidate, action={"name": "test_action", "id": "1"}) == (False, shown)
