"""Who may enter the partner space, and what a member of one organisation can never read."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from candidates.models import Candidate
from partners import services
from partners.models import Member, Referral
from tests import factories

from .conftest import link_in, path_of, service_data

pytestmark = pytest.mark.django_db

SPACE_PAGES = ["/fr/partenaires/", "/fr/partenaires/orientations/nouvelle/", "/fr/partenaires/orientations/export.csv"]


@pytest.fixture
def referral_b(member_b):
    referral, _known = services.referral_create(member=member_b, data=service_data(
        first_name="Yanis", last_name="Morel", email="yanis.morel@example.org"))
    return referral


def test_a_member_signs_in_on_the_partner_page_and_lands_in_their_space(client, member_a):
    response = client.post("/fr/partenaires/connexion/", {"username": "partenaire-a",
                                                           "password": "correct-horse-battery-staple"})
    assert response.status_code == 302 and response["Location"] == "/fr/partenaires/"
    assert "France Travail Toulouse Compans" in client.get("/fr/partenaires/").content.decode()


@pytest.mark.parametrize("role", ["coordinator", "hotline_agent", "prospecting_officer", "recruiter_a"])
def test_staff_cannot_sign_in_to_or_reach_the_partner_space(client, request, role):
    user = request.getfixturevalue(role)
    refused = client.post("/fr/partenaires/connexion/", {"username": user.username,
                                                          "password": "correct-horse-battery-staple"})
    assert refused.status_code == 200 and "a pas accès" in refused.content.decode()
    client.force_login(user)
    for url in SPACE_PAGES:
        assert client.get(url).status_code == 403


def test_the_anonymous_are_sent_to_the_partner_sign_in(client):
    for url in SPACE_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/fr/partenaires/connexion/")


def test_a_partner_cannot_reach_the_admin_nor_the_staff_desk(client, member_a):
    client.force_login(member_a.user)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/admin/candidates/candidate/").status_code == 302
    assert client.get("/pilotage/tableau-de-bord/").status_code in (302, 403)
    client.logout()
    login = client.post("/admin/login/", {"username": "partenaire-a", "password": "correct-horse-battery-staple"})
    assert login.status_code == 200  # refused: no staff account
    assert "_auth_user_id" not in client.session


def test_a_member_never_sees_another_organisations_referrals(client, member_a, referral_b):
    mine, _known = services.referral_create(member=member_a, data=service_data())
    client.force_login(member_a.user)
    listing = client.get("/fr/partenaires/").content.decode()
    assert "Inès" in listing and "Yanis" not in listing
    assert client.get(f"/fr/partenaires/orientations/{referral_b.pk}/").status_code == 404
    assert client.get(f"/fr/partenaires/orientations/{mine.pk}/").status_code == 200
    csv = client.get("/fr/partenaires/orientations/export.csv").content.decode("utf-8-sig")
    assert "Inès" in csv and "Yanis" not in csv and "yanis.morel" not in csv


def test_a_member_never_sees_candidates_their_organisation_did_not_refer(client, member_a):
    other = factories.CandidateFactory(first_name="Salomé", last_name="Vidal", email="salome@example.org")
    client.force_login(member_a.user)
    pages = "".join(client.get(url).content.decode("utf-8-sig") for url in SPACE_PAGES)
    assert "Salomé" not in pages and "salome@example.org" not in pages
    assert client.get(f"/admin/candidates/candidate/{other.pk}/change/").status_code == 302


def test_a_disabled_member_is_refused_at_once_open_session_included(client, member_a):
    client.force_login(member_a.user)
    assert client.get("/fr/partenaires/").status_code == 200
    services.member_disable(member=Member.objects.get(pk=member_a.pk))
    response = client.get("/fr/partenaires/")
    assert response.status_code == 302 and response["Location"].startswith("/fr/partenaires/connexion/")
    assert "_auth_user_id" not in client.session  # the session is closed, not just refused once
    refused = client.post("/fr/partenaires/connexion/", {"username": "partenaire-a",
                                                          "password": "correct-horse-battery-staple"})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session


def test_a_member_taken_out_of_the_organisation_loses_access_at_once(client, member_a):
    client.force_login(member_a.user)
    services.member_remove(member=member_a)
    response = client.get("/fr/partenaires/")
    assert response.status_code == 302
    assert not get_user_model().objects.get(username="partenaire-a").is_active


def test_a_member_moved_to_another_organisation_sees_only_the_new_ones(client, member_a, agency_b, referral_b):
    services.referral_create(member=member_a, data=service_data())
    client.force_login(member_a.user)
    Member.objects.filter(pk=member_a.pk).update(partner=agency_b)
    listing = client.get("/fr/partenaires/").content.decode()
    assert "Yanis" in listing and "Inès" not in listing


def test_coordinators_invite_members_in_their_language_and_disable_them(client_for, coordinator, agency_a, outbox):
    client = client_for(coordinator)
    response = client.post("/admin/partners/member/add/", {
        "partner": agency_a.pk, "first_name": "Amélie", "last_name": "Roux", "email": "amelie.roux@ft.example",
        "username": "", "language": "en", "digest": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    member = Member.objects.get(user__email="amelie.roux@ft.example")
    assert not member.user.is_staff and not member.user.has_usable_password()
    (message,) = outbox
    assert message.to == ["amelie.roux@ft.example"] and "partner space" in message.body.lower()
    # The link sets the password; then the member signs in.
    link = path_of(link_in(message))
    form_page = client.get(link, follow=True)
    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    client.post(form_page.redirect_chain[-1][0], {"new_password1": "Un-mot-de-passe-solide-42",
                                                  "new_password2": "Un-mot-de-passe-solide-42"})
    assert client.post("/en/partenaires/connexion/", {"username": "amelie.roux@ft.example",
                                                       "password": "Un-mot-de-passe-solide-42"}).status_code == 302
    client = client_for(coordinator)
    client.post("/admin/partners/member/", {"action": "disable_action", "_selected_action": [member.pk]})
    member.refresh_from_db()
    assert member.disabled_at is not None


@pytest.mark.parametrize("role", ["hotline_agent", "prospecting_officer", "recruiter_a"])
def test_other_staff_cannot_read_members_or_referrals_in_the_admin(client_for, request, role, referral_b):
    client = client_for(request.getfixturevalue(role))
    for url in ("/admin/partners/member/", "/admin/partners/referral/",
                f"/admin/partners/referral/{referral_b.pk}/change/", "/admin/partners/member/add/"):
        assert client.get(url).status_code == 403, url


def test_a_coordinator_cannot_invite_an_address_already_used(client_for, coordinator, agency_a, member_a):
    response = client_for(coordinator).post("/admin/partners/member/add/", {
        "partner": agency_a.pk, "first_name": "X", "last_name": "Y", "email": member_a.user.email.upper(),
        "username": "", "language": "fr", "digest": "on"})
    assert response.status_code == 200 and "Un compte existe déjà" in response.content.decode()
    assert Member.objects.count() == 1


def test_forgot_password_answers_the_same_and_mails_members_only(client, member_a, coordinator, outbox):
    for email in (member_a.user.email, coordinator.email, "personne@example.org"):
        response = client.post("/fr/partenaires/mot-de-passe/", {"email": email})
        assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[member_a.user.email]]


def test_unconfirmed_people_stay_out_of_recruiters_reach(client_for, member_a, recruiter_a):
    services.referral_create(member=member_a, data=service_data())
    assert not Candidate.objects.exists()  # nothing to scope: the person has no record before answering
    page = client_for(recruiter_a).get("/admin/candidates/candidate/").content.decode()
    assert "Inès" not in page
    assert Referral.objects.count() == 1
