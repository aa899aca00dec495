"""Badges on A4 sheets of Avery L7173 labels: who gets one, in which order, where each lands, and who may print them."""

import datetime as dt
import html

import pytest
from django.utils import timezone

from events import badges, services
from events.errors import BookingError
from events.models import Registration, SessionCompany
from tests import factories
from tests.pdf_text import blocks_with_class, box_mm, page_texts

pytestmark = pytest.mark.django_db

URL = "/pilotage/sessions/{}/badges/"


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def day(db):
    """A session with people in every state, a company with two recruiters named (one disabled), one with none."""
    session = factories.SessionFactory(title="Job dating Toulouse", capacity=10)

    def book(first, last, **fields):
        person = factories.CandidateFactory(first_name=first, last_name=last, **fields)
        return services.registration_book(session=session, candidate=person)

    people = {
        "zoe": book("Zoé", "Émery"),
        "romain": book("Romain", "Barthe"),
        "jean": book("Jean", "Barthe"),
        "anne": book("Anne", "aubert"),
        "left": book("Paul", "Annulé"),
        "erased": book("Effacée", "Personne"),
    }
    services.registration_cancel(registration=people["left"])
    people["erased"].candidate.__class__.objects.filter(pk=people["erased"].candidate_id).update(
        anonymised_at=timezone.now())
    Registration.objects.filter(pk=people["anne"].pk).update(status=Registration.Status.ATTENDED,
                                                            checked_in_at=timezone.now())
    full = factories.SessionFactory(capacity=1)
    waiting = factories.CandidateFactory(first_name="Wanda", last_name="Attente")
    services.registration_book(session=full, candidate=factories.CandidateFactory())
    services.registration_book(session=full, candidate=waiting)
    company = factories.CompanyFactory(name="Capitole Logiciels")
    part = SessionCompany.objects.create(session=session, company=company)
    camille = factories.RecruiterFactory(company=company, user__first_name="Camille", user__last_name="Roux",
                                         job_title="Responsable recrutement")
    gone = factories.RecruiterFactory(company=company, user__first_name="Ancien", user__last_name="Compte",
                                      user__is_active=False)
    part.recruiters.add(camille, gone)
    SessionCompany.objects.create(session=session, company=factories.CompanyFactory(name="Lez Logiciels"))
    return session, people


def _names(sheets):
    return [(b.kind, b.first_name, b.last_name) for sheet in sheets.sheets for b in sheet]


def test_confirmed_and_checked_in_people_then_named_recruiters_get_badges_sorted_by_last_name(day):
    session, people = day
    sheets = badges.badge_sheets(session=session)
    assert _names(sheets) == [
        ("attendee", "Anne", "aubert"), ("attendee", "Jean", "Barthe"), ("attendee", "Romain", "Barthe"),
        ("attendee", "Zoé", "Émery"), ("staff", "Camille", "Roux"),
    ]
    assert (sheets.attendees, sheets.staff, sheets.blanks) == (4, 1, 0)
    staff = sheets.sheets[0][-1]
    assert (staff.company, staff.job_title) == ("Capitole Logiciels", "Responsable recrutement")


def test_attendees_only_staff_only_and_blanks(day):
    session, _people = day
    assert {b.kind for s in badges.badge_sheets(session=session, who="attendees").sheets for b in s} == {"attendee"}
    staff_only = badges.badge_sheets(session=session, who="staff", blanks=3)
    assert [b.kind for b in staff_only.sheets[0]] == ["staff", "blank", "blank", "blank"]
    assert staff_only.count == 4


def test_only_a_booked_seat_carries_its_ticket_s_qr_code(day):
    session, people = day
    by_name = {b.first_name: b for s in badges.badge_sheets(session=session).sheets for b in s}
    assert "TF-" in by_name["Zoé"].qr and 'id="qr-path"' not in by_name["Zoé"].qr
    assert by_name["Anne"].qr is None  # already checked in: the ticket has served
    assert by_name["Camille"].qr is None
    assert all(b.qr is None for s in badges.badge_sheets(session=session, with_qr=False).sheets for b in s)


