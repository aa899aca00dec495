from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from tescforce import page_cache
from tescforce.admin_mixins import DomainErrorAdminMixin, country_column

from . import services
from .forms import UseCaseImageForm
from .models import ContactRequest, Sector, Technology, UseCase, UseCaseImage


@admin.register(Sector)
class SectorAdmin(DomainErrorAdminMixin, TranslationAdmin):
    list_display = ["name", "slug", "use_case_count"]
    search_fields = ["name_fr", "name_en", "slug"]
    prepopulated_fields = {"slug": ("name_fr",)}

    @admin.display(description=_("cas d'usage"))
    def use_case_count(self, obj):
        return obj.use_cases.count()


@admin.register(Technology)
class TechnologyAdmin(DomainErrorAdminMixin, TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_fr", "name_en", "slug"]
    prepopulated_fields = {"slug": ("name_fr",)}


class UseCaseImageInline(TranslationTabularInline):
    model = UseCaseImage
    form = UseCaseImageForm
    extra = 0
    fields = ["image", "alt_text", "position"]


@admin.register(UseCase)
class UseCaseAdmin(DomainErrorAdminMixin, TranslationAdmin):
    list_display = ["title", "sector", "client_type", "is_published", "is_featured", "position", "sheet_links"]
    list_editable = ["is_published", "is_featured", "position"]
    list_filter = ["is_published", "is_featured", "sector", "technologies", "client_type"]
    search_fields = ["title_fr", "title_en", "summary_fr", "summary_en", "client_name", "companies__name"]
    prepopulated_fields = {"slug": ("title_fr",)}
    filter_horizontal = ["technologies"]
    autocomplete_fields = ["companies"]
    list_select_related = ["sector"]
    date_hierarchy = "created_at"
    inlines = [UseCaseImageInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "sector", "technologies", "companies"]}),
        (_("Contenu"), {"fields": ["body", "results"]}),
        (_("Client"), {"fields": ["client_type", "client_name"]}),
        (_("Publication"), {"fields": ["is_published", "is_featured", "position"]}),
    ]

    @admin.display(description=_("fiche"))
    def sheet_links(self, obj):
        if not obj.is_published:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a> · <a href="{}">PDF</a>',
            reverse("showroom:usecase_sheet", kwargs={"slug": obj.slug}), _("imprimer"),
            reverse("showroom:usecase_sheet_pdf", kwargs={"slug": obj.slug}),
        )

    @admin.action(description=_("Publier les cas d'usage choisis"), permissions=["change"])
    def publish(self, request, queryset):
        count = queryset.update(is_published=True)
        page_cache.invalidate_watching("showroom.UseCase")  # an update sends no signal
        self.message_user(request, ngettext("%d cas d'usage publié.", "%d cas d'usage publiés.", count) % count)

    @admin.action(description=_("Retirer de la publication"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.update(is_published=False, is_featured=False)
        page_cache.invalidate_watching("showroom.UseCase")  # an update sends no signal
        self.message_user(request, ngettext("%d cas d'usage retiré.", "%d cas d'usage retirés.", count) % count)


@admin.register(UseCaseImage)
class UseCaseImageAdmin(DomainErrorAdminMixin, TranslationAdmin):
    form = UseCaseImageForm
    list_display = ["alt_text", "use_case", "position"]
    list_select_related = ["use_case"]
    search_fields = ["alt_text_fr", "alt_text_en", "use_case__title_fr"]
    autocomplete_fields = ["use_case"]


@admin.register(ContactRequest)
class ContactRequestAdmin(DomainErrorAdminMixin, admin.ModelAdmin):
    list_display = ["organisation", "name", "country_name", "use_case", "language", "created_at", "handled"]
    list_filter = ["handled", "language", "country", "use_case__sector"]
    search_fields = ["organisation", "name", "email", "message"]
    date_hierarchy = "created_at"
    list_select_related = ["use_case"]
    country_name = country_column("country", _("pays"))
    readonly_fields = ["use_case", "name", "email", "organisation", "country", "message", "language",
                       "created_at", "acknowledged_at"]
    # prospecting/admin.py adds "make_prospects" (opening prospects from requests): showroom never imports it.
    actions = ["mark_handled"]

    def has_add_permission(self, request):
        return False  # requests come from the public form only

    @admin.action(description=_("Marquer comme traitées"), permissions=["change"])
    def mark_handled(self, request, queryset):
        for contact_request in queryset:
            services.contact_request_mark_handled(contact_request=contact_request)
        self.message_user(request, _("Demandes marquées comme traitées."))
