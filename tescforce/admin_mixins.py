from django.contrib import admin
from django.contrib.admin import helpers
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .scoping import recruiter_company_id, scope_queryset


class ScopedAdminMixin:
    """Limit a model admin, its foreign-key choices and its autocompletes to what the user may see.

    Autocomplete and raw-id popups go through the related model's admin `get_queryset`, so every
    admin of a company-owned model must use this mixin.
    """

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")  # a bare "example.com" means https (Django 6's default)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scope_queryset(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scope_queryset(field.queryset, request.user)
        return field

    def action_checkbox(self, obj):
        # Django's markup, written directly: rendering a widget template for each of 100 rows costs about a
        # fifth of a changelist's time.
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html('<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
                           helpers.ACTION_CHECKBOX_NAME, obj.pk, label)

    def is_recruiter(self, request) -> bool:
        return recruiter_company_id(request.user) is not None


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


class ScopedInline(ScopedAdminMixin, admin.TabularInline):
    extra = 0