def test_the_pdf_names_each_person_once_and_nobody_else(day):
    session, _people = day
    document = badges.badges_document(session=session, sheets=badges.badge_sheets(session=session, blanks=1),
                                      language="fr")
    (text,) = page_texts(document)
    for name in ("Anne", "AUBERT", "Jean", "Romain", "BARTHE", "Zoé", "ÉMERY", "Camille", "ROUX",
                 "Capitole Logiciels", "Responsable recrutement", "Participant·e"):
        assert name in text
    for absent in ("Paul", "Effacée", "Wanda", "Ancien", "Lez Logiciels"):
        assert absent not in text
    assert text.count("Participant·e") == 4


def test_ten_labels_a_sheet_each_at_the_l7173_millimetres(day):
    session, _people = day
    sheets = badges.badge_sheets(session=session, who="staff", blanks=20)  # 1 recruiter + 20 blanks: 3 sheets
    document = badges.badges_document(session=session, sheets=sheets, language="fr")
    assert len(document.pages) == 3
    labels = blocks_with_class(document, "label")
    assert [page for page, _box in labels] == [0] * 10 + [1] * 10 + [2]
    expected = [(round(4.65 + c * 101.6, 2), round(6.0 + r * 57.0, 2)) for r in range(5) for c in range(2)]
    for (_page, box), (left, top) in zip(labels[:10], expected, strict=True):
        x, y, width, height = box_mm(box)
        assert abs(x - left) < 0.05 and abs(y - top) < 0.05, (x, y, left, top)
        assert abs(width - 99.1) < 0.05 and abs(height - 57.0) < 0.05
    # Nothing outside the A4 page: the last column ends 4.65 mm from the right edge, the last row 6 mm from the bottom.
    x, y, width, height = box_mm(labels[9][1])
    assert round(x + width, 2) == 205.35 and round(y + height, 2) == 291.0


def test_starting_on_a_used_sheet_leaves_its_first_labels_empty(day):
    session, _people = day
    sheets = badges.badge_sheets(session=session, who="staff", blanks=1, skip=9)
    assert [len(s) for s in sheets.sheets] == [1, 1]
    assert (sheets.sheets[0][0].left_mm, sheets.sheets[0][0].top_mm) == (106.25, 234.0)
    assert (sheets.sheets[1][0].left_mm, sheets.sheets[1][0].top_mm) == (4.65, 6.0)
    assert len(badges.badges_document(session=session, sheets=sheets, language="fr").pages) == 2


def test_a_long_name_gets_a_smaller_size_and_stays_on_its_label(day):
    session, _people = day
    person = factories.CandidateFactory(first_name="Maximilien-Alexandre-Guillaume",
                                        last_name="de La Rochefoucauld-Montbazon d'Aiguillon")
    services.registration_book(session=session, candidate=person)
    sheets = badges.badge_sheets(session=session, who="attendees")
    long_one = next(b for s in sheets.sheets for b in s if b.first_name.startswith("Maximilien"))
    assert long_one.name_size == "s"
    assert next(b for s in sheets.sheets for b in s if b.first_name == "Zoé").name_size == "xl"
    document = badges.badges_document(session=session, sheets=sheets, language="fr")
    for _page, label in blocks_with_class(document, "label"):
        x, y, width, height = box_mm(label)
        for _p, name in blocks_with_class(document, "first") + blocks_with_class(document, "last"):
            nx, ny, nw, nh = box_mm(name)
            if x <= nx < x + width and y <= ny < y + height:
                assert nx + nw <= x + width + 0.01 and ny + nh <= y + height + 0.01


def test_nothing_to_print_past_or_cancelled_sessions_are_refused_with_a_message(day, past_session):
    session, _people = day
    empty = factories.SessionFactory()
    with pytest.raises(BookingError, match="personne n'a de place confirmée"):
        badges.badge_sheets(session=empty, who="attendees")
    with pytest.raises(BookingError, match="aucune entreprise"):
        badges.badge_sheets(session=empty, who="staff")
    assert badges.badge_sheets(session=empty, who="attendees", blanks=2).count == 2
    with pytest.raises(BookingError, match="terminée"):
        badges.badge_sheets(session=past_session, blanks=2)
    services.session_cancel(session=session)
    with pytest.raises(BookingError, match="annulée"):
        badges.badge_sheets(session=session)


