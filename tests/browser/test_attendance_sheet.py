"""The attendance sheet a coordinator opens on a phone at the door: the page stays put, the table scrolls alone."""

import pytest

from tests import factories

from .journey_steps import serious_violations

# The page's own width against the viewport's, and the table's box: wider than it shows, and scrollable.
WIDTHS_JS = """() => {
  const box = document.querySelector('.sheet-table');
  return {page: document.documentElement.scrollWidth, inner: window.innerWidth,
          table: box.scrollWidth, shown: box.clientWidth};
}"""


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_sheet_scrolls_its_table_not_the_page_on_a_phone(phone_journey, coordinator, lang):
    session = factories.SessionFactory(title="Job dating numérique responsable de Toulouse Métropole")
    for n in range(3):
        factories.RegistrationFactory(session=session, candidate=factories.CandidateFactory(
            first_name="Marie-Amélie", last_name=f"de La Rochefoucauld-Mirabeau {n}"))
    journey = phone_journey
    journey.page.context.add_cookies([{"name": "django_language", "value": lang, "url": journey.base_url}])
    journey.login(coordinator)
    journey.open(f"/admin/events/session/{session.pk}/emargement/", screenshot=False)
    found = journey.page.evaluate(WIDTHS_JS)
    assert found["page"] <= found["inner"] == 390, found
    assert found["table"] > found["shown"], found  # the columns did not fit: the box scrolls them
    # The scrolling box is reached with the keyboard and named after the table.
    assert serious_violations(journey.page) == []
