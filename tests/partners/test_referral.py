"""A partner refers a person; the person confirms, completes and consents themselves; duplicates are asked."""

import datetime as dt

import pytest
from django.utils import timezone

from candidates import services as candidate_services
from candidates.models import Candidate, Consent, Erasure
from partners import services
from partners.models import Referral
from tests import factories

from .conftest import link_in, path_of, referral_data, service_data

pytestmark = pytest.mark.django_db


def refer(client, member, **overrides):
    client.force_login(member.user)
    return client.post("/fr/partenaires/orientations/nouvelle/", referral_data(**overrides), follow=True)


def test_a_referral_creates_no_candidate_and_mails_the_person_in_their_language(client, member_a, outbox):
    response = refer(client, member_a, language="en", consent_processing="on", consent_shown="on")

    referral = Referral.objects.get()
    assert referral.partner == member_a.partner and referral.created_by == member_a.user
    assert referral.match == Referral.Match.NEW and referral.linked_at is None
    # Nothing reaches recruiters, nor matching: there is no candidate record until the person answers.
    assert not Candidate.objects.exists() and not Consent.objects.exists()
    assert "reçoit un e-mail pour confirmer elle-même" in response.content.decode()
    (message,) = outbox
    assert message.to == ["ines.benali@example.org"]
    assert message.subject == "France Travail Toulouse Compans refers you to Tesc Force: confirm your registration"
    assert message.message()["Content-Language"] == "en"
    assert "/en/orientation/" in link_in(message)


def test_the_person_completes_and_consents_and_is_confirmed(client, member_a, outbox):
    refer(client, member_a)
    client.logout()
    link = path_of(link_in(outbox[0]))
    page = client.get(link)
    assert page.status_code == 200
    assert "France Travail Toulouse Compans vous a orienté·e" in page.content.decode()
    assert 'value="Inès"' in page.content.decode()  # what the partner typed, to check

    refused = client.post(link, {"first_name": "Inès", "last_name": "Benali", "phone": "06 12 34 56 70",
                                 "postcode": "31200", "city": "Toulouse", "profile": "retraining",
                                 "experience": "none", "contract_wanted": "any"})
    assert refused.status_code == 200 and "Votre accord est nécessaire" in refused.content.decode()
    assert not Candidate.objects.exists()

    done = client.post(link, {"first_name": "Inès", "last_name": "Benali", "phone": "06 12 34 56 70",
                              "postcode": "31200", "city": "Toulouse", "profile": "retraining", "experience": "none",
                              "contract_wanted": "any", "consent_processing": "on", "consent_share": "on"})
    assert "Votre inscription est confirmée" in done.content.decode()
    candidate = Candidate.objects.get()
    assert candidate.email == "ines.benali@example.org" and candidate.is_confirmed
    assert candidate.utm_source == "partenaire"
    assert set(candidate.consents.values_list("kind", "channel")) == {(Consent.Kind.PROCESSING, "web")}
    referral = Referral.objects.get()
    assert referral.candidate == candidate and referral.linked_at and referral.shares_progress
    assert referral.consent_wording_version
    # Signed in to Mon espace at once, which names the partner and offers to stop sharing.
    space = client.get("/fr/mon-espace/accueil/").content.decode()
    assert "France Travail Toulouse Compans" in space and "Arrêter le partage" in space
    # The link answered once; a second opening changes nothing.
    assert client.get(link).status_code == 400
    # Mon espace: the person stops sharing; another person's referral is not theirs to change.
    other = Referral.objects.create(partner=referral.partner, first_name="X", last_name="Y", email="x@example.org",
                                    profile="retraining", candidate=factories.CandidateFactory(),
                                    linked_at=timezone.now(), share_progress=True)
    assert client.post(f"/fr/mon-espace/partenaires/{other.pk}/arreter-le-partage/").status_code == 404
    client.post(f"/fr/mon-espace/partenaires/{referral.pk}/arreter-le-partage/")
    referral.refresh_from_db()
    other.refresh_from_db()
    assert not referral.shares_progress and referral.consent_withdrawn_at and other.shares_progress


def test_the_person_may_decline_and_what_was_typed_goes(client, member_a, outbox):
    refer(client, member_a)
    client.logout()
    response = client.post(path_of(link_in(outbox[0])), {"decline": "1"})
    assert "L'orientation est effacée" in response.content.decode()
    referral = Referral.objects.get()
    assert referral.declined_at and referral.first_name == "" and referral.email == "" and referral.note == ""
    assert not Candidate.objects.exists()


def test_a_tampered_link_is_refused(client):
    assert client.get("/fr/orientation/nimportequoi/").status_code == 400


def test_a_partner_cannot_consent_for_the_person(client, member_a, outbox):
    refer(client, member_a, consent_processing="on", consent_shown="on", consent_matched="on", consent_share="on")
    referral = Referral.objects.get()
    assert not referral.share_progress and referral.linked_at is None and not Consent.objects.exists()