def test_too_many_badges_at_once_are_refused(day, monkeypatch):
    session, _people = day
    monkeypatch.setattr(badges, "MAX_BADGES", 4)
    with pytest.raises(BookingError, match="Trop de badges"):
        badges.badge_sheets(session=session)


# --- the page and the download


def test_coordinator_sees_the_counts_and_downloads_the_pdf(client_for, coordinator, day):
    session, _people = day
    client = client_for(coordinator)
    page = client.get(URL.format(session.pk))
    assert page.status_code == 200
    text = _text(page)
    assert "4 participant·es avec une place confirmée" in text and "1 recruteur·euse annoncé·e" in text
    assert "Lez Logiciels" in text  # named no recruiter: told it gets no named badge
    assert "Avery L7173" in text and "99.1 × 57.0 mm" in text
    response = client.get(URL.format(session.pk), {"print": "1", "who": "both", "blanks": "2", "with_qr": "on",
                                                   "first_label": "3"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="badges-session-{session.pk}.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_hotline_which_runs_the_desk_prints_badges_too(client_for, hotline_agent, day):
    session, _people = day
    response = client_for(hotline_agent).get(URL.format(session.pk), {"print": "1", "who": "attendees"})
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("who", ["recruiter_a", "prospecting_officer"])
def test_recruiters_and_prospecting_officers_may_not_print_badges(client_for, request, day, who):
    session, _people = day
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL.format(session.pk)).status_code == 403
    assert client.get(URL.format(session.pk), {"print": "1", "who": "both"}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, day):
    session, _people = day
    response = client.get(URL.format(session.pk), {"print": "1"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_unknown_session_is_a_404(client_for, coordinator):
    assert client_for(coordinator).get(URL.format(999999)).status_code == 404


@pytest.mark.parametrize("params, error", [
    ({"who": "everyone"}, "Sélectionnez un choix valide"),
    ({"who": "both", "blanks": "abc"}, "Saisissez un nombre entier"),
    ({"who": "both", "blanks": "-1"}, "supérieure ou égale à 0"),
    ({"who": "both", "blanks": "1000"}, "inférieure ou égale à 100"),
    ({"who": "both", "first_label": "11"}, "inférieure ou égale à 10"),
])
def test_bad_options_come_back_with_a_message_and_no_pdf(client_for, coordinator, day, params, error):
    session, _people = day
    response = client_for(coordinator).get(URL.format(session.pk), {"print": "1", **params})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert error in _text(response)


def test_nothing_to_print_says_why_on_the_page(client_for, coordinator):
    session = factories.SessionFactory()
    response = client_for(coordinator).get(URL.format(session.pk), {"print": "1", "who": "attendees"})
    assert response["Content-Type"].startswith("text/html")
    assert "personne n'a de place confirmée" in _text(response)


def test_a_past_session_offers_no_badges(client_for, coordinator, past_session):
    factories.RegistrationFactory(session=past_session)
    response = client_for(coordinator).get(URL.format(past_session.pk), {"print": "1", "who": "both"})
    assert response["Content-Type"].startswith("text/html")
    assert "Cette session est terminée" in _text(response)
    assert "Télécharger les badges" not in _text(response)


def test_the_page_and_the_badges_read_in_english(client_for, coordinator, day):
    session, _people = day
    client = client_for(coordinator)
    page = client.get(URL.format(session.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = _text(page)
    assert "Download the badges (PDF)" in text and "Badges" in text
    document = badges.badges_document(session=session, sheets=badges.badge_sheets(session=session, blanks=1),
                                      language="en")
    assert "Attendee" in page_texts(document)[0] and "Participant·e" not in page_texts(document)[0]


def test_the_session_s_admin_page_and_the_coordinators_desk_link_to_the_badges(client_for, coordinator, day):
    session, _people = day
    client = client_for(coordinator)
    assert URL.format(session.pk) in _text(client.get(f"/admin/events/session/{session.pk}/change/"))
    assert URL.format(session.pk) in _text(client.get("/pilotage/"))


def test_badges_of_a_session_an_hour_from_its_end_still_print(client_for, coordinator):
    start = timezone.now() - dt.timedelta(hours=2)
    session = factories.SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=3))
    response = client_for(coordinator).get(URL.format(session.pk), {"print": "1", "who": "both", "blanks": "1"})
    assert response["Content-Type"] == "application/pdf"
