"""The hotline's move out of `candidates` keeps every row, id, permission and admin log entry."""

import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from hotline.models import CallbackRequest, HotlineCall, RelocationRequest
from hotline.services import DIGEST_KIND
from tescforce import roles
from tescforce.models import SentLog
from tests import factories
from tests.migrations import migrate_to_latest, migrated_back_to

BEFORE_MOVE = [("candidates", "0013_candidate_link_generation"), ("hotline", None)]


@pytest.fixture
def before_move(transactional_db):
    """Yield the models as they were before the move; migrate forward again whatever happens."""
    with migrated_back_to(BEFORE_MOVE, nothing_written=True) as apps:
        yield apps


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_read_the_same_after_it(before_move, client):
    old = before_move
    Candidate = old.get_model("candidates", "Candidate")
    OldType = old.get_model("contenttypes", "ContentType")
    User = old.get_model("auth", "User")
    agent_before = User.objects.create(username="agent", is_staff=True)
    person = Candidate.objects.create(first_name="Hélène", last_name="Dupont", email="helene@example.org",
                                      phone="+33612345678", profile="retraining")
    call = old.get_model("candidates", "HotlineCall").objects.create(
        candidate=person, caller_name="Hélène Dupont", caller_contact="06 12 34 56 78", caller_key="0612345678",
        topic="relocation", summary="Cherche un logement à Albi", follow_up_due=dt.date(2026, 3, 2),
        follow_up_owner=agent_before, logged_by=agent_before)
    callback = old.get_model("candidates", "CallbackRequest").objects.create(
        name="Hélène Dupont", phone="+33612345678", topic="session", message="Rappelez-moi le matin",
        candidate=person, call=call)
    relocation = old.get_model("candidates", "RelocationRequest").objects.create(
        candidate=person, target_city="Albi", need_housing=True, notes="Deux enfants", owner=agent_before)
    digest = old.get_model("candidates", "HotlineDigestSent").objects.create(
        owner=agent_before, day=dt.date(2026, 3, 2), items=1)
    # The admin's own history of the call, through the content type of the time.
    call_type = OldType.objects.get(app_label="candidates", model="hotlinecall")
    old.get_model("admin", "LogEntry").objects.create(
        user=agent_before, content_type=call_type, object_id=str(call.pk), object_repr="Installation – Hélène",
        action_flag=CHANGE, change_message="[]", action_time=timezone.now())

    migrate_to_latest()

    moved = HotlineCall.objects.get(pk=call.pk)
    assert (moved.candidate_id, moved.caller_name, moved.caller_key, moved.topic, moved.summary,
            moved.follow_up_due, moved.follow_up_owner_id) == (
        person.pk, "Hélène Dupont", "0612345678", "relocation", "Cherche un logement à Albi", dt.date(2026, 3, 2),
        agent_before.pk)
    moved_callback = CallbackRequest.objects.get(pk=callback.pk)
    assert (moved_callback.call_id, moved_callback.candidate_id, str(moved_callback.phone),
            moved_callback.message) == (call.pk, person.pk, "+33612345678", "Rappelez-moi le matin")
    moved_relocation = RelocationRequest.objects.get(pk=relocation.pk)
    assert (moved_relocation.target_city, moved_relocation.need_housing, moved_relocation.notes,
            moved_relocation.owner_id) == ("Albi", True, "Deux enfants", agent_before.pk)
    # The digest sent moved on again, into the platform's sent log.
    log = SentLog.objects.get(kind=DIGEST_KIND)
    assert (log.user_id, log.period, log.items, log.sent_at) == (agent_before.pk, digest.day, 1, digest.sent_at)
    # The related names candidates' rows are reached by still work.
    assert list(moved.candidate.calls.values_list("pk", flat=True)) == [call.pk]

    # Same content type row, renamed: the admin log entry and the permissions follow the model.
    assert ContentType.objects.get_for_model(HotlineCall).pk == call_type.pk
    assert not ContentType.objects.filter(app_label="candidates", model__in=[
        "hotlinecall", "callbackrequest", "relocationrequest", "hotlinedigestsent"]).exists()
    entry = LogEntry.objects.get(object_id=str(call.pk), content_type=call_type.pk)
    assert entry.get_edited_object() == moved
    assert Permission.objects.filter(content_type=call_type.pk, codename="change_hotlinecall").exists()

    # A hotline agent opens the moved admin pages with the rights the group had.
    agent = factories.UserFactory(username="hotline-after", groups=[roles.HOTLINE])
    client.force_login(agent)
    for url in ("/admin/hotline/hotlinecall/", f"/admin/hotline/hotlinecall/{call.pk}/change/",
                f"/admin/hotline/callbackrequest/{callback.pk}/change/",
                f"/admin/hotline/relocationrequest/{relocation.pk}/change/"):
        assert client.get(url).status_code == 200, url
    assert agent.has_perm("hotline.change_hotlinecall") and agent.has_perm("hotline.add_relocationrequest")
    assert not agent.has_perm("hotline.delete_relocationrequest")
