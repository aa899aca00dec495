"""Texts written in French and, when someone wrote it, in English: the English page shows the English text,
or the French one with lang="fr" and a visible "in French" mark; the French page never shows the mark."""

import json
import re

import pytest
from django.utils import translation

from candidates.models import JobInterest
from candidates.tokens import make_token
from companies.models import JobFamily
from events.emails import send_registration_email
from showroom.models import Sector
from tescforce import translated
from tescforce.reference_data import ROME_JOB_FAMILIES, ROME_JOB_FAMILIES_EN
from tests import factories

pytestmark = pytest.mark.django_db

MARK_EN = "in French</span>"
MARK_FR = "en français</span>"


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_english_session_page_shows_the_english_title_and_programme(client):
    session = factories.SessionFactory(title="Job dating cybersécurité", title_en="Cybersecurity job dating",
                                       programme_text="Accueil et rencontres.",
                                       programme_text_en="Welcome and meetings.")
    html = _page(client, f"/en/sessions/{session.pk}/")
    assert "<h1>Cybersecurity job dating" in html and "Welcome and meetings." in html
    assert "Job dating cybersécurité" not in html and MARK_EN not in html
    french = _page(client, f"/fr/sessions/{session.pk}/")
    assert "<h1>Job dating cybersécurité" in french and "Accueil et rencontres." in french
    assert "Cybersecurity" not in french


def test_session_without_english_text_shows_the_french_one_marked_on_the_english_page_only(client):
    session = factories.SessionFactory(title="Job dating SAP et ERP", programme_text="Accueil et rencontres.")
    html = _page(client, f"/en/sessions/{session.pk}/")
    assert '<h1><span lang="fr">Job dating SAP et ERP</span> <span class="badge' in html
    assert '<div lang="fr"><p>Accueil et rencontres.</p></div>' in html
    assert MARK_EN in html and "The programme is only available in French." in html
    listing = _page(client, "/en/sessions/")
    assert '<span lang="fr">Job dating SAP et ERP</span></a> <span class="badge' in listing
    for path in (f"/fr/sessions/{session.pk}/", "/fr/sessions/", "/fr/"):
        french = _page(client, path)
        assert MARK_FR not in french and 'lang="fr">Job dating' not in french, path


