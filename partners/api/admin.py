"""Coordinators make and revoke the organisations' API keys. A new key is shown once, on the page that
follows its creation, and never again: only its hash is kept."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import add_never_cache_headers

from tescforce.admin_mixins import ScopedModelAdmin

from ..models import ApiKey
from . import keys


class StateFilter(admin.SimpleListFilter):
    title = _("état")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (("active", _("Active")), ("revoked", _("Révoquée")))

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(ScopedModelAdmin):
    list_display = ("name", "partner", "prefix", "created_at", "last_used_at", "state")
    list_filter = (StateFilter, "partner")
    search_fields = ("name", "prefix", "partner__name")
    list_select_related = ("partner",)
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("partner", "name")
        return ("partner", "name", "prefix", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fixed = ("partner", "prefix", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by")
        return (*fixed, "name") if obj.revoked_at else fixed

    def has_delete_permission(self, request, obj=None):
        return False  # revoked keys stay, to say who used the API and when

    @admin.display(description=_("état"))
    def state(self, obj):
        return _("Révoquée") if obj.revoked_at else _("Active")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        request._new_api_key = keys.api_key_issue(key=obj, by=request.user)  # for response_add only: never stored

    def response_add(self, request, obj, post_url_continue=None):
        key = getattr(request, "_new_api_key", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "key": key, "api_key": obj,
                   "title": _("Clé d'API créée")}
        response = TemplateResponse(request, "partners/admin/api_key_created.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Révoquer les clés choisies"), permissions=["change"])
    def revoke(self, request, queryset):
        done = sum(keys.api_key_revoke(key=key, by=request.user) for key in queryset)
        messages.success(request, ngettext("%(n)s clé révoquée : elle n'ouvre plus l'API.",
                                           "%(n)s clés révoquées : elles n'ouvrent plus l'API.", done) % {"n": done})
