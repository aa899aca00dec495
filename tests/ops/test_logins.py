"""Staff logins: lockout after ten failures keyed on the real client address and on the username, unlocks,
password rules, disabled accounts and idle sessions."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tescforce.middleware import IDLE_KEY
from tescforce.security import client_ip

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _fail_ten_times(login_form, username, **kwargs):
    statuses = [login_form(username, "wrong-password-123", **kwargs).status_code for _ in range(10)]
    # The form again with its error nine times; the tenth failure locks the address out.
    assert statuses == [200] * 9 + [429]


def test_eleventh_login_is_refused_even_with_the_right_password(client, login_form, coordinator):
    _fail_ten_times(login_form, "coordinatrice")
    response = login_form("coordinatrice", PASSWORD)
    assert response.status_code == 429
    assert "temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still not signed in


def test_nine_failures_then_the_right_password_signs_in(client, login_form, coordinator):
    for _ in range(9):
        login_form("coordinatrice", "wrong-password-123")
    response = login_form("coordinatrice", PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_lockout_holds_for_one_address_not_for_another(client, login_form, coordinator, hotline_agent):
    _fail_ten_times(login_form, "coordinatrice", ip="203.0.113.7")
    assert login_form("hotline", PASSWORD, ip="203.0.113.7").status_code == 429
    assert login_form("hotline", PASSWORD, ip="198.51.100.20").status_code == 302


def test_a_forged_forwarded_header_does_not_escape_the_lockout_without_a_trusted_proxy(login_form, coordinator,
                                                                                       settings):
    settings.TRUSTED_PROXY_COUNT = 0
    _fail_ten_times(login_form, "coordinatrice")
    response = login_form("coordinatrice", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429


def test_behind_one_proxy_the_lockout_keys_on_the_address_the_proxy_saw(login_form, coordinator, hotline_agent,
                                                                         settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # A client forging an entry on the left is still counted under its real address (the right-most one).
    for forged in range(10):
        login_form("coordinatrice", "wrong-password-123", ip=proxy,
                   HTTP_X_FORWARDED_FOR=f"192.0.2.{forged}, 203.0.113.7")
    assert login_form("coordinatrice", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    # Another client behind the same proxy, with another account, is not locked out.
    assert login_form("hotline", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20").status_code == 302


def test_guessing_one_account_from_forty_addresses_is_locked_out_by_username(client, login_form, coordinator):
    statuses = [login_form("coordinatrice", "wrong-password-123", ip=f"198.51.100.{n}").status_code
                for n in range(1, 41)]
    # Each address failed once only; the account's tenth failure locks it, wherever the tries come from.
    assert statuses[:9] == [200] * 9 and set(statuses[9:]) == {429}
    response = login_form("coordinatrice", PASSWORD, ip="192.0.2.200")
    assert response.status_code == 429
    assert "pour cet identifiant" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_forwarded_headers_do_not_escape_the_username_lockout(login_form, coordinator, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        login_form("coordinatrice", "wrong-password-123", ip="10.0.0.2", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert login_form("coordinatrice", PASSWORD, ip="10.0.0.2",
                      HTTP_X_FORWARDED_FOR="198.51.100.77").status_code == 429


def test_a_username_lockout_leaves_other_accounts_alone(login_form, coordinator, hotline_agent):
    for n in range(10):
        login_form("coordinatrice", "wrong-password-123", ip=f"198.51.100.{n}")
    assert login_form("coordinatrice", PASSWORD, ip="192.0.2.50").status_code == 429
    assert login_form("hotline", PASSWORD, ip="198.51.100.3").status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (1, "not-an-address", "10.0.0.2"),
    ],
)
def test_client_address_is_derived_from_the_trusted_proxies_only(rf, settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_coordinator_unlocks_a_colleague_in_the_admin(client, login_form, client_for, coordinator, hotline_agent):
    _fail_ten_times(login_form, "hotline")
    attempt = AccessAttempt.objects.get()
    staff = client_for(coordinator)
    assert staff.get("/admin/axes/accessattempt/").status_code == 200
    response = staff.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    staff.logout()
    assert login_form("hotline", PASSWORD).status_code == 302


def test_hotline_and_recruiters_cannot_unlock(client_for, login_form, hotline_agent, recruiter_a, coordinator):
    _fail_ten_times(login_form, "coordinatrice")
    attempt = AccessAttempt.objects.get()
    for user in (hotline_agent, recruiter_a):
        client = client_for(user)
        assert client.get("/admin/axes/accessattempt/").status_code == 403
        assert client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.exists()


def test_a_coordinator_cannot_unlock_a_superusers_login(client_for, login_form, coordinator, superuser):
    for n in range(10):
        login_form("admin", "wrong-password-123", ip=f"198.51.100.{n}")
    attempts = list(AccessAttempt.objects.filter(username="admin").values_list("pk", flat=True))
    staff = client_for(coordinator)
    listing = staff.get("/admin/axes/accessattempt/").content.decode()
    for pk in attempts:
        assert f"/admin/axes/accessattempt/{pk}/" not in listing
        assert staff.post(f"/admin/axes/accessattempt/{pk}/delete/", {"post": "yes"}).status_code in (302, 403)
    staff.post("/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": attempts, "post": "yes"})
    assert AccessAttempt.objects.filter(username="admin").count() == 10
    staff.logout()
    assert login_form("admin", PASSWORD, ip="192.0.2.1").status_code == 429


def test_axes_reset_command_unlocks_everyone(login_form, coordinator):
    _fail_ten_times(login_form, "coordinatrice")
    call_command("axes_reset", verbosity=0)
    assert login_form("coordinatrice", PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["short-pw-1", "123456789012345", "password12345", "coordinatrice2026"])
def test_weak_staff_passwords_are_refused(coordinator, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=coordinator)


def test_a_long_passphrase_is_accepted(coordinator):
    validate_password("trois-cafes-sur-la-garonne", user=coordinator)


def test_a_disabled_account_loses_its_open_session_at_the_next_request(client, login_form, coordinator):
    assert login_form("coordinatrice", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/pilotage/").status_code == 200
    get_user_model().objects.filter(pk=coordinator.pk).update(is_active=False)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert client.get("/pilotage/").status_code == 302
    # Nor can it sign in again.
    assert login_form("coordinatrice", PASSWORD).status_code == 200


def test_a_staff_session_ends_after_the_idle_timeout(client_for, coordinator, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = client_for(coordinator)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[IDLE_KEY] -= 601
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_an_active_staff_session_is_kept(client_for, coordinator, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = client_for(coordinator)
    client.get("/admin/")
    session = client.session
    session[IDLE_KEY] -= 300
    session.save()
    assert client.get("/admin/").status_code == 200


def test_production_session_settings():
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_AGE > 0
    assert settings.AXES_FAILURE_LIMIT == 10
