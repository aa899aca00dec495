"""The admin's navigation list is kept per user for a minute, and never outlives a change of who they are."""

import re

import pytest
from django.contrib.admin import sites
from django.contrib.auth.models import Group, Permission
from django.utils import translation
from django.utils.text import capfirst

from candidates.models import Candidate
from tescforce import roles
from tescforce.admin_site import TescforceAdminSite
from tests import factories

PAGE = "/admin/hotline/hotlinecall/"


def sidebar_links(response) -> set[str]:
    html = response.content.decode()
    nav = html[html.index('id="nav-sidebar"'):]
    return set(re.findall(r'href="(/admin/[a-z_]+/[a-z_]+/)"', nav[:nav.index("</nav>")]))


@pytest.fixture
def builds(monkeypatch):
    """Count how many times Django's own list is built, from an empty store (ids come again between tests)."""
    from tescforce import admin_site

    monkeypatch.setattr(admin_site, "_APP_LISTS", {})
    calls = []
    original = sites.AdminSite._build_app_dict

    def counted(self, request, label=None):
        calls.append(label)
        return original(self, request, label)

    monkeypatch.setattr(sites.AdminSite, "_build_app_dict", counted)
    return calls


def test_the_admin_runs_on_the_site_that_keeps_the_list():
    from django.contrib import admin

    assert isinstance(admin.site._wrapped if hasattr(admin.site, "_wrapped") else admin.site, TescforceAdminSite)


@pytest.mark.django_db
def test_the_list_is_built_once_then_reused(client_for, hotline_agent, builds):
    client = client_for(hotline_agent)
    first = sidebar_links(client.get(PAGE))
    second = sidebar_links(client.get(PAGE))
    assert "/admin/hotline/hotlinecall/" in first
    assert first == second
    assert builds == [None]


@pytest.mark.django_db
def test_a_new_role_or_permission_shows_at_the_next_page(client_for, builds):
    user = factories.UserFactory(username="agent", groups=[roles.HOTLINE])
    client = client_for(user)
    before = sidebar_links(client.get(PAGE))
    assert "/admin/auth/group/" not in before

    user.groups.add(Group.objects.get(name=roles.COORDINATORS))
    with_role = sidebar_links(client.get(PAGE))
    assert "/admin/auth/group/" in with_role

    user.groups.remove(Group.objects.get(name=roles.COORDINATORS))
    assert sidebar_links(client.get(PAGE)) == before

    user.user_permissions.add(Permission.objects.get(codename="view_group"))
    assert "/admin/auth/group/" in sidebar_links(client.get(PAGE))
    # Built for each new identity; back to the first one, its list was reused.
    assert len(builds) == 3


@pytest.mark.django_db
def test_users_of_other_roles_or_languages_never_get_another_s_list(client_for, coordinator, hotline_agent, client,
                                                                 builds):
    from django.test import Client

    coordinator_links = sidebar_links(client_for(coordinator).get(PAGE))
    agent = Client()
    agent.force_login(hotline_agent)
    agent_links = sidebar_links(agent.get(PAGE))
    assert "/admin/auth/group/" in coordinator_links - agent_links

    def sidebar(language):
        agent.cookies["django_language"] = language
        html = agent.get(PAGE, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        return html[html.index('id="nav-sidebar"'):]

    with translation.override("fr"):
        french_name = capfirst(str(Candidate._meta.verbose_name_plural))
    with translation.override("en"):
        english_name = capfirst(str(Candidate._meta.verbose_name_plural))
    assert french_name != english_name
    french, english = sidebar("fr"), sidebar("en")
    assert f">{french_name}<" in french and f">{french_name}<" not in english
    assert f">{english_name}<" in english


def nav(response) -> str:
    html = response.content.decode()
    start = html.index('<nav class="sticky" id="nav-sidebar"')
    return html[start:html.index("</nav>", start)]


@pytest.fixture
def drawn(monkeypatch):
    """Count how many times the sidebar's list is drawn, kept sidebars going through the real store."""
    from tescforce import admin_site
    from tescforce.templatetags import admin_nav

    monkeypatch.setattr(admin_site, "_APP_LISTS", {})
    calls = []

    def counting(request, app_list, current, render):
        def counted():
            calls.append(current)
            return render()
        return admin_site.sidebar_html(request, app_list, current, counted)

    monkeypatch.setattr(admin_nav, "sidebar_html", counting)
    return calls


@pytest.mark.django_db
def test_the_sidebar_is_drawn_once_per_user_and_page_and_marks_the_page_it_is_on(client_for, hotline_agent, drawn):
    client = client_for(hotline_agent)
    calls_page = nav(client.get(PAGE))
    assert nav(client.get(PAGE)) == calls_page
    assert len(drawn) == 1

    other = nav(client.get("/admin/hotline/relocationrequest/"))
    assert len(drawn) == 2
    for html, here, elsewhere in ((calls_page, "hotlinecall", "relocationrequest"),
                                  (other, "relocationrequest", "hotlinecall")):
        assert re.search(rf'<tr class="model-{here} current-model">', html)
        assert re.search(rf'href="/admin/hotline/{here}/" aria-current="page"', html)
        assert not re.search(rf'model-{elsewhere} current-model', html)
        assert 'class="app-hotline module current-app"' in html
    # A page of the same model (an item, a filtered list) has the same marks: drawn no more.
    client.get(PAGE + "?topic=housing")
    assert len(drawn) == 2


@pytest.mark.django_db
def test_the_kept_sidebar_is_the_one_django_draws(client_for, coordinator, monkeypatch):
    from tescforce import admin_site
    from tescforce.templatetags import admin_nav

    monkeypatch.setattr(admin_site, "_APP_LISTS", {})
    client = client_for(coordinator)
    client.get(PAGE)
    kept = nav(client.get(PAGE))
    monkeypatch.setattr(admin_nav, "sidebar_html", lambda request, app_list, current, render: render())
    assert nav(client.get(PAGE)) == kept
    assert kept.count("<tr class=\"model-") > 20


@pytest.mark.django_db
def test_a_kept_sidebar_never_reaches_another_user(client_for, coordinator, hotline_agent, drawn):
    from django.test import Client

    coordinator_nav = nav(client_for(coordinator).get(PAGE))
    agent = Client()
    agent.force_login(hotline_agent)
    agent_nav = nav(agent.get(PAGE))
    assert len(drawn) == 2
    assert 'href="/admin/auth/group/"' in coordinator_nav
    assert 'href="/admin/auth/group/"' not in agent_nav
