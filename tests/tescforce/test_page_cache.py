"""Cached public fragments: an edit shows at once in both languages; nothing about the visitor is cached."""

import pytest
from django.test import Client

from tests.factories import JobPostingFactory, SectorFactory, SessionFactory, UseCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shown():
    return {
        "posting": JobPostingFactory(title="Data engineer Toulouse"),
        "session": SessionFactory(title="Job dating Montpellier", is_published=True),
        "use_case": UseCaseFactory(title="Jumeau numérique", title_en="Digital twin", is_featured=True,
                                   sector=SectorFactory()),
    }


def _both(client, path_fr: str, path_en: str) -> tuple[str, str]:
    return client.get(path_fr).content.decode(), client.get(path_en).content.decode()


def test_home_shows_a_posting_edit_at_once_in_both_languages(client, shown):
    fr, en = _both(client, "/fr/", "/en/")
    assert "Data engineer Toulouse" in fr and "Data engineer Toulouse" in en

    posting = shown["posting"]
    posting.title = "Architecte cloud"
    posting.save()
    fr, en = _both(client, "/fr/", "/en/")
    assert "Architecte cloud" in fr and "Architecte cloud" in en
    assert "Data engineer Toulouse" not in fr and "Data engineer Toulouse" not in en


def test_home_shows_session_use_case_and_company_edits_at_once(client, shown):
    _both(client, "/fr/", "/en/")
    session = shown["session"]
    session.title = "Forum Toulouse"
    session.save()
    use_case = shown["use_case"]
    use_case.title_en = "Predictive maintenance"
    use_case.save()
    company = shown["posting"].company
    company.name = "Nouvelle Entreprise"
    company.save()
    fr, en = _both(client, "/fr/", "/en/")
    assert "Forum Toulouse" in fr and "Forum Toulouse" in en
    assert "Predictive maintenance" in en and "Jumeau numérique" in fr
    assert "Nouvelle Entreprise" in fr and "Nouvelle Entreprise" in en


def test_home_drops_a_deleted_or_unpublished_item_at_once(client, shown):
    _both(client, "/fr/", "/en/")
    shown["session"].delete()
    use_case = shown["use_case"]
    use_case.is_published = False
    use_case.save()
    fr, en = _both(client, "/fr/", "/en/")
    assert "Job dating Montpellier" not in fr and "Job dating Montpellier" not in en
    assert "Jumeau numérique" not in fr and "Digital twin" not in en


def test_home_cache_holds_nothing_about_the_visitor(client_for, coordinator, shown):
    staff_page = client_for(coordinator).get("/fr/").content.decode()
    assert 'href="/admin/"' in staff_page  # the staff see their links...
    anonymous = Client().get("/fr/").content.decode()
    assert "Data engineer Toulouse" in anonymous  # ...served from the same cached fragment
    assert 'href="/admin/"' not in anonymous
    assert coordinator.username not in anonymous


def _csrf_token(body: str) -> str:
    import re

    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


def test_job_page_shows_posting_and_company_edits_at_once_in_both_languages(client, shown):
    posting = shown["posting"]
    url = posting.get_absolute_url()
    fr, en = _both(client, url, url.replace("/fr/", "/en/", 1))
    assert "Data engineer Toulouse" in fr and "Data engineer Toulouse" in en

    posting.description = "Nouvelle description du poste."
    posting.save()
    company = posting.company
    company.name = "Entreprise Renommée"
    company.save()
    fr, en = _both(client, url, url.replace("/fr/", "/en/", 1))
    # Markup of the cached parts only (the title, meta description and JSON-LD are rendered per request).
    assert "<p>Nouvelle description du poste.</p>" in fr and "<p>Nouvelle description du poste.</p>" in en
    assert fr.count(">Entreprise Renommée</a>") == 2 and en.count(">Entreprise Renommée</a>") == 2


def test_job_page_shows_a_new_skill_at_once(client, shown):
    from tests.factories import SkillFactory

    posting = shown["posting"]
    client.get(posting.get_absolute_url())
    posting.skills_nice.add(SkillFactory(name="Zorglub Ops"))
    assert ">Zorglub Ops</a>" in client.get(posting.get_absolute_url()).content.decode()


