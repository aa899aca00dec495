"""Phone first: no page scrolls sideways at 320 and 390 px, and the main actions are big enough to tap.

One test per language walks every public page (found in the URL configuration, as the accessibility
test does), every page of "Mon espace" of a signed-in candidate with a booking and an interest, and our
404, 405, 500, 429 and 403 pages. Each page is loaded once and measured at both widths (the viewport is
resized, the layout follows).

Text running out of its own box (a figure that cannot wrap) is reported too.

Tap targets (WCAG 2.5.5, 44 × 44 CSS px): measured on the buttons of main content, the form
buttons, and the header's menu button and links once the menu is open; every link of main content that
stands on its own (list entries, card titles, breadcrumbs, a paragraph of one link) and every checkbox or
radio label must be 44 px high.
Links inside a sentence are left out (WCAG 2.5.8 exempts them), and so are the footer's links.
"""

import pytest
from django.conf import settings
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories

from . import pages

WIDTHS = [320, 390]
TAP = 44
SPACE_PAGES = ["candidates:space_home", "candidates:space_profile", "candidates:space_erase"]

# A phone browser zooms out to fit a page wider than the screen (innerWidth then grows with it), so
# the page is measured against the width of the screen it was given.
OVERFLOW_JS = """(width) => {
  const culprits = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1 && !el.closest('pre')) {
      culprits.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ends at ${Math.round(box.right)}`);
    }
  }
  // Text running out of its own box (a long word, a figure that cannot wrap) without widening the page.
  const spilling = [];
  for (const el of document.querySelectorAll('main *, header *')) {
    const style = getComputedStyle(el);
    if (style.overflowX !== 'visible' || style.display === 'inline' || el.closest('pre, .table-responsive')) continue;
    if (el.closest('.visually-hidden, [aria-hidden=true]')) continue;  // the honeypot is off-screen on purpose
    // Only boxes holding text of their own: a container is wider only through a child (or a row's gutters).
    const ownText = [...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (ownText && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      spilling.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}"`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, culprits: culprits.slice(0, 6),
          spilling: spilling.slice(0, 6)};
}"""

# The main actions: buttons (and links styled as buttons) in main content and the header's navigation, at
# least 44 × 44; and every link of main content standing on its own (a list entry, a card title, a breadcrumb,
# pagination) at least 44 px high, its box or its padding. A link inside a sentence is exempt (WCAG 2.5.8).
SMALL_TARGETS_JS = """(tap) => {
  const toggler = document.querySelector('.navbar-toggler');
  if (toggler && toggler.getAttribute('aria-expanded') === 'false') toggler.click();
  const targets = document.querySelectorAll(
    'main .btn, main button, main input[type=submit], .navbar .nav-link, .navbar .btn, .navbar-toggler, .navbar-brand');
  const small = [];
  const words = (el) => el.textContent.replace(/\\s+/g, ' ').trim();
  const name = (el) => words(el).slice(0, 40);
  const hidden = (el) => el.closest('[hidden], .visually-hidden, [aria-hidden=true]');
  for (const el of targets) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || hidden(el)) continue;
    if (box.height < tap - 0.5 || box.width < tap - 0.5) {
      small.push(`${el.tagName.toLowerCase()} "${name(el)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  for (const link of document.querySelectorAll('main a[href]')) {
    if (link.matches('.btn') || hidden(link)) continue;
    const box = link.getBoundingClientRect();
    if (box.width === 0) continue;
    const sentence = link.closest('p');
    if (sentence && words(sentence) !== words(link)) continue;
    if (box.height < tap - 0.5) {
      small.push(`a "${name(link)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  // A checkbox or radio is tapped through its label, which must be as tall.
  for (const label of document.querySelectorAll('main .form-check-label')) {
    const box = label.getBoundingClientRect();
    if (box.width === 0 || hidden(label)) continue;
    if (box.height < tap - 0.5) small.push(`label "${name(label)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
  }
  if (toggler && toggler.getAttribute('aria-expanded') === 'true') toggler.click();
  return small.slice(0, 12);
}"""


def _candidate_with_history():
    """A signed-in candidate's space with rows in every table (a booking and an interest)."""
    from candidates.models import JobInterest
    from candidates.tokens import make_token

    candidate = factories.CandidateFactory(first_name="Marie-Amélie", last_name="de La Rochefoucauld-Mirabeau")
    session = factories.SessionFactory(title="Job dating numérique responsable de Toulouse Métropole",
                                       city="Castelnau-d'Estrétefonds")
    factories.RegistrationFactory(session=session, candidate=candidate)
    posting = factories.JobPostingFactory(title="Développeur·se full-stack Python/Django confirmé·e")
    JobInterest.objects.create(candidate=candidate, posting=posting)
    return make_token(candidate_public_id=candidate.public_id, purpose="space", data={})


