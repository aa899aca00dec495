"""What becomes of a referral, as the partner, the weekly digest, the team and the dashboard read it."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from candidates import services as candidate_services
from candidates.models import Candidate, Orientation, StageChange
from events.models import Registration
from partners import selectors, services, tasks
from partners.models import Referral
from tescforce.models import SentLog
from tescforce.site.dashboard import Filters, build
from tests import factories

from .conftest import service_data

pytestmark = pytest.mark.django_db


def linked(member, *, share=True, email="ines.benali@example.org", **candidate_fields):
    candidate = factories.CandidateFactory(email=email, phone="", **candidate_fields)
    referral, _known = services.referral_create(member=member, data=service_data(email=email))
    services.referral_link(referral=referral, share=share)
    referral.refresh_from_db()
    return referral, candidate


def walk(candidate, coordinator):
    """Qualify, book, attend, orient and hire the candidate, as the team and the events room do."""
    factories.give_consent(candidate, "shown")
    Candidate.objects.filter(pk=candidate.pk).update(shown_to_recruiters=True)
    candidate.refresh_from_db()
    candidate_services.candidate_qualify(candidate=candidate, level="ready", motivation=4, by=coordinator)
    registration = factories.RegistrationFactory(candidate=candidate)
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.ATTENDED,
                                                           checked_in_at=timezone.now())
    company = factories.CompanyFactory(name="Gamma")
    candidate_services.orientation_create(candidate=candidate, company=company, by=coordinator)
    candidate.refresh_from_db()
    candidate_services.candidate_move(candidate=candidate, to_stage="hired", by=coordinator)


def test_the_status_follows_the_person_from_their_own_rows(member_a, coordinator):
    referral, candidate = linked(member_a)
    (item,) = selectors.follow_ups([referral])
    assert item.status == "confirmed"
    walk(candidate, coordinator)
    (item,) = selectors.follow_ups([Referral.objects.get(pk=referral.pk)])
    assert [key for key, _label, _when in item.steps] == [
        "referred", "confirmed", "qualified", "booked", "attended", "oriented", "hired"]
    assert item.status == "hired"


def test_a_person_who_does_not_share_shows_only_their_answer(member_a, coordinator):
    referral, candidate = linked(member_a, share=False)
    walk(candidate, coordinator)
    (item,) = selectors.follow_ups([referral])
    assert item.status == "confirmed" and [k for k, _l, _w in item.steps] == ["referred", "confirmed"]


def test_withdrawing_the_share_stops_the_follow_up(client, member_a, coordinator):
    referral, candidate = linked(member_a)
    walk(candidate, coordinator)
    services.referral_share_withdraw(referral=referral)
    (item,) = selectors.follow_ups([Referral.objects.get(pk=referral.pk)])
    assert item.status == "confirmed"


def test_a_withdrawn_person_shows_as_left(member_a, coordinator):
    referral, candidate = linked(member_a)
    candidate_services.candidate_withdraw(candidate=candidate, by=coordinator)
    (item,) = selectors.follow_ups([referral])
    assert item.status == "left"


def test_the_partner_page_shows_the_status_with_dates(client, member_a, coordinator):
    referral, candidate = linked(member_a)
    walk(candidate, coordinator)
    client.force_login(member_a.user)
    page = client.get("/fr/partenaires/").content.decode()
    assert "Recruté·e" in page and "Inès Benali" in page
    # On a phone each row reads as a block, every cell after the name under its label.
    assert 'class="table align-middle table-stack"' in page
    for label in ("Orientée le", "Statut", "Depuis le"):
        assert page.count(f'data-label="{label}"') == 1
    detail = client.get(f"/fr/partenaires/orientations/{referral.pk}/").content.decode()
    for label in ("Inscription confirmée", "Qualifié·e", "Présent·e à une session", "Orienté·e vers une entreprise"):
        assert label in detail
    assert timezone.localdate().strftime("%d/%m/%Y") in detail


def test_the_weekly_digest_lists_last_weeks_changes_once_in_the_members_language(member_a, coordinator, outbox):
    member_a.language = "en"
    member_a.save()
    referral, candidate = linked(member_a)
    walk(candidate, coordinator)
    outbox.clear()
    next_week = timezone.localdate() + dt.timedelta(days=7)

    assert services.digest_send(member=member_a, day=next_week)
    assert not services.digest_send(member=member_a, day=next_week)  # once a week, whatever runs again
    (message,) = outbox
    assert message.to == [member_a.user.email]
    assert "Inès Benali" in message.body and "Hired" in message.body
    assert SentLog.objects.filter(kind=services.DIGEST_KIND, user=member_a.user).count() == 1
    # Nothing changed the week after: nothing is sent.
    assert not services.digest_send(member=member_a, day=next_week + dt.timedelta(days=7))


def test_the_digest_never_names_another_organisations_referrals(member_a, member_b, coordinator, outbox):
    linked(member_a)
    linked(member_b, email="autre@example.org", first_name="Zoé")
    services.referral_create(member=member_b, data=service_data(first_name="Yanis", email="yanis@example.org"))
    outbox.clear()
    services.digest_send(member=member_a, day=timezone.localdate() + dt.timedelta(days=7))
    (message,) = outbox
    assert "Inès" in message.body and "Yanis" not in message.body and "Zoé" not in message.body


def test_a_disabled_member_gets_no_digest(member_a, outbox):
    linked(member_a)
    services.member_disable(member=member_a)
    outbox.clear()
    assert tasks.digest_dispatch() == 0
    assert not services.digest_send(member=member_a, day=timezone.localdate() + dt.timedelta(days=7))
    assert not outbox


def test_the_team_sees_referred_by_in_the_admin_and_the_export(client_for, coordinator, member_a):
    referral, candidate = linked(member_a)
    client = client_for(coordinator)
    page = client.get(f"/admin/candidates/candidate/{candidate.pk}/change/").content.decode()
    assert "orienté·e par" in page.lower() and "France Travail Toulouse Compans" in page
    assert "Motivée, disponible en janvier." in page  # the partner's note, for the team
    from candidates.resources import CandidateResource

    dataset = CandidateResource().export(queryset=Candidate.objects.filter(pk=candidate.pk))
    assert "France Travail Toulouse Compans" in dataset.csv


def test_a_recruiter_never_reads_the_partners_note(client_for, member_a, recruiter_a, company_a):
    referral, candidate = linked(member_a)
    factories.give_consent(candidate, "shown")
    Candidate.objects.filter(pk=candidate.pk).update(shown_to_recruiters=True)
    Orientation.objects.create(candidate=candidate, company=company_a)
    page = client_for(recruiter_a).get(f"/admin/candidates/candidate/{candidate.pk}/change/").content.decode()
    assert candidate.last_name in page  # the recruiter does see the candidate oriented to them…
    assert "Motivée, disponible en janvier." not in page and "France Travail Toulouse Compans" not in page


def test_the_dashboard_counts_each_partners_funnel_with_table_and_csv(client_for, coordinator, member_a, member_b):
    referral, candidate = linked(member_a)
    walk(candidate, coordinator)
    services.referral_create(member=member_a, data=service_data(email="pending@example.org"))
    linked(member_b, email="b@example.org")
    figures, _at = build(Filters(year=timezone.localdate().year), talent=True, business=False, fresh=True)
    figure = next(f for f in figures if f.key == "referrals_by_partner")
    assert figure.section == "partners"
    assert figure.rows == [("France Travail Toulouse Compans", 2, 1, 1, 1, 1, 50.0, 50.0),
                           ("Mission locale Montpellier", 1, 1, 0, 0, 0, 100.0, 0.0)]
    client = client_for(coordinator)
    page = client.get("/pilotage/tableau-de-bord/").content.decode()
    assert "Orientations par partenaire" in page and 'id="section-partners"' in page
    response = client.get("/pilotage/tableau-de-bord/", {"export": "referrals_by_partner"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][:6] == ["France Travail Toulouse Compans", "2", "1", "1", "1", "1"]


def test_the_history_counts_hired_only_once_reached(member_a):
    referral, candidate = linked(member_a)
    StageChange.objects.create(candidate=candidate, to_stage="qualified")
    (item,) = selectors.follow_ups([referral])
    assert item.status == "qualified"
