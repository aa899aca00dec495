"""The demo data's partners: members who sign in with the demo password, referrals at every status."""

import pytest

from partners import selectors
from partners.models import Course, Member, Referral
from tescforce.site.demo import data

pytestmark = pytest.mark.django_db


def sign_in(client, username):
    return client.post("/fr/partenaires/connexion/", {"username": username, "password": data.DEMO_PASSWORD})


def test_demo_referrals_reach_every_status_and_each_member_sees_their_own(demo_data, client):
    statuses = {item.status for item in selectors.follow_ups(Referral.objects.all())}
    assert statuses == set(selectors.STATUS_LABELS) - {"erased"}
    assert "partenaire-france-travail" in demo_data
    for spec in data.PARTNER_MEMBERS:
        member = Member.objects.get(user__username=spec["username"])
        assert not member.user.is_staff
        signed_in = client.post("/fr/partenaires/connexion/", {"username": spec["username"],
                                                                "password": data.DEMO_PASSWORD})
        assert signed_in.status_code == 302
        page = client.get("/fr/partenaires/").content.decode()
        mine = Referral.objects.filter(partner=member.partner).exclude(first_name="")
        others = Referral.objects.exclude(partner=member.partner).exclude(first_name="")
        assert all(r.last_name in page for r in mine[:5])
        assert not any(f"{r.first_name} {r.last_name}" in page for r in others)
        client.logout()


@pytest.mark.parametrize("username", ["partenaire-formation", "partenaire-ecole"])
def test_the_demo_training_body_and_school_members_reach_their_own_courses(demo_data, client, username):
    assert sign_in(client, username).status_code == 302
    member = Member.objects.get(user__username=username)
    assert 'href="/fr/partenaires/formations/"' in client.get("/fr/partenaires/").content.decode()
    page = client.get("/fr/partenaires/formations/").content.decode()
    mine = Course.objects.filter(partner=member.partner)
    assert mine.exists() and all(course.title in page for course in mine)
    assert not any(course.title in page for course in Course.objects.exclude(partner=member.partner))


def test_a_demo_member_of_an_agency_has_no_courses_page(demo_data, client):
    assert sign_in(client, "partenaire-france-travail").status_code == 302
    assert "/partenaires/formations/" not in client.get("/fr/partenaires/").content.decode()
    assert client.get("/fr/partenaires/formations/").status_code == 403