def _measure(journey, path: str, problems: list[str]) -> None:
    page = journey.page
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        found = page.evaluate(OVERFLOW_JS, width)
        if max(found["scroll"], found["inner"]) > width:
            problems.append(f"{path} at {width}px is {found['scroll']}px wide: {found['culprits']}")
        if found["spilling"]:
            problems.append(f"{path} at {width}px has text wider than its box: {found['spilling']}")
        small = page.evaluate(SMALL_TARGETS_JS, TAP)
        if small:
            problems.append(f"{path} at {width}px has tap targets under {TAP}px: {small}")


def _space_pages() -> list[str]:
    """Mon espace's pages without arguments (the signed link, sign-out and downloads left out)."""
    skip = ("space_enter", "space_logout", "download", "export", "space_request", "space_sent")
    return [name for name in pages.public_pages() if "space" in name and not pages.has_arguments(name)
            and not any(word in name for word in skip)]


def _measure_error_pages(journey, language: str, problems: list[str], monkeypatch) -> list[str]:
    """Our 404, 405, 403, 429 and 500 pages, as a visitor meets them."""
    page, checked = journey.page, []
    missing = f"/{language}/cette-page-n-existe-pas/"
    assert page.goto(journey.url(missing)).status == 404
    checked.append(missing)
    _measure(journey, missing, problems)

    # 405: a form's address opened as a link.
    form_target = pages.page_path("events:session_book", language)
    assert page.goto(journey.url(form_target)).status == 405
    checked.append(form_target)
    _measure(journey, form_target, problems)

    # 500: the page the server sends when a view fails (rendered without a database, as in production).
    with translation.override(language):
        broken = f"/{language}/erreur-serveur/"
        html = loader.get_template("errors/500.html").render({"request_path": broken})
    page.route(journey.url(broken), lambda route: route.fulfill(status=500, body=html, content_type="text/html"))
    assert page.goto(journey.url(broken)).status == 500
    checked.append(broken)
    _measure(journey, broken, problems)

    # 429: a rate-limited download.
    monkeypatch.setattr("django_ratelimit.decorators.is_ratelimited", lambda *args, **kwargs: True)
    limited = pages.page_path("showroom:usecase_sheet_pdf", language)
    assert page.goto(journey.url(limited)).status == 429
    checked.append(limited)
    _measure(journey, limited, problems)

    # 403: signed in on the staff side without the role a tool needs.
    journey.page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                                       "url": journey.base_url}])
    journey.login(factories.UserFactory(username=f"sans-role-{language}", is_staff=True))
    denied = reverse("staff:dashboard")
    assert page.goto(journey.url(denied)).status == 403
    checked.append(denied)
    _measure(journey, denied, problems)
    return checked


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_page_scrolls_sideways_on_a_phone_and_main_actions_are_big_enough(phone_journey, language, monkeypatch):
    journey, client = phone_journey, Client()
    problems, checked = [], []
    names = [n for n in pages.public_pages() if n not in ("candidates:space_enter", "hotline:relocation_space_enter")]
    for name in names:
        path = pages.page_path(name, language)
        if path is None or pages.open_page(journey.page, journey.url(path)):
            continue
        checked.append(path)
        _measure(journey, path, problems)


    # Mon espace, signed in through the e-mailed link: every page of it the URL configuration names.
    with translation.override(language):
        enter = reverse("candidates:space_enter", kwargs={"token": _candidate_with_history()})
    journey.page.goto(journey.url(enter))
    for name in _space_pages():
        path = pages.page_path(name, language)
        if client.get(path).status_code == 405:
            continue  # a form's target (POST only)
        response = journey.page.goto(journey.url(path))
        assert response.ok and journey.page.url.endswith(path), f"{path} not reached: {journey.page.url}"
        checked.append(path)
        _measure(journey, path, problems)
    assert set(SPACE_PAGES) <= {name for name in _space_pages()}
    journey.page.set_viewport_size({"width": 390, "height": 800})
    journey.open(pages.page_path("candidates:space_home", language), "space home")

    checked += _measure_error_pages(journey, language, problems, monkeypatch)

    print(f"checked {len(checked)} pages")
    assert len(checked) > 20
    assert not problems, "\n" + "\n".join(problems)
