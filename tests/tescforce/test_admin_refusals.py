from django.contrib import admin

from tescforce.admin_mixins import DomainErrorAdminMixin

ROOMS = {"candidates", "companies", "events", "hotline", "matching", "showroom", "prospecting"}


def test_every_admin_of_the_rooms_shows_refusals_on_the_page():
    admins = {model: model_admin for model, model_admin in admin.site._registry.items()
              if model._meta.app_label in ROOMS}
    assert len(admins) > 20
    assert [model for model, model_admin in admins.items() if not isinstance(model_admin, DomainErrorAdminMixin)] == []
