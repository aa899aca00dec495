""""Mes formations": a training body's active members publish and change their organisation's courses, and no
other's; disabled members, members of organisations that do not teach, staff and the anonymous are kept out."""

import datetime as dt

import pytest
from django.utils import timezone

from partners.models import Course
from tescforce import roles
from tests import factories

from .course_rows import course, member, skill

pytestmark = pytest.mark.django_db
# The training bodies, the prescriber and their keys.
pytest_plugins = ["tests.partners.course_fixtures"]

NEW = "/fr/partenaires/formations/nouvelle/"


def form(**changes):
    today = timezone.localdate()
    data = {"title": "Analyste SOC", "summary": "Six mois en alternance.", "skills": [skill("SOC", "soc").pk],
            "city": "Toulouse", "starts_on": (today + dt.timedelta(days=30)).isoformat(),
            "ends_on": (today + dt.timedelta(days=200)).isoformat(), "fundings": ["region", "france_travail"],
            "link": "https://academie.example/soc", "is_published": "on", "title_en": "SOC analyst"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_member_publishes_a_course_that_the_public_list_shows(client, academy):
    client.force_login(member(academy, "claire").user)
    assert "Mes formations" in client.get("/fr/partenaires/formations/").content.decode()
    response = client.post(NEW, form())
    assert response.status_code == 302 and response["Location"] == "/fr/partenaires/formations/"
    saved = Course.objects.get(title="Analyste SOC")
    assert saved.partner == academy and saved.is_published and saved.created_by.username == "claire"
    assert saved.fundings == ["france_travail", "region"] and saved.title_en == "SOC analyst"
    assert list(saved.skills.values_list("slug", flat=True)) == ["soc"]
    listing = client.get("/fr/partenaires/formations/").content.decode()
    assert "« Analyste SOC » est publiée." in listing and "Analyste SOC" in listing
    assert 'class="table align-middle table-stack"' in listing  # rows read as blocks on a phone
    for label in ("Lieu", "Dates", "État"):
        assert listing.count(f'data-label="{label}"') == 1
    assert "Analyste SOC" in client.get("/en/formations/").content.decode().replace("SOC analyst", "Analyste SOC")


def test_a_member_changes_their_organisations_course_and_may_unpublish_it(client, academy):
    mine = course(academy, title="Python débutant")
    client.force_login(member(academy, "claire").user)
    page = client.get(f"/fr/partenaires/formations/{mine.pk}/").content.decode()
    assert 'value="Python débutant"' in page
    response = client.post(f"/fr/partenaires/formations/{mine.pk}/", form(title="Python confirmé", is_published=None))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.title == "Python confirmé" and not mine.is_published
    listing = client.get(response["Location"]).content.decode()
    assert "« Python confirmé » est enregistrée, sans être publiée." in listing and "Non publiée" in listing
    assert "Python confirmé" not in client.get("/fr/formations/").content.decode()


def test_another_organisations_course_answers_404_and_stays_as_it_was(client, academy, campus):
    theirs = course(campus, title="Front-end React", city="Montpellier")
    client.force_login(member(academy, "claire").user)
    assert client.get(f"/fr/partenaires/formations/{theirs.pk}/").status_code == 404
    assert client.post(f"/fr/partenaires/formations/{theirs.pk}/", form(title="Volée")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Front-end React"
    assert "Front-end React" not in client.get("/fr/partenaires/formations/").content.decode()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"link": "http://academie.example/soc"}, "link", "Saisissez une adresse qui commence par https://."),
    ({"ends_on": "2020-01-01"}, "ends_on", "La fin ne peut pas précéder le début."),
    ({"city": "", "online": None}, "city", "Indiquez une ville, ou cochez « à distance »."),
    ({"skills": []}, "skills", "Cochez au moins une compétence enseignée."),
    ({"starts_on": "31/02/2027"}, "starts_on", "Saisissez une date valide, par exemple 15/03/2027."),
    ({"title": ""}, "title", "Ce champ est obligatoire."),
])
def test_bad_input_is_refused_with_a_clear_message_and_saves_nothing(client, academy, changes, field, message):
    client.force_login(member(academy, "claire").user)
    response = client.post(NEW, form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Course.objects.exists()


def test_the_form_speaks_english_on_the_english_page(client, academy):
    client.force_login(member(academy, "claire").user)
    body = client.post("/en/partenaires/formations/nouvelle/", form(link="http://x.example")).content.decode()
    assert "Add a course" in body and "Enter an address that starts with https://." in body


def test_the_anonymous_never_see_the_page(client, academy):
    # Sent to the partner space's sign-in page, or refused where the site has none.
    course(academy, title="Python débutant", published=False)
    response = client.get("/fr/partenaires/formations/")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "next=/fr/partenaires/formations/" in response["Location"]
    assert "Python débutant" not in response.content.decode()
    assert client.post(NEW, form()).status_code in (302, 403)
    assert Course.objects.count() == 1


def test_who_may_not_publish_is_refused_and_saves_nothing(client, academy, agency, coordinator):
    # The partner space's gate: a member who left is signed out and sent to the sign-in page; a member of an
    # organisation that does not teach, and the staff, get the 403 page.
    disabled = member(academy, "ancien")
    disabled.disabled_at = timezone.now()
    disabled.save()
    removed = factories.UserFactory(username="sans-organisation", is_staff=False, groups=[roles.PARTNERS])
    for user in (disabled.user, removed):
        client.force_login(user)
        response = client.get("/fr/partenaires/formations/")
        assert response.status_code == 302 and response["Location"].startswith("/fr/partenaires/connexion/"), user
        assert "_auth_user_id" not in client.session
        client.force_login(user)
        assert client.post(NEW, form()).status_code == 302, user
    for user in (member(agency, "conseillere").user, coordinator):
        client.force_login(user)
        assert client.get("/fr/partenaires/formations/").status_code == 403, user
        assert client.post(NEW, form()).status_code == 403, user
    assert not Course.objects.exists()


def test_a_member_disabled_during_their_session_is_refused_at_their_next_request(client, academy):
    claire = member(academy, "claire")
    client.force_login(claire.user)
    assert client.get("/fr/partenaires/formations/").status_code == 200
    claire.disabled_at = timezone.now()
    claire.save()
    response = client.get("/fr/partenaires/formations/", follow=True)
    assert response.redirect_chain[0][0].startswith("/fr/partenaires/connexion/")
    assert "Votre accès à l&#x27;espace partenaire a été désactivé." in response.content.decode()


@pytest.mark.parametrize("kind", ["academy", "campus"])
def test_the_partner_space_links_mes_formations_for_training_bodies_and_schools(client, request, kind):
    partner = request.getfixturevalue(kind)
    client.force_login(member(partner, "claire").user)
    home = client.get("/fr/partenaires/").content.decode()
    assert 'href="/fr/partenaires/formations/"' in home
    page = client.get("/en/partenaires/formations/").content.decode()
    assert "My courses" in page and 'href="/en/partenaires/"' in page  # the partner space's menu, in English


def test_the_partner_space_offers_no_mes_formations_to_other_organisations(client, agency):
    client.force_login(member(agency, "conseillere").user)
    home = client.get("/fr/partenaires/")
    assert home.status_code == 200
    assert "/partenaires/formations/" not in home.content.decode()
