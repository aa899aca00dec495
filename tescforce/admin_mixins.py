from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
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

    # History: a change message names the rows edited with the object (an orientation to another company,
    # a candidate who has since withdrawn consent), which scoping cannot filter out of free text. Recruiters
    # get no history page at all; an object they cannot see still answers as missing.
    def history_view(self, request, object_id, extra_context=None):
        if self.is_recruiter(request) and self.get_object(request, unquote(object_id)) is not None:
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "hide_history_link": self.is_recruiter(request)}
        return super().change_view(request, object_id, form_url, extra_context)


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


class ScopedInline(ScopedAdminMixin, admin.TabularInline):
    extra = 0


def scoped_view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" redirect (/admin/r/…), for objects the user may see only.

    Django's own shortcut answers for any object of any model; for another company's draft posting its
    redirect would reveal the address, hence the title.
    """
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    try:
        visible = model is not None and scope_queryset(model._default_manager.all(), request.user).filter(
            pk=object_id).exists()
    except (ValueError, ValidationError):  # not an id of this model
        visible = False
    if not visible:
        raise Http404
    return shortcut(request, content_type_id, object_id)
