"""Calls logged from the admin follow the quick-log page's rules."""

import pytest

from hotline.models import HotlineCall
from tests.admin_pages import assert_refused

pytestmark = pytest.mark.django_db

ADD = "/admin/hotline/hotlinecall/add/"


def _call_post(**overrides):
    return {"candidate": "", "caller_name": "Jean Appel", "caller_contact": "06 12 34 56 78", "direction": "in",
            "channel": "phone", "topic": "job_search", "summary": "Cherche un poste de développeur.",
            "follow_up_due": "", "follow_up_owner": "", **overrides}


def test_a_call_logged_in_the_admin_goes_through_the_service(client_for, hotline_agent, candidate):
    response = client_for(hotline_agent).post(ADD, _call_post(candidate=candidate.pk))
    assert response.status_code == 302
    call = HotlineCall.objects.get()
    assert call.logged_by == hotline_agent
    assert (call.candidate, call.caller_name) == (candidate, "")  # a known candidate needs no caller name
    candidate.refresh_from_db()
    assert candidate.last_activity_at is not None


def test_a_follow_up_without_a_date_is_refused_on_the_form(client_for, hotline_agent):
    response = client_for(hotline_agent).post(ADD, _call_post(follow_up_owner=hotline_agent.pk))
    assert_refused(response, "Indiquez la date de la relance.")
    assert not HotlineCall.objects.exists()
