"""Phone first: no page scrolls sideways at 320 and 390 px, and the main actions are big enough to tap.

One test per language walks every public page (found in the URL configuration, as the accessibility
test does) and the pages of "Mon espace" of a candidate with a booking and an interest. Each page is
loaded once and measured at both widths (the viewport is resized, the layout follows).

Text running out of its own box (a figure that cannot wrap) is reported too.

Tap targets (WCAG 2.5.5, 44 × 44 CSS px): measured on the buttons of main content, the form
buttons, and the header's menu button and links once the menu is open. Links inside running text
are left out (WCAG exempts them), and so are the footer's links.
"""

import pytest
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

# The main actions: buttons (and links styled as buttons) in main content and the header's navigation.
SMALL_TARGETS_JS = """(tap) => {
  const toggler = document.querySelector('.navbar-toggler');
  if (toggler && toggler.getAttribute('aria-expanded') === 'false') toggler.click();
  const targets = document.querySelectorAll(
    'main .btn, main button, main input[type=submit], .navbar .nav-link, .navbar .btn, .navbar-toggler, .navbar-brand');
  const small = [];
  for (const el of targets) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || el.closest('[hidden], .visually-hidden')) continue;
    if (box.height < tap - 0.5 || box.width < tap - 0.5) {
      const size = `${Math.round(box.width)}×${Math.round(box.height)}`;
      small.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}" ${size}`);
    }
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


def _html(client: Client, path: str) -> bool:
    response = client.get(path, follow=True)
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_page_scrolls_sideways_on_a_phone_and_main_actions_are_big_enough(phone_journey, language):
    journey, client = phone_journey, Client()
    problems, checked = [], []
    names = [n for n in pages.public_pages() if n not in ("candidates:space_enter", "hotline:relocation_space_enter")]
    for name in names:
        path = pages.page_path(name, language)
        if path is None or not _html(client, path):
            continue
        journey.page.goto(journey.url(path))
        checked.append(path)
        _measure(journey, path, problems)

    # Our own 404 page.
    missing = f"/{language}/cette-page-n-existe-pas/"
    assert journey.page.goto(journey.url(missing)).status == 404
    _measure(journey, missing, problems)

    # Mon espace, signed in through the e-mailed link.
    with translation.override(language):
        enter = reverse("candidates:space_enter", kwargs={"token": _candidate_with_history()})
    journey.page.goto(journey.url(enter))
    for name in SPACE_PAGES:
        path = pages.page_path(name, language)
        response = journey.page.goto(journey.url(path))
        assert response.ok and journey.page.url.endswith(path), f"{path} not reached: {journey.page.url}"
        checked.append(path)
        _measure(journey, path, problems)
    journey.page.set_viewport_size({"width": 390, "height": 800})
    journey.open(pages.page_path("candidates:space_home", language), "space home")

    print(f"checked {len(checked)} pages")
    assert len(checked) > 20
    assert not problems, "\n" + "\n".join(problems)