def test_posting_in_english_when_the_company_wrote_it(client):
    posting = factories.JobPostingFactory(title="Développeur·se Python", title_en="Python developer",
                                          description="Vous rejoignez une équipe.", description_en="You join a team.")
    french_url = posting.get_absolute_url()
    html = _page(client, french_url.replace("/fr/", "/en/"))
    assert '<h1 id="posting-title"><span>Python developer</span>' in html and "You join a team." in html
    assert MARK_EN not in html and "Vous rejoignez" not in html
    # The job data for search engines says what the page says.
    data = json.loads(re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert data["title"] == "Python developer" and "You join a team." in data["description"]
    board = _page(client, "/en/offres/")
    assert ">Python developer</a>" in board and MARK_EN not in board


def test_posting_without_english_text_is_marked_in_french(client):
    posting = factories.JobPostingFactory(title="Développeur·se Python", description="Vous rejoignez une équipe.")
    french_url = posting.get_absolute_url()
    html = _page(client, french_url.replace("/fr/", "/en/"))
    assert '<span lang="fr">Développeur·se Python</span> <span class="badge' in html
    assert '<div class="posting-description mb-4" lang="fr"><p>Vous rejoignez une équipe.</p></div>' in html
    assert "The company described this job in French." in html
    board = _page(client, "/en/offres/")
    assert '<span lang="fr">Développeur·se Python</span></a> <span class="badge' in board and MARK_EN in board
    french = _page(client, french_url)
    assert MARK_FR not in french and 'lang="fr">Développeur' not in french
    assert MARK_FR not in _page(client, "/fr/offres/")


def test_use_case_without_english_text_is_marked_in_french(client):
    use_case = factories.UseCaseFactory(title="Jumeau numérique d'atelier", summary="Maintenance prédictive.")
    html = _page(client, f"/en/showroom/{use_case.slug}/")
    assert "<h1><span lang=\"fr\">Jumeau numérique d&#x27;atelier</span> <span class=\"badge" in html
    assert '<p class="lead" lang="fr">Maintenance prédictive.</p>' in html
    assert MARK_FR not in _page(client, f"/fr/showroom/{use_case.slug}/")
    use_case.title_en, use_case.summary_en, use_case.body_en = "Workshop digital twin", "Predictive upkeep.", "Text."
    use_case.save()
    html = _page(client, f"/en/showroom/{use_case.slug}/")
    assert "<h1>Workshop digital twin " in html and MARK_EN not in html


def test_every_shipped_job_family_has_its_english_label():
    assert set(ROME_JOB_FAMILIES_EN) == {code for code, _label in ROME_JOB_FAMILIES}
    assert not JobFamily.objects.filter(label_en="").exists()
    assert JobFamily.objects.get(code="M1805").label_en == "Software design and development"


def _family_labels(html: str) -> list[str]:
    block = html.split('id="div_id_desired_job_families"', 1)[1].split("</fieldset>", 1)[0]
    return [label.strip() for label in re.findall(r'class="form-check-label">\s*([^<]+?)\s*</label>', block)]


def test_registration_lists_job_families_in_the_visitors_language_sorted_with_accents_in_place(client):
    english = _family_labels(_page(client, "/en/inscription/"))
    assert "Software design and development" in english and "Études et développement informatique" not in english
    assert english == sorted(english, key=str.casefold)
    french = [label.replace("&#x27;", "'") for label in _family_labels(_page(client, "/fr/inscription/"))]
    assert "Études et développement informatique" in french
    # "Études" among the E, after "Direction" and before "Expertise" and "Formation", not after "Réalisation".
    expertise = "Expertise et support en systèmes d'information"
    for before, after in (("Direction des systèmes d'information", "Études et développement informatique"),
                          ("Études et prospectives socio-économiques", expertise),
                          (expertise, "Formation professionnelle")):
        assert french.index(before) < french.index(after)


def test_board_filter_names_the_job_families_in_english(client):
    factories.JobPostingFactory()
    html = _page(client, "/en/offres/")
    assert "M1805 – Software design and development" in html
    assert "M1805 – Études et développement informatique" in _page(client, "/fr/offres/")


def test_shown_reads_both_kinds_of_translated_fields():
    session = factories.SessionFactory(title="Atelier", title_en="")
    use_case = factories.UseCaseFactory(title="Jumeau numérique")
    with translation.override("en"):
        assert translated.shown(session, "title") == translated.Shown("Atelier", in_french=True)
        assert translated.shown(use_case, "title") == translated.Shown("Jumeau numérique", in_french=True)
        session.title_en = "Workshop"
        assert translated.shown(session, "title") == translated.Shown("Workshop")
    with translation.override("fr"):
        assert translated.shown(session, "title") == translated.Shown("Atelier")
        assert str(translated.mark(translated.shown(session, "title"))) == ""


def test_reference_names_sort_with_accents_in_place_in_lists_and_admin_filters(client_for, coordinator):
    for name, slug in (("Énergie", "energie-t"), ("Éducation", "education-t"), ("Finance", "finance-t"),
                       ("Aéronautique", "aero-t"), ("Transport", "transport-t")):
        Sector.objects.update_or_create(slug=slug, defaults={"name": name, "name_fr": name})
    names = [s.name for s in Sector.objects.filter(slug__endswith="-t")]
    assert names == ["Aéronautique", "Éducation", "Énergie", "Finance", "Transport"]
    html = client_for(coordinator).get("/admin/showroom/usecase/").content.decode()
    assert html.index("Éducation") < html.index("Énergie") < html.index("Finance") < html.index("Transport")


def test_mon_espace_lists_bookings_and_interests_in_english(client):
    candidate = factories.CandidateFactory()
    session = factories.SessionFactory(title="Job dating cybersécurité", title_en="Cybersecurity job dating")
    factories.RegistrationFactory(session=session, candidate=candidate)
    posting = factories.JobPostingFactory(title="Analyste SOC")
    JobInterest.objects.create(candidate=candidate, posting=posting)
    token = make_token(candidate_public_id=candidate.public_id, purpose="space", data={})
    client.get(f"/en/mon-espace/lien/{token}/")
    html = _page(client, "/en/mon-espace/accueil/")
    assert "Cybersecurity job dating" in html and "Job dating cybersécurité" not in html
    assert '<span lang="fr">Analyste SOC</span></a> <span class="badge' in html


@pytest.mark.parametrize(("language", "title", "other"), [
    ("en", "Cybersecurity job dating", "Job dating cybersécurité"),
    ("fr", "Job dating cybersécurité", "Cybersecurity job dating")])
def test_booking_email_and_its_calendar_name_the_session_in_the_candidates_language(mailoutbox, language, title, other):
    session = factories.SessionFactory(title="Job dating cybersécurité", title_en="Cybersecurity job dating",
                                       programme_text="Accueil.", programme_text_en="Welcome.")
    registration = factories.RegistrationFactory(session=session,
                                                 candidate=factories.CandidateFactory(language=language))
    send_registration_email(registration=registration, kind="confirmed")
    message = mailoutbox[-1]
    assert title in message.subject and title in message.body and other not in message.body
    calendar = message.attachments[0][1]
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert f"SUMMARY:{title}" in calendar.replace("\r\n ", "")
