"""The Content-Security-Policy breaks nothing: zero violation in a real browser on the staff tools and the
admin pages staff use (including select2's autocomplete and the two-factor setup). The public pages are
watched in French and English by the accessibility walk (test_accessibility.py), on the same page loads.

Each page is opened with a listener for `securitypolicyviolation` events installed before any of the
page's own scripts, and the console is watched for the browser's CSP messages (csp_watch.Watch).
"""

import pytest
from django.urls import reverse

from companies.models import Company
from tests import factories

from . import pages
from .csp_watch import Watch


def test_staff_tools_and_admin_pages_raise_no_csp_violation(journey):
    user = pages.staff_user()
    company = factories.CompanyFactory(name="Capitole Logiciels")
    candidate = factories.CandidateFactory(first_name="Agathe", last_name="Visible")
    session = factories.SessionFactory(title="Job dating Toulouse")
    factories.RegistrationFactory(session=session, candidate=candidate)
    journey.login(user)
    watch = Watch(journey)
    paths = [
        reverse("staff:desk"),
        reverse("staff:dashboard"),
        reverse("staff:hotline_home"),
        reverse("staff:events_staff:checkin", kwargs={"pk": session.pk}),
        "/admin/",
        "/admin/candidates/candidate/",
        f"/admin/candidates/candidate/{candidate.pk}/change/",
        "/admin/events/session/",
        f"/admin/events/session/{session.pk}/change/",  # its "Dupliquer" button
        "/admin/companies/jobposting/export/",  # django-import-export's page and its two style attributes
        f"/admin/tescforce/historicalcandidate/?id={candidate.pk}",
        "/admin/tescforce/securitypolicy/",
        reverse("otp_setup"),
        pages.page_path("staff:matching_sheet_link", "fr"),  # the interview sheet and its autosave script
        "/admin/matching/scorecard/",
    ]
    for path in paths:
        watch.open(path)

    # The posting form's company field: select2 opens, asks the autocomplete view and lists the company.
    watch.open("/admin/companies/jobposting/add/")
    page = journey.page
    page.locator("#id_company").locator("xpath=following-sibling::span[contains(@class, 'select2')]").click()
    page.locator("input[aria-controls='select2-id_company-results']").fill("Capitole")
    page.locator(".select2-results__option", has_text=company.name).wait_for()
    page.locator(".select2-results__option", has_text=company.name).click()
    journey.step("autocomplete")
    watch.collect()
    assert Company.objects.filter(name="Capitole Logiciels").exists()
    watch.assert_clean(len(paths) + 1)


@pytest.mark.parametrize("path", ["/fr/", "/admin/login/"])
def test_an_injected_inline_script_is_blocked(journey, path):
    """The policy is really enforced: an inline script added to the page does not run."""
    watch = Watch(journey)
    watch.open(path)
    journey.page.evaluate("""() => {
        const s = document.createElement('script');
        s.textContent = 'window.__ran = true';
        document.body.appendChild(s);
    }""")
    assert journey.page.evaluate("window.__ran === undefined")
    assert any("script-src" in v for v in journey.page.evaluate("window.__csp"))
