"""The hotline is a room of its own: old addresses and task names still answer, and the arrows run one way."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hotline.models import HotlineCall
from hotline.services import DIGEST_KIND
from tescforce.celery import app as celery_app
from tescforce.models import SentLog
from tests.imports import file_imports

ROOT = Path(__file__).resolve().parents[2]


def test_candidates_never_imports_the_hotline():
    offending = [f"{path.relative_to(ROOT)}:{line}" for path in (ROOT / "candidates").rglob("*.py")
                 for module, line, _inside in file_imports(path)
                 if module == "hotline" or module.startswith("hotline.")]
    assert offending == []


def test_the_hotline_imports_nothing_inside_a_function_but_its_app_registry():
    offending = [f"{path.relative_to(ROOT)}:{line}" for path in (ROOT / "hotline").rglob("*.py")
                 if path.name != "apps.py" and "migrations" not in path.parts
                 for _module, line, inside in file_imports(path) if inside]
    assert offending == []


@pytest.mark.django_db
def test_a_task_queued_under_its_old_name_still_runs(hotline_agent, candidate):
    HotlineCall.objects.create(candidate=candidate, topic="other", summary="Rappeler",
                               follow_up_due=timezone.localdate(), follow_up_owner=hotline_agent)
    celery_app.loader.import_default_modules()
    old = celery_app.tasks["candidates.hotline_tasks.hotline_digest_send"]
    assert old.apply(args=(hotline_agent.pk, timezone.localdate().isoformat())).get() is True
    assert SentLog.objects.filter(kind=DIGEST_KIND, user=hotline_agent, period=timezone.localdate()).count() == 1
    for name in ("hotline_callback_acknowledge", "hotline_digest_dispatch"):
        assert f"candidates.hotline_tasks.{name}" in celery_app.tasks and f"hotline.tasks.{name}" in celery_app.tasks


def test_the_beat_schedule_names_the_moved_digest_task():
    celery_app.loader.import_default_modules()
    beat = settings.CELERY_BEAT_SCHEDULE["hotline-follow-up-digest"]["task"]
    assert beat == "hotline.tasks.hotline_digest_dispatch" and beat in celery_app.tasks


def test_the_staff_and_public_addresses_kept_their_paths_and_names():
    assert reverse("staff:hotline_home") == "/pilotage/hotline/"
    assert reverse("staff:hotline_queue") == "/pilotage/hotline/rappels/"
    assert reverse("hotline:contact") == "/fr/contact/"


@pytest.mark.django_db
def test_an_old_admin_bookmark_leads_to_the_moved_page(client_for, hotline_agent, candidate):
    call = HotlineCall.objects.create(candidate=candidate, topic="other", summary="Appel")
    client = client_for(hotline_agent)
    response = client.get(f"/admin/candidates/hotlinecall/{call.pk}/change/?_changelist_filters=topic")
    assert response.status_code == 301
    assert response["Location"] == f"/admin/hotline/hotlinecall/{call.pk}/change/?_changelist_filters=topic"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_recruiter_following_an_old_admin_bookmark_still_sees_no_call(client_for, recruiter_a, candidate):
    call = HotlineCall.objects.create(candidate=candidate, topic="other", summary="Secret de l'appel")
    client = client_for(recruiter_a)
    response = client.get(f"/admin/candidates/hotlinecall/{call.pk}/change/", follow=True)
    assert response.redirect_chain[0] == (f"/admin/hotline/hotlinecall/{call.pk}/change/", 301)
    assert response.status_code == 403
    assert "Secret de l" not in response.content.decode()