def test_job_page_form_keeps_each_visitors_own_csrf_token(shown):
    url = shown["posting"].get_absolute_url()
    Client(enforce_csrf_checks=True).get(url)  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    body = visitor.get(url).content.decode()
    response = visitor.post(f"{url}interet/", {"email": "x@example.org", "csrfmiddlewaretoken": _csrf_token(body)})
    assert response.status_code == 302  # accepted: the token in the page is this visitor's


def test_company_page_shows_edits_at_once_in_both_languages(client, shown):
    company = shown["posting"].company
    url = company.get_absolute_url()
    _both(client, url, url.replace("/fr/", "/en/", 1))
    company.description_fr = "Éditeur de logiciels toulousain."
    company.description_en = "Software publisher in Toulouse."
    company.save()
    shown["posting"].delete()
    fr, en = _both(client, url, url.replace("/fr/", "/en/", 1))
    assert "Éditeur de logiciels toulousain." in fr and "Software publisher in Toulouse." in en
    assert "Data engineer Toulouse" not in fr and "Data engineer Toulouse" not in en


def test_sessions_list_shows_a_booking_and_an_edit_at_once_in_both_languages(client, shown):
    from tests.factories import RegistrationFactory

    session = shown["session"]
    session.capacity = 2
    session.save()
    fr, en = _both(client, "/fr/sessions/", "/en/sessions/")
    assert "2 places restantes" in fr and "2 seats left" in en

    RegistrationFactory(session=session)
    session.title = "Forum Toulouse"
    session.save(update_fields=["title"])
    fr, en = _both(client, "/fr/sessions/", "/en/sessions/")
    assert "1 place restante" in fr and "1 seat left" in en
    assert "Forum Toulouse" in fr and "Forum Toulouse" in en
    assert "Job dating Montpellier" not in fr and "Job dating Montpellier" not in en


def test_session_page_shows_a_company_at_once_and_keeps_each_visitors_csrf_token(shown):
    from events.models import SessionCompany

    session = shown["session"]
    url = session.get_absolute_url()
    Client(enforce_csrf_checks=True).get(url)
    Client(enforce_csrf_checks=True).get(url.replace("/fr/", "/en/", 1))  # fills the cache
    SessionCompany.objects.create(session=session, company=shown["posting"].company)
    visitor = Client(enforce_csrf_checks=True)
    fr = visitor.get(url).content.decode()
    en = visitor.get(url.replace("/fr/", "/en/", 1)).content.decode()
    name = shown["posting"].company.name
    assert f">{name}</a>" in fr and f">{name}</a>" in en
    response = visitor.post(f"{url}reserver/", {"email": "x@example.org", "csrfmiddlewaretoken": _csrf_token(fr)})
    assert response.status_code == 302  # accepted: the token in the page is this visitor's


def test_sessions_list_shows_a_rebooking_at_once(client, shown):
    # Booking again after a cancellation is a plain UPDATE (no signal): the service moves the version itself.
    from events.models import Registration
    from events.services import registration_book
    from tests.factories import RegistrationFactory

    session = shown["session"]
    session.capacity = 2
    session.save()
    registration = RegistrationFactory(session=session, status=Registration.Status.CANCELLED)
    assert "2 places restantes" in client.get("/fr/sessions/").content.decode()
    registration_book(session=session, candidate=registration.candidate)
    assert "1 place restante" in client.get("/fr/sessions/").content.decode()
    assert "1 seat left" in client.get("/en/sessions/").content.decode()


def test_session_page_seats_left_follow_bookings_and_cancellations_at_once(client, shown):
    from events.models import Registration
    from events.services import registration_book, registration_cancel
    from tests.factories import CandidateFactory

    session = shown["session"]
    session.capacity = 2
    session.save()
    url = session.get_absolute_url()
    en_url = url.replace("/fr/", "/en/", 1)
    assert "2 places restantes" in client.get(url).content.decode()
    assert "2 seats left" in client.get(en_url).content.decode()
    first = registration_book(session=session, candidate=CandidateFactory())
    assert "1 place restante" in client.get(url).content.decode()
    registration_book(session=session, candidate=CandidateFactory())
    assert "Complet" in client.get(url).content.decode()
    assert "Full" in client.get(en_url).content.decode()
    registration_cancel(registration=Registration.objects.get(pk=first.pk))
    # The waitlist is empty: the freed seat shows at once.
    assert "1 place restante" in client.get(url).content.decode()