def test_a_known_address_is_not_revealed_and_the_person_is_asked(client, member_a, outbox):
    known = factories.CandidateFactory(first_name="Salomé", last_name="Vidal", email="Ines.Benali@Example.org",
                                       phone="")
    response = refer(client, member_a)
    page = response.content.decode()
    assert "Cette personne est peut-être déjà inscrite" in page
    assert "Salomé" not in page and "Vidal" not in page
    referral = Referral.objects.get()
    assert referral.match == Referral.Match.EXISTING and referral.candidate == known and referral.linked_at is None
    # Nothing about the existing person in the partner's pages either.
    detail = client.get(f"/fr/partenaires/orientations/{referral.pk}/").content.decode()
    assert "Salomé" not in detail and "Vidal" not in detail
    assert "Orienté·e, en attente de sa réponse" in detail
    (message,) = outbox
    assert message.to == [known.email]
    assert "votre accord est demandé" in message.subject

    client.logout()
    link = path_of(link_in(message))
    assert "Rattacher cette orientation à votre inscription ?" in client.get(link).content.decode()
    client.post(link, {"accept": "1"})
    referral.refresh_from_db()
    assert referral.linked_at and referral.candidate == known and not referral.share_progress
    assert Candidate.objects.count() == 1  # never a second record, never merged silently


def test_a_known_phone_asks_the_registered_address_not_the_one_typed(client, member_a, outbox):
    known = factories.CandidateFactory(email="vrai@example.org", phone="+33611223344")
    refer(client, member_a, email="autre@example.org", phone="06 11 22 33 44")
    referral = Referral.objects.get()
    assert referral.match == Referral.Match.EXISTING and referral.candidate == known
    assert outbox[0].to == ["vrai@example.org"]


def test_the_same_organisation_referring_twice_makes_one_referral(client, member_a, outbox):
    refer(client, member_a)
    response = refer(client, member_a, email="INES.benali@example.org")
    assert Referral.objects.count() == 1 and len(outbox) == 1
    assert "Cette personne est peut-être déjà inscrite" in response.content.decode()


def test_two_organisations_referring_before_an_answer_ask_the_person_once_registered(client, member_a, member_b,
                                                                                      outbox):
    refer(client, member_a)
    refer(client, member_b, email="ines.benali@example.org", first_name="Ines")
    first, second = Referral.objects.order_by("pk")
    assert second.match == Referral.Match.EXISTING and second.duplicate_of == first
    assert outbox[1].to == ["ines.benali@example.org"]
    client.logout()
    client.post(path_of(link_in(outbox[0])), {
        "first_name": "Inès", "last_name": "Benali", "phone": "0612345670", "postcode": "31200", "city": "Toulouse",
        "profile": "retraining", "experience": "none", "contract_wanted": "any", "consent_processing": "on"})
    # The second organisation's link now asks to link to the registration just made.
    link = path_of(link_in(outbox[1]))
    assert "Rattacher cette orientation" in client.get(link).content.decode()
    client.post(link, {"accept": "1", "consent_share": "on"})
    second.refresh_from_db()
    assert second.candidate == Candidate.objects.get() and second.shares_progress


def test_linking_confirms_an_unconfirmed_registration_of_the_same_address(member_a, outbox):
    known = factories.CandidateFactory(email="lea@example.org", phone="", confirmed_at=None)
    referral, maybe_known = services.referral_create(member=member_a, data=service_data(email="lea@example.org"))
    assert maybe_known
    services.referral_link(referral=referral, share=True)
    known.refresh_from_db()
    assert known.is_confirmed


def test_a_disabled_member_cannot_refer(member_a):
    services.member_disable(member=member_a)
    with pytest.raises(services.PartnerError):
        services.referral_create(member=member_a, data=service_data())
    assert not Referral.objects.exists()


def test_bad_input_is_refused_in_the_partners_language_and_saves_nothing(client, member_a, outbox):
    client.force_login(member_a.user)
    response = client.post("/en/partenaires/orientations/nouvelle/",
                           referral_data(email="pas-une-adresse", phone="12", postcode="ABCDEFGHIJKL",
                                         proposed_session="999999"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a valid email address" in page and "valid phone number" in page
    assert not Referral.objects.exists() and not outbox


def test_a_past_session_cannot_be_proposed(member_a):
    past = factories.SessionFactory(starts_at=timezone.now() - dt.timedelta(days=3),
                                    ends_at=timezone.now() - dt.timedelta(days=3, hours=-2))
    with pytest.raises(services.PartnerError):
        services.referral_create(member=member_a, data=service_data(proposed_session=past))


def test_an_unanswered_referral_is_purged_like_an_unconfirmed_sign_up(member_a):
    referral, _known = services.referral_create(member=member_a, data=service_data())
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    fresh, _known = services.referral_create(member=member_a, data=service_data(email="autre@example.org"))

    assert services.referrals_purge_unanswered() == 1
    referral.refresh_from_db()
    fresh.refresh_from_db()
    assert referral.erased_at and referral.first_name == "" and referral.email == "" and referral.note == ""
    assert fresh.erased_at is None and fresh.first_name == "Inès"


def test_erasing_the_candidate_blanks_the_referrals_and_the_export_lists_them(member_a, member_b):
    candidate = factories.CandidateFactory(email="ines.benali@example.org", phone="")
    referral, _known = services.referral_create(member=member_a, data=service_data())
    services.referral_link(referral=referral, share=True)
    # An unanswered referral from another organisation, found by the address.
    other, _known = services.referral_create(member=member_b, data=service_data())

    export = candidate_services.records.export_parts(candidate)
    assert export["referred_by"][0]["organisation"] == "France Travail Toulouse Compans"
    assert export["referred_by"][0]["shares_progress_with_organisation"] is True
    assert "note" not in str(export["referred_by"]).lower()  # the partner's note is the team's only

    candidate_services.candidate_erase(candidate=candidate, reason=Erasure.Reason.REQUEST)
    for row in (referral, other):
        row.refresh_from_db()
        assert row.erased_at and row.first_name == "" and row.email == "" and row.note == ""
        assert not row.skills.exists()
