"""Recompute matches after a candidate or a posting changes: one task per transaction, on commit.

Connected from the app's ready() hook (the worker runs it too).
"""

from celery import current_app
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

from candidates.models import Candidate, StageChange
from companies.models import JobPosting

from .models import Match

REFRESH_TASK = "matching.tasks.matches_refresh"

_pending: dict[str, set[int]] = {"candidates": set(), "postings": set()}


def schedule(*, candidate_ids=(), posting_ids=()) -> None:
    """Ask for a recompute of these rows once the current transaction commits."""
    _pending["candidates"].update(candidate_ids)
    _pending["postings"].update(posting_ids)
    transaction.on_commit(_flush)


def _flush() -> None:
    # Several saves in one transaction (a form, its m2m fields) give one task; rows from a rolled-back
    # transaction may ride along: recomputing them is harmless.
    candidates, postings = sorted(_pending["candidates"]), sorted(_pending["postings"])
    _pending["candidates"].clear()
    _pending["postings"].clear()
    if candidates or postings:
        # Found by name: the tasks module imports this one, not the other way round.
        current_app.tasks[REFRESH_TASK].delay(candidate_ids=candidates, posting_ids=postings)


# A save limited to other fields (a visit's timestamp…) cannot change a match.
CANDIDATE_INPUTS = {"city", "mobility_toulouse", "mobility_montpellier", "mobility_occitanie", "mobility_remote",
                    "contract_wanted", "experience", "available_from", "profile", "stage", "confirmed_at",
                    "anonymised_at"}
POSTING_INPUTS = {"job_family", "job_family_id", "city", "remote", "contract", "level", "start_date",
                  "open_to_retraining", "status"}


def _relevant(update_fields, inputs: set[str]) -> bool:
    return update_fields is None or bool(set(update_fields) & inputs)


def _pending_registration(candidate: Candidate, created: bool) -> bool:
    # A person who has not confirmed their address yet holds no match and gains none before the
    # confirmation, which scores them (apps.py): their sign-up need not queue a recompute.
    return created and candidate.confirmed_at is None and candidate.anonymised_at is None


@receiver(post_save, sender=Candidate, dispatch_uid="matching_candidate_saved")
def _candidate_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if not raw and _relevant(update_fields, CANDIDATE_INPUTS) and not _pending_registration(instance, created):
        schedule(candidate_ids=[instance.pk])


@receiver(post_save, sender=StageChange, dispatch_uid="matching_stage_changed")
def _stage_changed(sender, instance, created=False, raw=False, **kwargs):
    # Stage moves are written with update(), which sends no post_save for the candidate.
    if raw:
        return
    # The first stage, written with the sign-up: the same rule as above (the candidate is read only when the
    # row came with it, never with a query).
    first = created and not instance.from_stage and StageChange.candidate.is_cached(instance)
    if first and _pending_registration(instance.candidate, created):
        return
    schedule(candidate_ids=[instance.candidate_id])


@receiver(post_save, sender=JobPosting, dispatch_uid="matching_posting_saved")
def _posting_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and _relevant(update_fields, POSTING_INPUTS):
        schedule(posting_ids=[instance.pk])


@receiver(pre_delete, sender=JobPosting, dispatch_uid="matching_posting_deleted")
def _posting_deleted(sender, instance, **kwargs):
    # The cascade removes its matches; the candidates who had it among their best need a new list.
    ids = Match.objects.filter(posting=instance, for_candidate=True).values_list("candidate_id", flat=True)
    schedule(candidate_ids=list(ids))


def _m2m(kind: str):
    def handler(sender, instance, action, reverse, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            schedule(**{kind: [instance.pk]})
        elif pk_set:
            schedule(**{kind: list(pk_set)})
    return handler


_candidate_m2m = _m2m("candidate_ids")
_posting_m2m = _m2m("posting_ids")
for _through, _handler, _uid in (
    (Candidate.skills.through, _candidate_m2m, "matching_candidate_skills"),
    (Candidate.desired_job_families.through, _candidate_m2m, "matching_candidate_families"),
    (JobPosting.skills_required.through, _posting_m2m, "matching_posting_required"),
    (JobPosting.skills_nice.through, _posting_m2m, "matching_posting_nice"),
):
    m2m_changed.connect(_handler, sender=_through, dispatch_uid=_uid)
