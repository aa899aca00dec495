import json

import pytest
from django.utils import timezone

from hotline.models import CallbackRequest, HotlineCall, RelocationRequest
from hotline.selectors import candidate_search
from hotline.services import hotline_erase, hotline_export


@pytest.fixture
def history(candidate, hotline_agent):
    call = HotlineCall.objects.create(candidate=candidate, topic="relocation", summary="Parle de son déménagement.",
                                      follow_up_due=timezone.localdate(), follow_up_owner=hotline_agent)
    CallbackRequest.objects.create(name="Hélène D.", email="helene@example.org", topic="relocation",
                                   message="Rappelez-moi le matin.", handled_at=timezone.now(), call=call,
                                   candidate=candidate)
    CallbackRequest.objects.create(name="Hélène", phone="+33612345678", topic="other", message="Pas encore liée.")
    RelocationRequest.objects.create(candidate=candidate, target_city="Albi", need_housing=True,
                                     notes="Cherche un T3.", message="Avec mon chat.")
    return call


@pytest.mark.django_db
def test_export_includes_calls_requests_and_their_notes(candidate, history):
    data = hotline_export(candidate)
    json.dumps(data)  # ready for the JSON export
    assert data["calls"][0]["summary"] == "Parle de son déménagement."
    assert data["callback_requests"][0]["message"] == "Rappelez-moi le matin."
    assert data["relocation_requests"][0]["notes"] == "Cherche un T3."
    assert data["relocation_requests"][0]["needs"]["housing"] is True


@pytest.mark.django_db
def test_erasure_removes_free_text_and_call_backs_but_keeps_countable_facts(candidate, history, hotline_agent):
    other = CallbackRequest.objects.create(name="Quelqu'un d'autre", email="autre@example.org", topic="other")
    before_known = HotlineCall.objects.create(caller_name="Hélène ?", caller_contact="06.12.34.56.78", topic="other",
                                              summary="A appelé avant de s'inscrire.")
    stranger = HotlineCall.objects.create(caller_name="Paul", caller_contact="paul@example.org", topic="other",
                                          summary="Autre personne.")
    hotline_erase(candidate)
    call = HotlineCall.objects.get(pk=history.pk)
    assert (call.summary, call.topic, call.candidate) == ("", "relocation", candidate)
    assert call.follow_up_done_at is not None
    before_known.refresh_from_db()
    assert (before_known.summary, before_known.caller_name, before_known.caller_contact) == ("", "", "")
    stranger.refresh_from_db()
    assert stranger.summary == "Autre personne."
    assert list(CallbackRequest.objects.all()) == [other]
    relocation = RelocationRequest.objects.get()
    assert (relocation.notes, relocation.message, relocation.status, relocation.target_city) == (
        "", "", "cancelled", "Albi")
    exported = hotline_export(candidate)
    assert exported["callback_requests"] == [] and exported["calls"][0]["summary"] == ""


@pytest.mark.django_db
def test_anonymised_candidates_are_never_found(candidate):
    assert list(candidate_search(query="helene")) == [candidate]
    candidate.anonymised_at = timezone.now()
    candidate.save()
    assert list(candidate_search(query="helene")) == []
