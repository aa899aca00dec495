"""The demo data's partners: members who sign in with the demo password, referrals at every status."""

import pytest

from partners import selectors
from partners.models import Member, Referral
from tescforce.site.demo import data

pytestmark = pytest.mark.django_db


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
