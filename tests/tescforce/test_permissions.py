"""One gate for staff pages, `role_required`: the anonymous go to the login page, every other role gets 403."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from tescforce import permissions, roles
from tescforce.permissions import role_required
from tests import factories

pytestmark = pytest.mark.django_db

ALL_ROLES = (roles.COORDINATORS, roles.HOTLINE, roles.RECRUITERS, roles.PROSPECTING)


def _ok(request):
    return HttpResponse("in")


def _call(view, user):
    request = RequestFactory().get("/pilotage/outil/?q=1")
    request.user = user
    return view(request)


@pytest.mark.parametrize("allowed", [(roles.COORDINATORS,), (roles.HOTLINE,), (roles.COORDINATORS, roles.HOTLINE),
                                     (roles.PROSPECTING,)])
def test_the_gate_lets_its_roles_in_and_denies_each_other_role(allowed):
    view = role_required(*allowed)(_ok)
    for role in ALL_ROLES:
        user = factories.UserFactory(groups=[role])
        if role in allowed:
            assert _call(view, user).content == b"in"
        else:
            with pytest.raises(PermissionDenied):
                _call(view, user)


def test_the_gate_denies_a_staff_user_without_a_role_and_a_disabled_member():
    view = role_required(roles.COORDINATORS)(_ok)
    with pytest.raises(PermissionDenied):
        _call(view, factories.UserFactory())
    disabled = factories.UserFactory(groups=[roles.COORDINATORS], is_active=False)
    with pytest.raises(PermissionDenied):
        _call(view, disabled)


def test_superusers_pass_and_the_anonymous_are_sent_to_the_login_page():
    view = role_required(roles.HOTLINE)(_ok)
    assert _call(view, factories.UserFactory(is_superuser=True)).content == b"in"

    response = _call(view, AnonymousUser())

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:login") + "?next=/pilotage/outil/%3Fq%3D1"


def test_a_test_must_hold_as_well_as_the_role():
    view = role_required(roles.HOTLINE, roles.COORDINATORS, test=lambda user: not permissions.is_recruiter(user))(_ok)
    agent = factories.UserFactory(groups=[roles.HOTLINE])
    assert _call(view, agent).content == b"in"
    recruiter_agent = factories.RecruiterFactory(user__groups=[roles.RECRUITERS, roles.HOTLINE]).user
    with pytest.raises(PermissionDenied):
        _call(view, recruiter_agent)


def test_is_coordinator_follows_the_group():
    assert permissions.is_coordinator(factories.UserFactory(groups=[roles.COORDINATORS]))
    assert permissions.is_coordinator(factories.UserFactory(is_superuser=True))
    for role in (roles.HOTLINE, roles.RECRUITERS, roles.PROSPECTING):
        assert not permissions.is_coordinator(factories.UserFactory(groups=[role]))
    assert not permissions.is_coordinator(AnonymousUser())


def test_a_gate_needs_something_to_check():
    with pytest.raises(TypeError):
        role_required()


# Each staff tool behind the gate: who gets in (200), who gets 403; the anonymous are sent to log in.
PAGES = {
    "staff:desk": set(ALL_ROLES),  # every staff member, each seeing their own sections
    "staff:dashboard": {roles.COORDINATORS, roles.PROSPECTING},
    "staff:hotline_home": {roles.COORDINATORS, roles.HOTLINE},
    "staff:matching_index": {roles.COORDINATORS},
    "staff:events_staff:desk_sessions": {roles.COORDINATORS, roles.HOTLINE},
    "staff:prospecting:calendar": {roles.COORDINATORS, roles.PROSPECTING},
}


@pytest.mark.parametrize("url_name", sorted(PAGES))
def test_each_staff_tool_lets_in_its_roles_only(client, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")

    for role in ALL_ROLES:
        user = factories.RecruiterFactory().user if role == roles.RECRUITERS else factories.UserFactory(groups=[role])
        client.force_login(user)
        assert client.get(url).status_code == (200 if role in PAGES[url_name] else 403), (url_name, role)

    client.force_login(factories.UserFactory(is_superuser=True))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url_name", ["staff:hotline_home", "staff:prospecting:calendar"])
def test_a_recruiter_with_a_second_role_is_refused(client, url_name):
    second = roles.HOTLINE if url_name == "staff:hotline_home" else roles.PROSPECTING
    recruiter = factories.RecruiterFactory(user__groups=[roles.RECRUITERS, second]).user
    client.force_login(recruiter)
    assert client.get(reverse(url_name)).status_code == 403
