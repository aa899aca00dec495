"""Each staff member finds their tools from the admin, the footer and the 403 page, and never a link to a 403."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TOOLS = {
    "desk_home": "/pilotage/",
    "dashboard": "/pilotage/tableau-de-bord/",
    "hotline": "/pilotage/hotline/",
    "desk": "/pilotage/sessions/",
    "matching": "/pilotage/rapprochements/",
    "prospecting": "/pilotage/prospection/agenda/",
    "sheets": "/pilotage/job-dating/",
}
EXPECTED = {
    "coordinator": {"desk_home", "dashboard", "hotline", "desk", "matching", "prospecting"},
    "hotline_agent": {"desk_home", "hotline", "desk"},
    "prospecting_officer": {"desk_home", "dashboard", "prospecting"},
    "recruiter_a": {"desk_home", "sheets"},
}


def _tool_links(body: str) -> set[str]:
    match = re.search(r'<nav class="staff-tools".*?</nav>', body, re.S)
    hrefs = set(re.findall(r'href="([^"]+)"', match.group(0))) if match else set()
    return {key for key, url in TOOLS.items() if url in hrefs}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_the_admin_header_links_to_the_tools_the_person_may_open_and_each_opens(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    body = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert _tool_links(body) == EXPECTED[who]
    for key in EXPECTED[who]:
        assert client.get(TOOLS[key]).status_code == 200, key
    for key in set(TOOLS) - EXPECTED[who]:
        assert client.get(TOOLS[key]).status_code in (302, 403), key


def test_the_footer_offers_the_same_tools(client_for, hotline_agent):
    body = client_for(hotline_agent).get("/fr/").content.decode()
    footer = body[body.index("<footer"):]
    assert TOOLS["hotline"] in footer and TOOLS["desk"] in footer
    assert f'href="{TOOLS["dashboard"]}"' not in footer


@pytest.mark.parametrize(("language", "sentence"), [
    ("fr", "Cette page est réservée aux rôles : Coordinateurs, Chargés de prospection."),
    ("en", "This page is for these roles: Coordinators, Prospecting officers."),
])
def test_the_403_page_says_which_roles_the_page_is_for_and_where_to_go(client_for, hotline_agent, language, sentence):
    client = client_for(hotline_agent)
    client.cookies["django_language"] = language
    response = client.get(TOOLS["dashboard"], HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    body = response.content.decode()
    assert sentence in body
    assert f'href="{TOOLS["hotline"]}"' in body  # the way to what the account may open


def test_anonymous_visitors_get_no_staff_tool(client):
    body = client.get("/fr/").content.decode()
    assert "/pilotage/" not in body


def _header(body: str) -> str:
    return body[body.index("<header"):body.index("</header>")]


@pytest.mark.parametrize("who", sorted(EXPECTED))
@pytest.mark.parametrize("path", ["/pilotage/", "/fr/offres/"])
def test_staff_find_their_desk_and_a_sign_out_in_the_header_not_the_candidates_sign_up(request, client_for, who,
                                                                                        path):
    header = _header(client_for(request.getfixturevalue(who)).get(path).content.decode())
    assert f'href="{reverse("candidates:register")}"' not in header
    assert f'href="{reverse("candidates:space_request")}"' not in header
    assert f'href="{TOOLS["desk_home"]}"' in header
    assert f'href="{reverse("admin:index")}"' in header
    assert f'action="{reverse("admin:logout")}"' in header


def test_visitors_are_offered_the_sign_up_and_nothing_of_the_staff(client):
    header = _header(client.get("/fr/").content.decode())
    assert f'href="{reverse("candidates:register")}"' in header
    assert "/pilotage/" not in header and reverse("admin:logout") not in header


def test_a_staff_visit_leaves_nothing_of_the_staff_in_the_next_visitor_s_page(client_for, coordinator):
    # Public pages are drawn from cached parts: the first visit of the page is a staff member's.
    assert f'href="{TOOLS["desk_home"]}"' in _header(client_for(coordinator).get("/fr/").content.decode())
    header = _header(Client().get("/fr/").content.decode())
    assert f'href="{reverse("candidates:register")}"' in header
    assert "/pilotage/" not in header and reverse("admin:logout") not in header


def test_the_header_s_sign_out_signs_the_staff_member_out(client_for, coordinator):
    client = client_for(coordinator)
    assert client.get("/pilotage/").status_code == 200
    assert client.post(reverse("admin:logout")).status_code == 200
    assert client.get("/pilotage/").status_code == 302


@pytest.mark.django_db
def test_the_tools_are_worked_out_once_per_request_however_many_parts_the_page_has(client_for, coordinator,
                                                                                   monkeypatch):
    from tescforce import staff_tools

    calls = []
    real = staff_tools.tools_for
    monkeypatch.setattr(staff_tools, "tools_for", lambda user: calls.append(user) or real(user))
    # The desk draws its regions as parts, each through the context processors.
    response = client_for(coordinator).get(TOOLS["desk_home"])
    assert response.status_code == 200
    assert len(calls) == 1
    assert f'href="{TOOLS["dashboard"]}"' in response.content.decode()
