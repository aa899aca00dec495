"""What a scorecard does: the candidate's orientation and stage move forward (never back) in the recruiter's name,
hires are credited to the job dating, the candidate hears the outcome only from the team, once; erasure and the
export cover the scorecards; two saves at once keep every field in one row."""

import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from candidates import records
from candidates import services as candidate_services
from candidates.models import Candidate, Orientation, StageChange
from matching import scorecards
from matching.models import Scorecard
from matching.sheet_links import SheetError
from tescforce.site.dashboard import Filters, build
from tests import factories

from .sheet_data import job_dating_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(company_a, company_b, recruiter_a, recruiter_b):
    return job_dating_day(company_a, company_b, recruiter_a, recruiter_b)


def save(interview, by, **data):
    return scorecards.scorecard_save(interview=interview, data=data, by=by)


def stage(candidate) -> str:
    return Candidate.objects.get(pk=candidate.pk).stage


# --- the pipeline -----------------------------------------------------------------------------------

def test_an_offer_orients_a_qualified_candidate_and_moves_them_in_the_recruiters_name(day, recruiter_a, company_a):
    card = save(day.a_alice, recruiter_a, rating=4, next_step="offer")
    orientation = Orientation.objects.get(candidate=day.alice, company=company_a)
    assert orientation.status == Orientation.Status.OFFER
    assert orientation.session == day.session and orientation.posting == day.a_alice.posting
    assert orientation.created_by == recruiter_a
    assert stage(day.alice) == Candidate.Stage.IN_RECRUITMENT
    steps = list(StageChange.objects.filter(candidate=day.alice).values_list("from_stage", "to_stage", "changed_by"))
    assert steps == [("qualified", "oriented", recruiter_a.pk), ("oriented", "in_recruitment", recruiter_a.pk)]
    assert "Job dating « Job dating Python »" in StageChange.objects.filter(candidate=day.alice).last().comment
    assert "Proposition" in card.pipeline_note and "En recrutement" in card.pipeline_note


def test_a_second_interview_moves_an_existing_orientation_forward(day, recruiter_a, company_a):
    save(day.a_bruno, recruiter_a, next_step="second_interview")
    (orientation,) = Orientation.objects.filter(candidate=day.bruno, company=company_a)
    assert orientation.status == Orientation.Status.INTERVIEW and orientation.session == day.session
    assert stage(day.bruno) == Candidate.Stage.IN_RECRUITMENT


def test_nothing_moves_backwards(day, recruiter_a, company_a):
    save(day.a_alice, recruiter_a, next_step="offer")
    save(day.a_alice, recruiter_a, next_step="second_interview")
    assert Orientation.objects.get(candidate=day.alice, company=company_a).status == Orientation.Status.OFFER
    # A hired candidate stays hired, whatever another company writes.
    orientation = Orientation.objects.get(candidate=day.alice, company=company_a)
    candidate_services.orientation_set_status(orientation=orientation, status=Orientation.Status.HIRED)
    assert stage(day.alice) == Candidate.Stage.HIRED
    before = StageChange.objects.count()
    save(day.b_alice, factories.RecruiterFactory(company=day.b_alice.company).user, next_step="offer")
    save(day.a_alice, recruiter_a, next_step="second_interview")
    assert stage(day.alice) == Candidate.Stage.HIRED
    assert orientation.__class__.objects.get(pk=orientation.pk).status == Orientation.Status.HIRED
    assert StageChange.objects.count() == before


def test_not_retained_records_the_outcome_and_moves_nothing(day, recruiter_a):
    card = save(day.a_alice, recruiter_a, rating=1, next_step="not_retained", note="Trop junior")
    assert card.next_step == "not_retained" and card.pipeline_note == "Non retenu·e : parcours inchangé."
    assert not Orientation.objects.filter(candidate=day.alice).exists()
    assert stage(day.alice) == Candidate.Stage.QUALIFIED
    assert not StageChange.objects.filter(candidate=day.alice).exists()


def test_a_candidate_not_qualified_yet_keeps_their_stage_and_the_card_says_why(day, recruiter_a, company_a):
    Candidate.objects.filter(pk=day.alice.pk).update(stage=Candidate.Stage.REGISTERED)
    card = save(day.a_alice, recruiter_a, next_step="offer")
    assert stage(day.alice) == Candidate.Stage.REGISTERED
    assert Orientation.objects.get(candidate=day.alice, company=company_a).status == Orientation.Status.OFFER
    assert "pas encore été qualifié" in card.pipeline_note


def test_typing_notes_does_not_move_the_pipeline_again(day, recruiter_a):
    save(day.a_alice, recruiter_a, next_step="offer")
    changes = StageChange.objects.count()
    for text in ("R", "Re", "Relancer"):
        save(day.a_alice, recruiter_a, note=text)
    assert StageChange.objects.count() == changes
    assert Orientation.objects.filter(candidate=day.alice).count() == 1


