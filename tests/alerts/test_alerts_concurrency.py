"""Two workers on the same alert at once (a beat tick overlapping a slow one, a redelivered task): one e-mail."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from alerts import services
from alerts.models import AlertSent, Subscription
from candidates.models import Consent
from matching.models import Match
from tests import factories
from tests.concurrency import run_together


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_three_workers_sending_one_alert_send_one_email_naming_each_offer_once():
    candidate = factories.CandidateFactory(email="race@example.org")
    factories.give_consent(candidate, Consent.Kind.PROCESSING)
    subscription = services.subscription_set(candidate=candidate, kind="offers", frequency="immediate")
    Subscription.objects.filter(pk=subscription.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    for title in ("Développeuse Django", "Data engineer"):
        posting = factories.JobPostingFactory(title=title)
        Match.objects.update_or_create(candidate=candidate, posting=posting, defaults={"score": 80})

    results = run_together(lambda: services.alert_send(subscription_id=subscription.pk), times=3)

    assert sorted(results) == [0, 0, 2]
    assert len([m for m in mail.outbox if m.to == ["race@example.org"]]) == 1
    assert AlertSent.objects.filter(candidate=candidate).count() == 2
