"""axe-core (shipped by axe-playwright-python, no download) on every public page and the staff tools.

RGAA 4.1 / WCAG 2.1 AA: no violation of impact serious or critical, in French and in English.
One test per language walks all pages (a live-server test costs a database flush, so pages share one);
the failure message lists every page with its rules and the elements at fault. The public walk also
watches the Content-Security-Policy on the same page loads (test_csp.py has the staff pages).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from . import pages
from .csp_watch import Watch

BLOCKING = {"serious", "critical"}
AXE_OPTIONS = {"resultTypes": ["violations"]}


def _violations(journey, path: str) -> list[dict] | str:
    """Return the blocking violations of the page, or why it is not a page axe can check."""
    # Views answering a plain GET with something other than a page (a form's POST target, an
    # iCalendar file) have nothing for axe to check.
    not_a_page = pages.open_page(journey.page, journey.url(path))
    if not_a_page:
        return not_a_page
    return [v for v in Axe().run(journey.page, options=AXE_OPTIONS).response["violations"]
            if v["impact"] in BLOCKING]


def _report(failures: dict[str, list[dict]]) -> str:
    lines = []
    for path, violations in failures.items():
        lines.append(path)
        for v in violations:
            lines.append(f"  - {v['id']} ({v['impact']}): {v['help']}")
            lines += [f"      {node['target']}: {node['html'][:160]}" for node in v["nodes"][:5]]
    return "\n".join(lines)


def _check_all(journey, names: list[str], language: str, watch: Watch | None = None) -> None:
    failures, checked, not_checked = {}, [], []
    for name in names:
        path = pages.page_path(name, language)
        if path is None:
            not_checked.append(f"{name}: needs an object, add a builder to tests/browser/pages.py")
            continue
        result = _violations(journey, path)
        if isinstance(result, str):
            not_checked.append(f"{path}: {result}")
            continue
        checked.append(path)
        if result:
            failures[path] = result
        if watch is not None:
            watch.collect()
    print(f"checked {len(checked)} pages; not pages:", *not_checked, sep="\n  ")
    assert checked
    assert not failures, "\n" + _report(failures)
    if watch is not None:
        watch.assert_clean(len(checked))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_public_pages_have_no_serious_accessibility_violation_nor_csp_violation(journey, language):
    _check_all(journey, pages.public_pages(), language, Watch(journey))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_pages_have_no_serious_accessibility_violation(journey, language):
    user = pages.staff_user()
    journey.login(user)
    # Staff pages have no language prefix: the language comes from the cookie the switcher sets.
    journey.page.context.add_cookies([{"name": "django_language", "value": language, "url": journey.base_url}])
    _check_all(journey, pages.STAFF_PAGES, language)


def test_axe_runs_offline_and_reports_a_serious_violation(page):
    # The checker itself: a form field without a label is a "critical" violation for axe.
    page.set_content('<!doctype html><html lang="fr"><title>t</title><main><input type="text"></main></html>')
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert any(v["id"] == "label" and v["impact"] in BLOCKING for v in violations)
