"""Optional TOTP two-factor for staff, mandatory when the coordinators say so, and for superusers and
coordinators in production."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tescforce import roles
from tescforce.models import SecurityPolicy
from tests import factories
from tests.tescforce.test_settings import manage

pytestmark = pytest.mark.django_db

SETUP = "/pilotage/double-authentification/"
VERIFY = "/pilotage/double-authentification/code/"


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _forgive(device: TOTPDevice) -> None:
    # A failed code makes the device wait before the next try (throttling); the test does not wait.
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


def _mandatory(value: bool = True) -> None:
    policy = SecurityPolicy.current()
    policy.two_factor_required = value
    policy.save()


def test_without_a_device_or_policy_staff_go_straight_in(client_for, hotline_agent):
    assert client_for(hotline_agent).get("/admin/").status_code == 200


def test_mandatory_policy_sends_staff_without_a_device_to_the_setup(client_for, hotline_agent):
    _mandatory()
    client = client_for(hotline_agent)
    for path in ("/admin/", "/pilotage/hotline/", "/admin/candidates/candidate/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(SETUP + "?next=")
    # Public pages stay open.
    assert client.get("/fr/").status_code == 200


def test_setup_shows_a_qr_code_drawn_on_the_server_then_a_good_code_lets_in(client_for, hotline_agent):
    _mandatory()
    client = client_for(hotline_agent)
    page = client.get(SETUP + "?next=/admin/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and "<path" in body
    assert "http://" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org", "")
    device = TOTPDevice.objects.get(user=hotline_agent, confirmed=False)
    refused = client.post(SETUP, {"token": "000000" if _code(device) != "000000" else "111111", "next": "/admin/"})
    assert refused.status_code == 200 and "ne correspond pas" in refused.content.decode()
    _forgive(device)
    accepted = client.post(SETUP, {"token": _code(device), "next": "/admin/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_a_staff_member_with_a_device_must_enter_a_code_after_the_password(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    response = client.post("/admin/login/?next=/admin/",
                           {"username": "coordinatrice", "password": "correct-horse-battery-staple"})
    assert response.status_code == 302
    gate = client.get("/admin/")
    assert gate.status_code == 302 and gate["Location"].startswith(VERIFY)
    assert client.get("/pilotage/").status_code == 302
    wrong = client.post(VERIFY, {"token": "12345x", "next": "/admin/"})
    assert wrong.status_code == 200 and "ne correspond pas" in wrong.content.decode()
    _forgive(device)
    assert client.post(VERIFY, {"token": _code(device), "next": "/admin/"})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_verify_refuses_an_outside_next_url(client_for, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    client = client_for(coordinator)
    response = client.post(VERIFY, {"token": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_coordinators_make_two_factor_mandatory_in_the_admin(client_for, coordinator):
    client = client_for(coordinator)
    assert client.get("/admin/tescforce/securitypolicy/").status_code == 302
    url = f"/admin/tescforce/securitypolicy/{SecurityPolicy.current().pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"two_factor_required": "on"})
    assert response.status_code == 302
    assert SecurityPolicy.current().two_factor_required


@pytest.mark.parametrize("who", ["hotline_agent", "recruiter_a", "prospecting_officer"])
def test_other_staff_cannot_change_the_policy(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    url = f"/admin/tescforce/securitypolicy/{SecurityPolicy.current().pk}/change/"
    assert client.post(url, {"two_factor_required": "on"}).status_code == 403
    assert not SecurityPolicy.current().two_factor_required


def test_a_coordinator_resets_a_lost_phone(client_for, coordinator, hotline_agent):
    device = TOTPDevice.objects.create(user=hotline_agent, name="phone", confirmed=True)
    client = client_for(coordinator)
    response = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.exists()


def test_the_hotline_cannot_remove_a_colleague_device(client_for, coordinator, hotline_agent):
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    client = client_for(hotline_agent)
    assert client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"}).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_anonymous_visitors_reach_the_login_not_the_setup(client):
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_in_production_superusers_and_coordinators_must_pair_a_device(request, client_for, settings, who):
    settings.TWO_FACTOR_REQUIRED_FOR_ADMINS = True
    user = request.getfixturevalue(who)
    assert not SecurityPolicy.current().two_factor_required  # not the staff-wide policy: the admin rule
    client = client_for(user)
    for path in ("/admin/", "/pilotage/", "/admin/auth/user/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(SETUP + "?next=")
    assert client.get(SETUP).status_code == 200


def test_the_admin_rule_leaves_other_staff_to_the_policy(client_for, settings, hotline_agent):
    settings.TWO_FACTOR_REQUIRED_FOR_ADMINS = True
    assert client_for(hotline_agent).get("/admin/").status_code == 200


def test_with_the_admin_rule_relaxed_coordinators_go_straight_in(client_for, settings, coordinator):
    settings.TWO_FACTOR_REQUIRED_FOR_ADMINS = False
    assert client_for(coordinator).get("/admin/").status_code == 200


def _admin_rule_with(**overrides: str) -> str:
    # Settings are read once per process: read them in a fresh one (production values unless overridden).
    result = manage("shell", "-c", "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED_FOR_ADMINS)",
                    **overrides)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_admin_rule_is_on_by_default_in_production_and_off_in_the_demo():
    assert _admin_rule_with() == "True"
    assert _admin_rule_with(TWO_FACTOR_REQUIRED_FOR_ADMINS="false") == "False"
    assert _admin_rule_with(DEBUG="True") == "False"


def test_a_malformed_admin_rule_stops_the_start():
    result = manage("check", TWO_FACTOR_REQUIRED_FOR_ADMINS="maybe")
    assert result.returncode != 0
    assert "TWO_FACTOR_REQUIRED_FOR_ADMINS must be true or false" in result.stderr



@pytest.mark.parametrize("owner", ["superuser", "another coordinator"])
def test_a_coordinator_cannot_remove_the_device_of_an_account_above_them(client_for, coordinator, superuser, owner):
    user = superuser if owner == "superuser" else factories.UserFactory(username="c2", groups=[roles.COORDINATORS])
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = client_for(coordinator)
    assert f"/admin/otp_totp/totpdevice/{device.pk}/" not in client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"}).status_code in (302, 403)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