def test_the_coordinator_sees_the_stage_moved_and_who_moved_it(day, recruiter_a, client_for, coordinator):
    save(day.a_alice, recruiter_a, next_step="offer")
    page = client_for(coordinator).get(reverse("admin:candidates_candidate_change", args=[day.alice.pk]))
    body = page.content.decode()
    assert "En recrutement" in body
    listing = client_for(coordinator).get(reverse("admin:matching_scorecard_changelist")).content.decode()
    assert "Alice Roques" in listing and "Proposition" in listing
    card = Scorecard.objects.get(interview=day.a_alice)
    detail = client_for(coordinator).get(reverse("admin:matching_scorecard_change", args=[card.pk]))
    assert detail.status_code == 200 and "En recrutement" in detail.content.decode()
    history = client_for(coordinator).get(reverse("admin:matching_scorecard_history", args=[card.pk]))
    assert history.status_code == 200


# --- hires on the dashboard ------------------------------------------------------------------------------

def test_a_hire_confirmed_later_counts_for_the_job_dating_and_company(day, recruiter_a, company_a, company_b):
    save(day.a_alice, recruiter_a, next_step="offer")
    # An orientation made outside any job dating does not count for a session.
    other = factories.CandidateFactory(stage="oriented")
    hired_elsewhere = Orientation.objects.create(candidate=other, company=company_b)
    candidate_services.orientation_set_status(orientation=hired_elsewhere, status=Orientation.Status.HIRED)
    figures, _at = build(Filters(year=day.session.starts_at.year), talent=True, business=False, fresh=True)
    assert next(f for f in figures if f.key == "hires_by_session").rows == []

    orientation = Orientation.objects.get(candidate=day.alice, company=company_a)
    candidate_services.orientation_set_status(orientation=orientation, status=Orientation.Status.HIRED)
    figures, _at = build(Filters(year=day.session.starts_at.year), talent=True, business=False, fresh=True)
    figure = next(f for f in figures if f.key == "hires_by_session")
    ((label, n),) = figure.rows
    assert n == 1 and "Job dating Python – Toulouse" in label and label.endswith(": Alpha Numérique")
    assert figure.section == "hires"
    # Another city's filter leaves it out.
    figures, _at = build(Filters(year=day.session.starts_at.year, city="Montpellier"), talent=True, business=False,
                         fresh=True)
    assert next(f for f in figures if f.key == "hires_by_session").rows == []


# --- telling the candidate ----------------------------------------------------------------------------

