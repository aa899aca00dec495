"""A referral made through the API takes the partner space's own path: the person's e-mail in their language, the
same duplicate checks, nothing said about who is registered; and the API reads the same follow-up as "Mes
orientations", the steps after "confirmed" only for a person who shares their path."""

import pytest

from candidates.models import Candidate, Consent
from partners import services
from partners.models import Referral
from tests import factories

from .conftest import link_in, path_of, referral_data
from .course_rows import skill
from .test_api_partner import REFERRALS, call, person
from .test_follow_up import linked, walk

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.partners.course_fixtures"]


@pytest.fixture(autouse=True)
def _skills(db):
    skill("Python")


@pytest.fixture
def adviser(agency):
    """A member of the organisation that holds the key: the partner space and the API speak for one organisation."""
    return factories.partner_member(agency, username="conseillere-nord", email="conseillere@ft-nord.example")


def refer_in_the_space(client, member, **overrides):
    client.force_login(member.user)
    response = client.post("/fr/partenaires/orientations/nouvelle/", referral_data(**overrides), follow=True)
    client.logout()
    return response


def test_an_api_referral_mails_the_person_in_their_language_and_makes_no_candidate(client, agency, agency_key,
                                                                                   outbox):
    response = call(client, "post", REFERRALS, agency_key, person(language="en", skills=[]))
    assert response.status_code == 201, response.content
    referral = Referral.objects.get()
    assert referral.partner == agency and referral.created_by is None and referral.match == Referral.Match.NEW
    # Nothing reaches recruiters nor matching until the person answers.
    assert not Candidate.objects.exists() and not Consent.objects.exists()
    (message,) = outbox
    assert message.to == ["lina.moreau@example.org"]
    assert message.subject == "France Travail Toulouse Nord refers you to Tesc Force: confirm your registration"
    assert message.message()["Content-Language"] == "en"
    link = path_of(link_in(message))
    assert link.startswith("/en/orientation/")
    # The link opens the same answer page as a referral made in the partner space.
    page = client.get(link)
    assert page.status_code == 200 and "France Travail Toulouse Nord" in page.content.decode()


def test_the_space_then_the_api_referring_one_person_make_one_referral_and_one_email(client, adviser, agency_key,
                                                                                    outbox):
    refer_in_the_space(client, adviser, email="lina.moreau@example.org")
    again = call(client, "post", REFERRALS, agency_key, person(email="Lina.Moreau@example.org"))
    assert again.status_code == 409
    assert Referral.objects.count() == 1 and len(outbox) == 1


def test_a_person_another_organisation_referred_is_asked_at_the_address_already_known(client, member_a, agency_key,
                                                                                       outbox):
    refer_in_the_space(client, member_a, email="ines.benali@example.org", phone="06 12 34 56 70")
    # Another address, the same phone: the duplicate is found as in the partner space.
    made = call(client, "post", REFERRALS, agency_key, person(email="ines.autre@example.org",
                                                              phone="+33612345670")).json()
    first, second = Referral.objects.order_by("pk")
    assert second.match == Referral.Match.EXISTING and second.duplicate_of == first
    assert made["match"] == "existing" and made["status"] == "referred"
    assert outbox[1].to == ["ines.benali@example.org"]
    assert "ines.benali" not in str(made)  # what the other organisation typed never comes back


def test_a_registered_person_is_never_shown_to_the_partner(client, agency_key, member_a, outbox):
    factories.CandidateFactory(email="samia.known@example.org", first_name="Samia", last_name="Haddad",
                               phone="+33611223344")
    registered = call(client, "post", REFERRALS, agency_key, person(email="lina.autre@example.org",
                                                                    phone="06 11 22 33 44"))
    assert registered.status_code == 201
    body = registered.content.decode()
    for known in ("Samia", "Haddad", "samia.known"):
        assert known not in body
    # Written at the address already known, without the name the partner typed.
    (message,) = outbox
    assert message.to == ["samia.known@example.org"] and "Lina" not in message.body
    # A person only referred elsewhere reads the same: the answer does not tell who is registered.
    refer_in_the_space(client, member_a, email="noe.garnier@example.org", first_name="Noé", last_name="Garnier")
    referred = call(client, "post", REFERRALS, agency_key, person(email="noe.garnier@example.org")).json()
    first = registered.json()
    assert set(referred) == set(first)
    assert (referred["match"], referred["status"]) == (first["match"], first["status"]) == ("existing", "referred")


def test_the_api_reads_the_shared_path_like_the_partner_space(client, adviser, agency_key, coordinator):
    referral, candidate = linked(adviser, share=True)
    walk(candidate, coordinator)
    detail = call(client, "get", f"{REFERRALS}{referral.public_id}/", agency_key, lang="en").json()
    assert [step["status"] for step in detail["steps"]] == [
        "referred", "confirmed", "qualified", "booked", "attended", "oriented", "hired"]
    assert detail["status"] == "hired" and detail["status_label"] == "Hired"
    (listed,) = call(client, "get", REFERRALS, agency_key).json()["results"]
    assert listed["status"] == "hired" and listed["steps"] == call(
        client, "get", f"{REFERRALS}{referral.public_id}/", agency_key).json()["steps"]
    client.force_login(adviser.user)
    assert "Recruté·e" in client.get(f"/fr/partenaires/orientations/{referral.pk}/").content.decode()


@pytest.mark.parametrize("withdrawn", [False, True])
def test_a_person_who_does_not_share_shows_only_confirmed_through_the_api(client, adviser, agency_key, coordinator,
                                                                          withdrawn):
    referral, candidate = linked(adviser, share=withdrawn)
    if withdrawn:
        services.referral_share_withdraw(referral=referral)  # agreed, then stopped sharing from Mon espace
    walk(candidate, coordinator)
    for url in (f"{REFERRALS}{referral.public_id}/", REFERRALS):
        data = call(client, "get", url, agency_key).json()
        item = data["results"][0] if "results" in data else data
        assert item["status"] == "confirmed" and item["status_label"] == "Inscription confirmée"
        assert [step["status"] for step in item["steps"]] == ["referred", "confirmed"]
