"""Keep the use cases' search vectors in step with what they are built from (showroom.search).

The cached catalogue is made stale by tescforce.page_cache, which watches the same models.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from . import search
from .models import Sector, UseCase

SEARCHED_FIELDS = {f"{field}_{language}" for field in ("title", "summary", "body", "results")
                   for language in search.CONFIGS} | {"title", "summary", "body", "results", "sector", "sector_id"}


@receiver(post_save, sender=UseCase, dispatch_uid="showroom.use_case_search")
def _use_case_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not SEARCHED_FIELDS & set(update_fields)):
        return
    search.refresh_use_cases([instance.pk])


@receiver(post_save, sender=Sector, dispatch_uid="showroom.sector_search")
def _sector_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        search.refresh_sector(instance.pk)