def test_showroom_list_and_search_show_edits_at_once_in_both_languages(client, shown):
    use_case = shown["use_case"]
    fr, en = _both(client, "/fr/showroom/", "/en/showroom/")
    assert "Jumeau numérique" in fr and "Digital twin" in en
    _both(client, "/fr/showroom/?q=satellite", "/en/showroom/?q=satellite")

    use_case.title_fr, use_case.title_en = "Imagerie satellite", "Satellite imaging"
    use_case.save()
    fr, en = _both(client, "/fr/showroom/", "/en/showroom/")
    assert "Imagerie satellite" in fr and "Satellite imaging" in en
    fr, en = _both(client, "/fr/showroom/?q=satellite", "/en/showroom/?q=satellite")
    assert "Imagerie satellite" in fr and "Satellite imaging" in en


def test_use_case_page_shows_edits_at_once_and_keeps_each_visitors_csrf_token(shown):
    from showroom.models import Technology

    use_case = shown["use_case"]
    url = use_case.get_absolute_url()
    Client().get(url)
    Client().get(url.replace("/fr/", "/en/", 1))  # fills the cache
    use_case.technologies.add(Technology.objects.create(name_fr="Vision Zorglub", name_en="Zorglub Vision",
                                                               slug="zorglub-vision"))
    use_case.body_fr, use_case.body_en = "Nouveau récit du projet.", "New story of the project."
    use_case.save()
    visitor = Client(enforce_csrf_checks=True)
    fr = visitor.get(url).content.decode()
    en = visitor.get(url.replace("/fr/", "/en/", 1)).content.decode()
    assert "<p>Nouveau récit du projet.</p>" in fr and "<p>New story of the project.</p>" in en
    assert "Vision Zorglub" in fr and "Zorglub Vision" in en
    response = visitor.post(f"{url}contact/", {
        "name": "Ada", "email": "ada@example.org", "organisation": "Acme", "message": "Bonjour",
        "csrfmiddlewaretoken": _csrf_token(fr)})
    assert response.status_code != 403  # the token in the page is this visitor's


def test_use_case_contact_form_cached_country_list_and_a_refused_form_keeps_its_choice(client, shown):
    url = shown["use_case"].get_absolute_url()
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()  # the country list from the cache
    assert ">Allemagne</option>" in second
    assert first.count("<option") == second.count("<option")
    assert '<option value="DE" selected>' not in second
    response = client.post(f"{url}contact/", {"name": "", "email": "bad", "country": "DE", "message": ""})
    assert '<option value="DE" selected>' in response.content.decode()  # a refused form keeps its choice


def test_job_page_structured_data_shows_a_new_skill_at_once(client, shown):
    from tests.factories import SkillFactory

    posting = shown["posting"]
    client.get(posting.get_absolute_url())
    posting.skills_required.add(SkillFactory(name="Zorglub Data"))
    body = client.get(posting.get_absolute_url()).content.decode()
    structured = body[body.index("application/ld+json"):body.index("</script>", body.index("application/ld+json"))]
    assert "Zorglub Data" in structured


def test_use_case_unpublished_from_the_admin_action_leaves_the_cached_pages_at_once(client_for, coordinator, shown):
    # The admin action is a queryset UPDATE (no signal): it moves the versions itself.
    use_case = shown["use_case"]
    anonymous = Client()
    for path in ("/fr/", "/en/", "/fr/showroom/", "/en/showroom/"):
        anonymous.get(path)
    response = client_for(coordinator).post("/admin/showroom/usecase/", {
        "action": "unpublish", "_selected_action": [use_case.pk]})
    assert response.status_code == 302
    for path in ("/fr/", "/fr/showroom/"):
        assert "Jumeau numérique" not in anonymous.get(path).content.decode()
    for path in ("/en/", "/en/showroom/"):
        assert "Digital twin" not in anonymous.get(path).content.decode()
