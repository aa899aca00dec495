"""axe-core (shipped by axe-playwright-python, no download) on every public page and the staff tools.

RGAA 4.1 / WCAG 2.1 AA: no violation of impact serious or critical, in French and in English.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

from . import pages

BLOCKING = {"serious", "critical"}
AXE_OPTIONS = {"resultTypes": ["violations"]}


def _check(journey, path: str, client: Client) -> None:
    # Views answering a plain GET with something other than a page (a form's POST target, an
    # iCalendar file, a link that needs its signed token) have nothing for axe to check.
    response = client.get(path, follow=True)
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        pytest.skip(f"{path} answers {response.status_code} {response.get('Content-Type', '')} to a plain GET")
    journey.open(path)
    violations = [v for v in Axe().run(journey.page, options=AXE_OPTIONS).response["violations"]
                  if v["impact"] in BLOCKING]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"    {n['target']}: {n['html'][:160]}"
                                                            for n in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"{path}:\n{report}"


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", pages.public_pages())
def test_public_page_has_no_serious_accessibility_violation(journey, name, language):
    path = pages.page_path(name, language)
    if path is None:
        pytest.skip(f"{name} needs an object: add a builder to tests/browser/pages.py")
    _check(journey, path, Client())


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", pages.STAFF_PAGES)
def test_staff_page_has_no_serious_accessibility_violation(journey, name, language):
    user = pages.staff_user()
    path = pages.page_path(name, language)
    journey.login(user)
    # Staff pages have no language prefix: the language comes from the cookie the switcher sets.
    journey.page.context.add_cookies([{"name": "django_language", "value": language, "url": journey.base_url}])
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    _check(journey, path, client)
