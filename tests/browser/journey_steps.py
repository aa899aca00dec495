"""Small steps shared by the journeys: the words a person reads, e-mailed links, the admin login form."""

import re
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

LANGUAGES = ["fr", "en"]
PASSWORD = "correct-horse-battery-staple"  # tests/factories.py UserFactory's password
LINK = re.compile(r"https?://[^\s<>\"]+")


def tr(text: str, language: str) -> str:
    """What the site shows for `text` in `language`, read from the same catalogues the pages use."""
    with translation.override(language):
        return translation.gettext(text)


def exact(text: str, language: str) -> re.Pattern:
    """A pattern matching the translated text as a whole (a required field's label may end with "*")."""
    return re.compile(rf"^\s*{re.escape(tr(text, language))}\s*\*?\s*$")


def field(text: str, language: str) -> re.Pattern:
    """A form field's label: the model's verbose name, capitalised by the form, maybe with "*" or ":"."""
    return re.compile(rf"^\s*{re.escape(tr(text, language))}[\s*:]*$", re.I)


def starts(text: str, language: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(tr(text, language))}")


def emails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def link_from_email(address: str, contains: str, count_before: int = 0) -> str:
    """The path of the first link holding `contains` in the newest e-mail sent to `address`.

    The live server runs in this process with the locmem backend, so its mail lands in mail.outbox.
    E-mails carry absolute links on SITE_URL; the browser follows the same path on the live server.
    """
    messages = emails_to(address)
    assert len(messages) > count_before, f"no new e-mail to {address}"
    body = messages[-1].body
    for url in LINK.findall(body):
        if contains in url:
            parts = urlsplit(url)
            return parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(f"no link with {contains!r} in the e-mail to {address}:\n{body}")


def use_language(journey, language: str) -> None:
    """The language chosen earlier with the site's switcher (its cookie), for the unprefixed staff pages."""
    journey.page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                                       "url": journey.base_url}])


def admin_login(journey, user, language: str, path: str = "/admin/"):
    """Log in through the admin's username and password form (django-axes sees a real login POST)."""
    page = journey.page
    use_language(journey, language)
    journey.open(path, "login form")
    page.get_by_label(re.compile(re.escape(tr("username", language)), re.I)).fill(user.get_username())
    page.get_by_label(re.compile(re.escape(tr("Password", language)), re.I)).fill(PASSWORD)
    page.get_by_role("button", name=tr("Log in", language), exact=True).click()
    expect(page.get_by_role("button", name=tr("Log in", language), exact=True)).to_have_count(0)
    journey.step("logged in")
    return page


def pick_autocomplete(page, label, search: str, option) -> None:
    """Choose `option` in the admin's autocomplete (select2) box of the field labelled `label`."""
    # select2 hides the labelled <select> and shows its own combobox next to it, in the same row.
    # Its box says whether its list is open (aria-expanded), which the <select> does not: wait for it.
    page.get_by_label(label).locator("xpath=..").get_by_role("combobox", expanded=False).click()
    # select2 moves the focus to its search box just after opening its list: letters typed before then go
    # nowhere and the list stays on its first page (seen under load).
    expect(page.locator(".select2-container--open .select2-search__field")).to_be_focused()
    page.keyboard.type(search)
    page.get_by_role("option", name=option).click()


def reference_data() -> None:
    """Make sure the ROME job families and skills are there.

    A live-server test ends with a flush; Django's post-migrate hook then puts the roles back, so the
    shared fixture that reloads data after a flush finds the groups and skips the reference rows.
    """
    from django.apps import apps

    from companies.models import JobFamily
    from tescforce.reference_data import load_reference_data

    if not JobFamily.objects.exists():
        load_reference_data(apps)


class Clicks:
    """The clicks a person makes on the way to a task: a link or button, a box ticked, an option chosen in a
    list (one), an autocomplete (two: open it, pick). Typing is not counted."""

    def __init__(self):
        self.count = 0

    def click(self, locator) -> None:
        locator.click()
        self.count += 1

    def select(self, locator, **option) -> None:
        locator.select_option(**option)
        self.count += 1

    def check(self, locator) -> None:
        locator.check()
        self.count += 1

    def autocomplete(self, page, label, search: str, option) -> None:
        pick_autocomplete(page, label, search, option)
        self.count += 2


def staff_login(journey, user, language: str, clicks: Clicks):
    """Sign in at /admin/ as the README says; the person lands on their desk (one click: "Log in")."""
    page = admin_login(journey, user, language)
    clicks.count += 1
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Mon bureau", language))
    return page


def serious_violations(page) -> list:
    """axe-core's serious and critical violations on the page, each with its first three targets."""
    found = Axe().run(page, options={"resultTypes": ["violations"]}).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in found if v["impact"] in {"serious", "critical"}]
