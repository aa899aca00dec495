"""Saves of one scorecard at the same instant (two recruiters of a company, a retried autosave), on PostgreSQL:
one row, no field lost, the pipeline moved once; two coordinators telling the candidate at once: one e-mail."""

import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from candidates.models import Candidate, Orientation, StageChange
from matching import scorecards
from matching.models import Scorecard
from tests import factories
from tests.concurrency import run_together

from .sheet_data import job_dating_day

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def day(company_a, company_b, recruiter_a, recruiter_b):
    return job_dating_day(company_a, company_b, recruiter_a, recruiter_b)


def test_two_autosaves_of_different_fields_at_once_keep_both_in_one_row(day, recruiter_a, company_a):
    colleague = factories.RecruiterFactory(company=company_a, user__username="recruteur-a2").user
    clients = []
    for user in (recruiter_a, colleague):
        client = Client()
        client.force_login(user)
        clients.append(client)
    url = reverse("staff:matching_sheet_scorecard", args=[day.session.pk, day.a_alice.pk])
    todo = []

    def one_save():
        client, body = todo.pop()
        return client.patch(url, json.dumps(body), content_type="application/json").status_code

    for round_ in range(1, 4):  # the first round makes the row, the others change it
        todo[:] = [(clients[0], {"strengths": f"Tests automatisés {round_}"}),
                   (clients[1], {"note": f"Disponible en mars {round_}", "rating": 1 + round_})]
        assert run_together(one_save) == [200, 200]
        (card,) = Scorecard.objects.filter(interview=day.a_alice)
        assert (card.strengths, card.note, card.rating) == (
            f"Tests automatisés {round_}", f"Disponible en mars {round_}", 1 + round_)


def test_the_same_offer_saved_twice_at_once_orients_and_moves_once(day, recruiter_a, company_a):
    results = run_together(lambda: scorecards.scorecard_save(
        interview=day.a_alice, data={"next_step": "offer", "rating": 4}, by=recruiter_a), times=3)
    assert all(isinstance(r, Scorecard) for r in results), results
    assert Scorecard.objects.filter(interview=day.a_alice).count() == 1
    assert Orientation.objects.filter(candidate=day.alice, company=company_a).count() == 1
    assert Candidate.objects.get(pk=day.alice.pk).stage == Candidate.Stage.IN_RECRUITMENT
    assert list(StageChange.objects.filter(candidate=day.alice).values_list("to_stage", flat=True)) == [
        "oriented", "in_recruitment"]


def test_two_coordinators_telling_the_candidate_at_once_send_one_email(day, recruiter_a, coordinator):
    card = scorecards.scorecard_save(interview=day.a_alice, data={"next_step": "offer"}, by=recruiter_a)
    other = factories.UserFactory(username="coordinatrice-2", groups=["Coordinateurs"])
    people = [coordinator, other]

    def inform():
        return scorecards.scorecard_inform_candidate(scorecard=Scorecard.objects.get(pk=card.pk), by=people.pop())

    results = run_together(inform)
    assert sum(isinstance(r, Scorecard) for r in results) == 1, results
    assert len([m for m in mail.outbox if m.to == [day.alice.email]]) == 1