def test_saving_never_tells_the_candidate(day, recruiter_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        save(day.a_alice, recruiter_a, rating=4, next_step="offer")
        save(day.a_bruno, recruiter_a, next_step="not_retained")
    assert mail.outbox == []


def test_the_coordinator_tells_the_candidate_once_in_their_language(day, recruiter_a, client_for, coordinator,
                                                                    django_capture_on_commit_callbacks):
    card = save(day.a_alice, recruiter_a, next_step="offer", note="Note interne")
    client = client_for(coordinator)
    changelist = reverse("admin:matching_scorecard_changelist")
    for _round in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(changelist, {"action": "inform_candidate", "_selected_action": [card.pk]},
                                   follow=True)
    assert "déjà informé·e" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [day.alice.email]
    assert message.extra_headers["Content-Language"] == "en"  # Alice reads English
    assert "job offer" in message.body and "Alpha Numérique" in message.body
    assert "Note interne" not in message.body  # the recruiter's words stay with the team
    card.refresh_from_db()
    assert card.outcome_told == "offer" and card.outcome_requested_by == coordinator and card.outcome_sent_at


def test_nothing_to_tell_without_a_next_step_or_an_address(day, recruiter_a, coordinator):
    card = save(day.a_alice, recruiter_a, rating=2)
    with pytest.raises(SheetError):
        scorecards.scorecard_inform_candidate(scorecard=card, by=coordinator)
    save(day.a_bruno, recruiter_a, next_step="not_retained")
    type(day.a_bruno).objects.filter(pk=day.a_bruno.pk).update(  # held already: it stays after the erasure
        starts_at=timezone.now() - timezone.timedelta(hours=1), ends_at=timezone.now())
    candidate_services.candidate_erase(candidate=day.bruno)
    bruno_card = Scorecard.objects.get(interview=day.a_bruno)
    with pytest.raises(SheetError):
        scorecards.scorecard_inform_candidate(scorecard=bruno_card, by=coordinator)
    assert not Scorecard.objects.filter(outcome_requested_at__isnull=False).exists()


def test_a_failed_send_is_tried_again_and_goes_once(day, recruiter_a, coordinator, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    card = save(day.a_alice, recruiter_a, next_step="not_retained")

    def refuse(**kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(scorecards, "send_templated", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        scorecards.scorecard_inform_candidate(scorecard=card, by=coordinator)
    card.refresh_from_db()
    assert card.outcome_requested_at and card.outcome_sent_at is None  # the claim was given back
    assert mail.outbox == []
    monkeypatch.undo()
    # At once, the action says the e-mail is on its way; some minutes later it sends what waits, once.
    with pytest.raises(SheetError, match="en cours d'envoi"):
        scorecards.scorecard_inform_candidate(scorecard=card, by=coordinator)
    Scorecard.objects.filter(pk=card.pk).update(
        outcome_requested_at=timezone.now() - scorecards.OUTCOME_RETRY_AFTER - timezone.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        scorecards.scorecard_inform_candidate(scorecard=card, by=coordinator)
    assert scorecards.scorecard_outcome_notify(scorecard_id=card.pk) is False
    with pytest.raises(SheetError):
        scorecards.scorecard_inform_candidate(scorecard=card, by=coordinator)
    (message,) = mail.outbox
    assert "will not take your application further" in message.body


@pytest.mark.parametrize("who", ["recruiter_a", "hotline_agent", "prospecting_officer"])
def test_only_coordinators_read_scorecards_in_the_admin(request, client_for, day, who):
    card = save(day.a_alice, request.getfixturevalue("recruiter_a"), note="Écrit par A")
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("admin:matching_scorecard_changelist")).status_code == 403
    assert client.get(reverse("admin:matching_scorecard_change", args=[card.pk])).status_code == 403
    response = client.post(reverse("admin:matching_scorecard_changelist"),
                           {"action": "inform_candidate", "_selected_action": [card.pk]})
    assert response.status_code == 403
    assert Scorecard.objects.get(pk=card.pk).outcome_requested_at is None


# --- the person's data --------------------------------------------------------------------------------

def test_the_export_carries_the_scorecards_without_the_recruiters_name(day, recruiter_a):
    save(day.a_alice, recruiter_a, rating=3, strengths="Curieuse", next_step="second_interview", note="À revoir")
    part = records.export_parts(day.alice)["job_dating_scorecards"]
    assert part == [{**part[0], "company": "Alpha Numérique", "rating": 3, "strengths": "Curieuse",
                     "next_step": "second_interview", "note": "À revoir", "rating_scale": "1-4"}]
    text = json.dumps(part)
    assert recruiter_a.username not in text and recruiter_a.last_name not in text
    assert records.export_parts(day.carla)["job_dating_scorecards"] == []


def test_erasure_removes_what_recruiters_wrote_and_its_history(day, recruiter_a, recruiter_b):
    save(day.a_alice, recruiter_a, rating=4, strengths="Rigoureuse", next_step="offer", note="Appeler lundi")
    save(day.b_alice, recruiter_b, strengths="Bonne communication", note="À revoir")
    # Company B's interview is still to come: its card goes with it.
    type(day.b_alice).objects.filter(pk=day.b_alice.pk).update(
        starts_at=timezone.now() + timezone.timedelta(hours=2), ends_at=timezone.now() + timezone.timedelta(hours=3))
    type(day.a_alice).objects.filter(pk=day.a_alice.pk).update(
        starts_at=timezone.now() - timezone.timedelta(hours=2), ends_at=timezone.now() - timezone.timedelta(hours=1))
    ids = list(Scorecard.objects.values_list("pk", flat=True))
    candidate_services.candidate_erase(candidate=day.alice)
    (kept,) = Scorecard.objects.filter(pk__in=ids)
    assert kept.interview_id == day.a_alice.pk
    assert (kept.strengths, kept.note, kept.pipeline_note) == ("", "", "")
    assert kept.rating == 4 and kept.next_step == "offer"
    history = Scorecard.history.filter(id__in=ids)
    assert not history.exclude(strengths="", note="").exists()


@pytest.mark.parametrize(("step", "words"), [
    ("second_interview", "souhaite vous revoir pour un second entretien"),
    ("offer", "souhaite vous faire une proposition d'embauche pour le poste « Développeuse Django »"),
    ("not_retained", "ne donnera pas suite à votre candidature cette fois-ci"),
])
def test_the_email_says_the_outcome_the_company_chose(day, recruiter_a, coordinator, step, words,
                                                      django_capture_on_commit_callbacks):
    card = save(day.a_bruno, recruiter_a, next_step=step, rating=1, strengths="Lent", note="Ne pas dire")
    with django_capture_on_commit_callbacks(execute=True):
        scorecards.scorecard_inform_candidate(scorecard=card, by=coordinator)
    (message,) = mail.outbox
    assert message.to == [day.bruno.email] and message.extra_headers["Content-Language"] == "fr"
    assert words in message.body and "Alpha Numérique" in message.body
    assert "Lent" not in message.body and "Ne pas dire" not in message.body


def test_coordinators_filter_the_scorecards_by_job_dating_and_told(day, recruiter_a, client_for, coordinator):
    told = save(day.a_alice, recruiter_a, next_step="offer")
    save(day.a_bruno, recruiter_a, next_step="not_retained")
    scorecards.scorecard_inform_candidate(scorecard=told, by=coordinator)
    client = client_for(coordinator)
    url = reverse("admin:matching_scorecard_changelist")
    assert client.get(url, {"informe": "oui"}).context["cl"].result_count == 1
    assert client.get(url, {"informe": "non"}).context["cl"].result_count == 1
    assert client.get(url, {"session": day.session.pk}).context["cl"].result_count == 2
    assert client.get(url, {"session": day.session.pk + 1000}).context["cl"].result_count == 0
