"""In a real browser: a visitor filters the courses on a phone, and the API's documentation (Swagger UI from our
own static files) works under the strict Content-Security-Policy."""

from playwright.sync_api import expect

from companies.models import Partner
from tests import factories
from tests.partners.course_rows import course

from .csp_watch import Watch
from .test_journey_partner import partner_sign_in


def test_a_visitor_filters_the_courses_on_a_phone(phone_journey):
    academy = factories.PartnerFactory(name="Académie du Code", city="Toulouse")
    course(academy, title="Docker en cinq jours", skills=("Docker",), funding_cpf=True)
    course(academy, title="Flutter à distance", skills=("Flutter",), city="", online=True, funding_free=True)
    page = phone_journey.page
    phone_journey.open("/fr/formations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Formations aux métiers du numérique")
    page.get_by_label("Financement").select_option("free")
    page.get_by_role("button", name="Rechercher").click()
    phone_journey.step("filtered on free courses")
    expect(page.get_by_role("heading", name="Flutter à distance")).to_be_visible()
    expect(page.get_by_role("heading", name="Docker en cinq jours")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="Financement : Gratuite pour la personne (retirer ce filtre)").click()
    expect(page.get_by_role("heading", name="Docker en cinq jours")).to_be_visible()


def test_the_api_documentation_works_under_the_content_security_policy(journey):
    watch = Watch(journey)
    watch.open("/api/docs/")
    page = journey.page
    expect(page.get_by_text("/api/v1/open/courses/", exact=True)).to_be_visible()
    page.get_by_text("/api/v1/open/courses/", exact=True).click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".responses-wrapper .response .response-col_status").first).to_contain_text("200")
    watch.collect()
    watch.assert_clean(opened=1)


def test_a_training_body_member_reaches_mes_formations_from_the_partner_space_on_a_phone(phone_journey):
    academy = factories.PartnerFactory(name="Académie du Code", kind=Partner.Kind.TRAINING, city="Toulouse")
    course(academy, title="Docker en cinq jours", skills=("Docker",), funding_cpf=True)
    member = factories.partner_member(academy, username="formatrice", email="formatrice@academie.example")
    page = partner_sign_in(phone_journey, "fr", member.user.username)
    page.get_by_role("link", name="Mes formations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes formations")
    phone_journey.step("Mes formations from the partner space's menu")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="Docker en cinq jours").click()
    page.get_by_label("Intitulé").first.fill("Docker et Compose en cinq jours")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("« Docker et Compose en cinq jours » est publiée.")).to_be_visible()
    # The partner space's menu stays, back to the referrals.
    page.get_by_role("link", name="Mes orientations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les personnes que vous avez orientées")
