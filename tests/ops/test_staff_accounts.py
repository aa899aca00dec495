"""Staff accounts: coordinators manage recruiter, hotline and prospecting accounts and nothing above them;
superusers manage everyone; staff reset a forgotten password by e-mail."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client

from companies.models import Recruiter
from tescforce import roles
from tests import factories

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()
USERS = "/admin/auth/user/"
LINK_RE = re.compile(r"https?://[^/\s]+(/admin/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _commit_at_once(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def other_coordinator(db):
    return factories.UserFactory(username="coordinateur-2", groups=[roles.COORDINATORS])


def _group(name):
    return Group.objects.get(name=name)


def _snapshot(user):
    user = User.objects.get(pk=user.pk)
    return (user.is_superuser, user.is_staff, user.is_active, user.password,
            sorted(user.groups.values_list("name", flat=True)),
            sorted(user.user_permissions.values_list("pk", flat=True)), user.first_name, user.email)


def _escalating_fields():
    # Everything a hostile coordinator could add to a user form: Django's own field names included.
    every_permission = list(Permission.objects.values_list("pk", flat=True)[:50])
    return {"is_superuser": "on", "is_staff": "on", "user_permissions": every_permission,
            "groups": [_group(roles.COORDINATORS).pk], "password": "pbkdf2_sha256$1$x$y",
            "password1": "une-phrase-de-passe-solide", "password2": "une-phrase-de-passe-solide",
            "usable_password": "true"}


# --- creating an account ---------------------------------------------------------------------------

def test_a_coordinator_creates_a_hotline_account_that_sets_its_own_password(client_for, coordinator):
    client = client_for(coordinator)
    assert client.get(USERS + "add/").status_code == 200
    response = client.post(USERS + "add/", {
        "username": "nouvelle-hotline", "first_name": "Inès", "last_name": "Roux", "email": "ines@tescforce.example",
        "roles": [_group(roles.HOTLINE).pk], "language": "en", **_escalating_fields()})
    assert response.status_code == 302
    account = User.objects.get(username="nouvelle-hotline")
    assert not account.is_superuser and account.is_staff and account.is_active
    assert list(account.groups.values_list("name", flat=True)) == [roles.HOTLINE]
    assert not account.user_permissions.exists()
    assert not account.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ines@tescforce.example"]
    assert mail.outbox[0].subject == "Your Tesc Force account: choose your password"
    link = LINK_RE.search(mail.outbox[0].body).group(1)

    newcomer = Client()
    form_page = newcomer.get(link, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    done = newcomer.post(form_page.redirect_chain[-1][0], {"new_password1": "trois-cafes-sur-la-garonne",
                                                           "new_password2": "trois-cafes-sur-la-garonne"})
    assert done.status_code == 302
    assert newcomer.post("/admin/login/?next=/admin/", {"username": "nouvelle-hotline",
                                                       "password": "trois-cafes-sur-la-garonne"}).status_code == 302
    # The link served once.
    assert "new_password1" not in Client().get(link, follow=True).content.decode()


def test_a_coordinator_cannot_create_a_coordinator(client_for, coordinator):
    response = client_for(coordinator).post(USERS + "add/", {
        "username": "pirate", "email": "pirate@example.org", "roles": [_group(roles.COORDINATORS).pk]})
    assert response.status_code == 200
    assert not User.objects.filter(username="pirate").exists()
    assert mail.outbox == []


def test_a_recruiter_account_needs_its_company_and_gets_its_profile(client_for, coordinator, company_a):
    client = client_for(coordinator)
    data = {"username": "recrue", "first_name": "Léa", "last_name": "Blanc", "email": "lea@alpha.example",
            "roles": [_group(roles.RECRUITERS).pk], "language": "fr"}
    missing = client.post(USERS + "add/", data)
    assert missing.status_code == 200 and "Choisissez l&#x27;entreprise" in missing.content.decode()
    assert client.post(USERS + "add/", {**data, "company": company_a.pk}).status_code == 302
    recruiter = Recruiter.objects.get(user__username="recrue")
    assert recruiter.company == company_a and recruiter.user.is_staff
    assert mail.outbox[0].subject == "Votre compte Tesc Force : choisissez votre mot de passe"


def test_an_address_already_used_is_refused(client_for, coordinator, hotline_agent):
    hotline_agent.email = "hotline@tescforce.example"
    hotline_agent.save()
    response = client_for(coordinator).post(USERS + "add/", {
        "username": "double", "email": "HOTLINE@tescforce.example", "roles": [_group(roles.HOTLINE).pk]})
    assert response.status_code == 200 and not User.objects.filter(username="double").exists()


# --- changing an account ---------------------------------------------------------------------------

def test_a_coordinator_changes_roles_and_disables_but_every_escalating_field_is_ignored(client_for, coordinator,
                                                                                        hotline_agent):
    client = client_for(coordinator)
    url = f"{USERS}{hotline_agent.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert 'name="groups"' not in page and "password/" not in page
    response = client.post(url, {"username": "hotline", "first_name": "Max", "last_name": "", "email": "h@x.example",
                                 "roles": [_group(roles.PROSPECTING).pk], **_escalating_fields()})
    assert response.status_code == 302
    hotline_agent.refresh_from_db()
    assert hotline_agent.first_name == "Max"
    assert not hotline_agent.is_superuser and hotline_agent.is_staff and not hotline_agent.is_active
    assert list(hotline_agent.groups.values_list("name", flat=True)) == [roles.PROSPECTING]
    assert not hotline_agent.user_permissions.exists()
    assert hotline_agent.check_password(PASSWORD)


def test_a_coordinator_cannot_put_an_account_into_coordinators(client_for, coordinator, recruiter_a):
    before = _snapshot(recruiter_a)
    response = client_for(coordinator).post(f"{USERS}{recruiter_a.pk}/change/", {
        "username": "recruteur-a", "email": "a@alpha.example", "is_active": "on",
        "roles": [_group(roles.COORDINATORS).pk]})
    assert response.status_code == 200
    assert _snapshot(recruiter_a) == before


@pytest.mark.parametrize("target", ["superuser", "other_coordinator", "coordinator", "with_permission"])
def test_a_coordinator_cannot_open_or_change_an_account_above_them(request, client_for, coordinator, target):
    if target == "with_permission":
        user = factories.UserFactory(username="special", groups=[roles.HOTLINE])
        user.user_permissions.add(Permission.objects.get(codename="delete_candidate"))
    else:
        user = request.getfixturevalue(target)
    before = _snapshot(user)
    client = client_for(coordinator)
    base = f"{USERS}{user.pk}/"
    assert client.get(base + "change/").status_code in (302, 403, 404)
    assert client.get(base + "history/").status_code in (302, 403, 404)
    change = client.post(base + "change/", {"username": user.username, "email": "x@example.org", "first_name": "Pwn",
                                            "roles": [_group(roles.HOTLINE).pk], **_escalating_fields()})
    assert change.status_code in (302, 403, 404)
    assert client.post(base + "delete/", {"post": "yes"}).status_code in (302, 403, 404)
    assert base + "change/" not in client.get(USERS).content.decode()
    assert _snapshot(user) == before
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.parametrize("target", ["superuser", "other_coordinator", "coordinator", "hotline_agent"])
def test_a_coordinator_never_sets_anyones_password(request, client_for, coordinator, target):
    user = request.getfixturevalue(target)
    client = client_for(coordinator)
    url = f"{USERS}{user.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "une-phrase-de-passe-solide", "password2": "une-phrase-de-passe-solide",
                                 "usable_password": "true"})
    assert response.status_code == 403
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_bulk_actions_stay_within_reach(client_for, coordinator, superuser, other_coordinator, hotline_agent):
    client = client_for(coordinator)
    targets = [superuser.pk, other_coordinator.pk, hotline_agent.pk, coordinator.pk]
    client.post(USERS, {"action": "delete_selected", "_selected_action": targets, "post": "yes"})
    assert User.objects.filter(pk__in=targets).count() == 4
    client.post(USERS, {"action": "disable_accounts", "_selected_action": targets})
    active = dict(User.objects.filter(pk__in=targets).values_list("pk", "is_active"))
    assert active == {superuser.pk: True, other_coordinator.pk: True, hotline_agent.pk: False, coordinator.pk: True}


def test_the_group_admin_is_read_only_for_coordinators(client_for, coordinator):
    group = _group(roles.COORDINATORS)
    before = set(group.permissions.values_list("pk", flat=True))
    client = client_for(coordinator)
    every = list(Permission.objects.values_list("pk", flat=True))
    assert client.post(f"/admin/auth/group/{group.pk}/change/", {"name": group.name, "permissions": every}
                       ).status_code == 403
    assert client.post("/admin/auth/group/add/", {"name": "Tout", "permissions": every}).status_code == 403
    assert client.post(f"/admin/auth/group/{group.pk}/delete/", {"post": "yes"}).status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before
    assert not Group.objects.filter(name="Tout").exists()


def test_a_coordinator_cannot_make_a_superuser_or_a_coordinator_a_recruiter(client_for, coordinator, superuser,
                                                                            other_coordinator, company_a):
    client = client_for(coordinator)
    for user in (superuser, other_coordinator):
        response = client.post("/admin/companies/recruiter/add/", {"user": user.pk, "company": company_a.pk,
                                                                    "language": "fr"})
        assert response.status_code == 200
        assert not Recruiter.objects.filter(user=user).exists()


@pytest.mark.parametrize("who", ["hotline_agent", "recruiter_a", "prospecting_officer"])
def test_other_staff_have_no_user_admin(request, client_for, who, hotline_agent):
    client = client_for(request.getfixturevalue(who))
    assert client.get(USERS).status_code == 403
    assert client.get(f"{USERS}{hotline_agent.pk}/change/").status_code == 403
    assert client.post(USERS + "add/", {"username": "x", "email": "x@example.org"}).status_code == 403
    assert not User.objects.filter(username="x").exists()


def test_the_coordinators_list_shows_only_the_accounts_they_manage(client_for, coordinator, superuser,
                                                                   other_coordinator, hotline_agent, recruiter_a):
    body = client_for(coordinator).get(USERS).content.decode()
    listed = set(re.findall(r'/admin/auth/user/(\d+)/change/', body))
    assert listed == {str(hotline_agent.pk), str(recruiter_a.pk)}


def test_a_superuser_manages_coordinators(client_for, superuser, hotline_agent):
    client = client_for(superuser)
    response = client.post(f"{USERS}{hotline_agent.pk}/change/", {
        "username": "hotline", "is_active": "on", "is_staff": "on", "groups": [_group(roles.COORDINATORS).pk],
        "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00", "email": "h@tescforce.example"})
    assert response.status_code == 302
    assert hotline_agent.groups.filter(name=roles.COORDINATORS).exists()
    assert client.get(f"{USERS}{hotline_agent.pk}/password/").status_code == 200


# --- forgotten password ----------------------------------------------------------------------------

RESET = "/admin/password_reset/"


def test_the_login_page_offers_the_password_reset(client):
    assert f'href="{RESET}"' in client.get("/admin/login/").content.decode()


def test_reset_answers_the_same_for_known_and_unknown_addresses(client, hotline_agent):
    hotline_agent.email = "hotline@tescforce.example"
    hotline_agent.save()
    page = client.get(RESET)
    assert page.status_code == 200 and "Réinitialisation du mot de passe" in page.content.decode()
    known = client.post(RESET, {"email": "HOTLINE@tescforce.example"})
    unknown = client.post(RESET, {"email": "nobody@tescforce.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/admin/password_reset/done/"
    assert [m.to for m in mail.outbox] == [["hotline@tescforce.example"]]
    assert mail.outbox[0].subject == "Tesc Force : choisir un nouveau mot de passe"
    link = LINK_RE.search(mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": "trois-cafes-sur-la-garonne",
                                             "new_password2": "trois-cafes-sur-la-garonne"})
    assert User.objects.get(pk=hotline_agent.pk).check_password("trois-cafes-sur-la-garonne")
    assert "new_password1" not in Client().get(link, follow=True).content.decode()


def test_reset_in_english(client, hotline_agent):
    hotline_agent.email = "hotline@tescforce.example"
    hotline_agent.save()
    page = client.get(RESET, HTTP_ACCEPT_LANGUAGE="en")
    assert "Password reset" in page.content.decode()
    client.post(RESET, {"email": "hotline@tescforce.example"}, HTTP_ACCEPT_LANGUAGE="en")
    assert mail.outbox[0].subject == "Tesc Force: choose a new password"
    assert "Someone, probably you," in mail.outbox[0].body


def test_a_disabled_account_gets_no_reset_e_mail(client, hotline_agent):
    User.objects.filter(pk=hotline_agent.pk).update(email="hotline@tescforce.example", is_active=False)
    assert client.post(RESET, {"email": "hotline@tescforce.example"}).status_code == 302
    assert mail.outbox == []


def test_reset_is_rate_limited_per_client_and_per_address(client, settings, hotline_agent):
    settings.RATELIMIT_ENABLE = True
    User.objects.filter(pk=hotline_agent.pk).update(email="hotline@tescforce.example")
    statuses = [client.post(RESET, {"email": "hotline@tescforce.example"}, REMOTE_ADDR=f"198.51.100.{n}").status_code
                for n in range(5)]
    # Same answer every time, but the address receives three e-mails an hour at most.
    assert statuses == [302] * 5 and len(mail.outbox) == 3
    for _ in range(5):
        client.post(RESET, {"email": f"other{_}@example.org"}, REMOTE_ADDR="203.0.113.9")
    limited = client.post(RESET, {"email": "nobody@example.org"}, REMOTE_ADDR="203.0.113.9")
    assert limited.status_code == 429 and "Trop de demandes" in limited.content.decode()



def test_staff_access_follows_the_roles_not_a_posted_is_staff(client_for, coordinator):
    roleless = factories.UserFactory(username="ancien", is_staff=False)
    client = client_for(coordinator)
    response = client.post(f"{USERS}{roleless.pk}/change/", {
        "username": "ancien", "email": "ancien@tescforce.example", "is_active": "on", "is_staff": "on"})
    assert response.status_code == 302
    roleless.refresh_from_db()
    assert not roleless.is_staff and not roleless.groups.exists()
    # Taking every role away takes the admin away too.
    agent = factories.UserFactory(username="agent", groups=[roles.HOTLINE])
    client.post(f"{USERS}{agent.pk}/change/", {"username": "agent", "email": "agent@tescforce.example",
                                               "is_active": "on"})
    agent.refresh_from_db()
    assert not agent.is_staff and not agent.groups.exists()
    former = Client()
    former.force_login(agent)
    assert former.get("/admin/").status_code == 302
