"""Keep the postings' search vectors in step with what they are built from.

The cached job board is made stale by tescforce.page_cache, which watches the same models.
"""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from . import search
from .models import Company, JobPosting, Skill

SEARCHED_FIELDS = {"title", "description", "company", "company_id"}


@receiver(post_save, sender=JobPosting, dispatch_uid="companies.posting_search")
def _posting_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not SEARCHED_FIELDS & set(update_fields)):
        return
    search.refresh_postings([instance.pk])


def _skills_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse and action == "pre_clear":
        # skill.required_by.clear(): remember the postings that are about to lose the skill.
        instance._search_cleared = list(
            sender.objects.filter(skill_id=instance.pk).values_list("jobposting_id", flat=True)
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        search.refresh_postings([instance.pk])
    elif action == "post_clear":
        search.refresh_postings(getattr(instance, "_search_cleared", []))
    else:  # skill.required_by.add(posting…)
        search.refresh_postings(pk_set or [])


m2m_changed.connect(_skills_changed, sender=JobPosting.skills_required.through, dispatch_uid="companies.req_search")
m2m_changed.connect(_skills_changed, sender=JobPosting.skills_nice.through, dispatch_uid="companies.nice_search")


@receiver(post_save, sender=Company, dispatch_uid="companies.company_search")
def _company_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        search.refresh_company(instance.pk)


@receiver(post_save, sender=Skill, dispatch_uid="companies.skill_search")
def _skill_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        search.refresh_skill(instance.pk)

