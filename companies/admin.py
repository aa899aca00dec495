"""The recruiters' and coordinators' back office for companies and job postings.

Every admin here goes through tescforce.admin_mixins, so a recruiter only ever meets their own
company's rows: in changelists, change pages, autocompletes, raw-id popups and actions. The
candidates app re-registers the company and posting pages with its figures and each posting's
shortlist (candidates/admin_postings.py).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from tescforce.accounts import manageable_users
from tescforce.admin_mixins import (
    LONG_LIST_PER_PAGE,
    DomainErrorAdminMixin,
    ExportForViewersMixin,
    ScopedAdminMixin,
    ScopedInline,
    ScopedModelAdmin,
)
from tescforce.scoping import recruiter_company_id

from .forms import CompanyAdminForm, JobPostingAdminForm
from .models import Company, CompanySite, JobFamily, JobPosting, Partner, Recruiter, Skill
from .resources import CompanyResource, JobPostingResource
from .services import (
    CompaniesError,
    job_posting_duplicate,
    job_posting_save,
    job_posting_set_status,
    recruiter_save,
)

# Django 6 will assume https for scheme-less URLs; say so now (and silence the transition warning).


class CompanySiteInline(ScopedInline):
    model = CompanySite
    fields = ("city", "address", "postcode", "headcount", "is_headquarters")


@admin.register(Company)
class CompanyAdmin(ScopedAdminMixin, DomainErrorAdminMixin, ExportForViewersMixin, TranslationAdmin):
    form = CompanyAdminForm
    resource_classes = [CompanyResource]
    inlines = [CompanySiteInline]
    list_display = ("name", "kind", "size", "city", "is_member")
    list_filter = ("kind", "size", "is_member")
    search_fields = ("name", "siret", "city")
    fieldsets = (
        (None, {"fields": ("name", "slug", "siret", "kind", "size", "website", "logo")}),
        (_("Siège"), {"fields": ("city", "postcode")}),
        (_("Présentation"), {"fields": ("description",)}),
        (_("Adhésion"), {"fields": ("is_member", "member_since")}),
    )

    def get_prepopulated_fields(self, request, obj=None):
        return {} if self.is_recruiter(request) else {"slug": ("name",)}

    def get_readonly_fields(self, request, obj=None):
        if self.is_recruiter(request):
            return ("slug", "is_member", "member_since")
        return ()

    def get_list_filter(self, request):
        return () if self.is_recruiter(request) else self.list_filter


@admin.register(Recruiter)
class RecruiterAdmin(ScopedModelAdmin):
    list_display = ("__str__", "company", "job_title", "email", "language")
    list_select_related = ("user", "company")
    search_fields = ("user__first_name", "user__last_name", "user__email", "company__name")
    # An order of its own: the model has none, and the autocomplete's pages would repeat or skip people.
    ordering = ("user__last_name", "user__first_name", "pk")
    autocomplete_fields = ("company",)
    raw_id_fields = ("user",)

    @admin.display(description=_("e-mail"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    def get_list_filter(self, request):
        return () if self.is_recruiter(request) else ("company__is_member",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and field is not None:
            # Only an account the person may manage becomes a recruiter (never a coordinator or a superuser).
            field.queryset = field.queryset & manageable_users(request.user)
        return field

    def save_model(self, request, obj, form, change):
        recruiter_save(recruiter=obj)


@admin.register(Partner)
class PartnerAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "city", "contact_name", "contact_email")
    list_filter = ("kind",)
    search_fields = ("name", "city", "contact_name")


@admin.register(Skill)
class SkillAdmin(ScopedModelAdmin):
    list_display = ("name", "category")
    list_filter = ("category",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("related",)


@admin.register(JobFamily)
class JobFamilyAdmin(ScopedModelAdmin):
    """The ROME reference: shipped with the code, read-only here."""

    list_display = ("code", "label", "label_en")
    search_fields = ("code", "label", "label_en")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PostingCompanyFilter(admin.SimpleListFilter):
    """Filter by company without listing every company: the sidebar only names the chosen one.

    Listing the 2,000 companies that have postings cost most of the changelist; companies are found
    with the search box (company name) or reached with ?company=<id>.
    """

    title = _("entreprise")
    parameter_name = "company"

    def _company_id(self) -> int | None:
        value = self.value()
        return int(value) if value and value.isdigit() else None

    def lookups(self, request, model_admin):
        company_id = self._company_id()
        if company_id is None:
            return []
        name = Company.objects.filter(pk=company_id).values_list("name", flat=True).first()
        return [(str(company_id), name)] if name else []

    def queryset(self, request, queryset):
        company_id = self._company_id()
        return queryset if company_id is None else queryset.filter(company_id=company_id)


@admin.register(JobPosting)
class JobPostingAdmin(ExportForViewersMixin, ScopedModelAdmin):
    form = JobPostingAdminForm
    resource_classes = [JobPostingResource]
    change_form_template = "companies/admin/jobposting_change_form.html"
    list_display = ("title", "company", "status", "city", "contract", "published_at", "closes_on")
    list_select_related = ("company",)
    list_filter = ("status", "contract", "remote", "open_to_retraining", "job_family")
    search_fields = ("title", "company__name", "city")
    list_per_page = LONG_LIST_PER_PAGE
    # Django counts every row again on each page for « (N au total) » beside a search or filter.
    show_full_result_count = False
    date_hierarchy = "published_at"
    autocomplete_fields = ("company", "job_family", "skills_required", "skills_nice")
    readonly_fields = ("slug", "published_at", "ended_at", "created_by", "created_at", "updated_at")
    actions = ["duplicate", "publish", "mark_filled", "close"]
    fieldsets = (
        (None, {"fields": ("company", "title", "job_family", "status")}),
        (_("Le poste"), {"fields": ("description", "contract", "level", "openings", "start_date")}),
        (_("En anglais (facultatif)"), {
            "fields": ("title_en", "description_en"),
            "description": _("Les visiteurs du site en anglais lisent ces textes ; laissés vides, ils lisent le "
                             "français, signalé « en français »."),
        }),
        (_("Lieu"), {"fields": ("city", "postcode", "remote")}),
        (_("Compétences"), {"fields": ("skills_required", "skills_nice")}),
        (_("Conditions"), {"fields": ("salary_min", "salary_max", "open_to_retraining")}),
        (_("Dates"), {"fields": ("closes_on", "published_at", "ended_at")}),
        (_("Suivi"), {"fields": ("slug", "created_by", "created_at", "updated_at"), "classes": ("collapse",)}),
    )

    # --- who sees and edits what ---

    def _forced_company(self, request) -> Company | None:
        """The recruiter's own company (None for coordinators, who choose)."""
        company_id = recruiter_company_id(request.user)
        if company_id is None:
            return None
        company = Company.objects.filter(pk=company_id).first()
        if company is None:
            raise PermissionDenied
        return company

    def has_add_permission(self, request):
        return super().has_add_permission(request) and recruiter_company_id(request.user) != 0

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        return tuple(f for f in fields if f != "company") if self.is_recruiter(request) else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        company = self._forced_company(request)
        if company is not None and "company" in form.base_fields:
            field = form.base_fields["company"]
            field.disabled = True
            field.initial = company.pk
            field.help_text = _("Vos offres sont publiées au nom de votre entreprise.")
        return form

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        company = self._forced_company(request)
        if company is not None:
            initial["company"] = company.pk
        return initial

    def get_list_filter(self, request):
        if self.is_recruiter(request):
            return self.list_filter
        return (*self.list_filter, PostingCompanyFilter)

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if self.is_recruiter(request):
            columns.remove("company")
        return columns

    def save_model(self, request, obj, form, change):
        # "Publier" on the form saves and publishes in one step (a draft or a new posting).
        if "_publish" in request.POST:
            obj.status = JobPosting.Status.PUBLISHED
        # A refusal (a status move the rules forbid) comes back on the form: DomainErrorAdminMixin.
        job_posting_save(posting=obj, by=request.user, company=self._forced_company(request))

    def response_add(self, request, obj, post_url_continue=None):
        if "_publish" in request.POST:
            return self._published(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            return self._published(request, obj)
        return super().response_change(request, obj)

    def _published(self, request, obj):
        self.message_user(request, _("« %(title)s » est publiée : elle paraît sur le site dès maintenant.")
                          % {"title": obj.title}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:companies_jobposting_change", args=[obj.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The "Publier" button: for a new posting or a draft, to whoever may save it.
        context["show_publish"] = (obj is None or obj.status == JobPosting.Status.DRAFT) and (
            self.has_add_permission(request) if obj is None else self.has_change_permission(request, obj))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_urls(self):
        return [path("<int:pk>/dupliquer/", self.admin_site.admin_view(self.duplicate_view),
                     name="companies_jobposting_duplicate"), *super().get_urls()]

    def duplicate_view(self, request, pk):
        """The form's "Dupliquer" button: a draft copy of this posting, opened for editing."""
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        posting = self.get_queryset(request).filter(pk=pk).first()
        if posting is None:
            raise Http404
        copy = job_posting_duplicate(posting=posting, by=request.user)
        self.message_user(request, _("Copie créée en brouillon : relisez-la, puis « Publier »."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:companies_jobposting_change", args=[copy.pk]))

    # --- actions ---

    @admin.action(description=_("Dupliquer en brouillon"), permissions=["add"])
    def duplicate(self, request, queryset: QuerySet[JobPosting]):
        copies = [job_posting_duplicate(posting=p, by=request.user) for p in queryset.select_related(None)]
        self.message_user(request, ngettext("%(n)d offre dupliquée en brouillon.",
                                            "%(n)d offres dupliquées en brouillon.", len(copies)) % {"n": len(copies)})
        if len(copies) == 1:
            return HttpResponseRedirect(reverse("admin:companies_jobposting_change", args=[copies[0].pk]))
        return None

    def _move(self, request, queryset, status):
        done, refused = 0, []
        for posting in queryset:
            try:
                job_posting_set_status(posting=posting, status=status, by=request.user)
                done += 1
            except CompaniesError as exc:
                refused.append(f"{posting.title} : {exc}")
        if done:
            self.message_user(request, ngettext("%(n)d offre mise à jour.", "%(n)d offres mises à jour.", done)
                              % {"n": done})
        for line in refused:
            self.message_user(request, line, level=messages.ERROR)

    @admin.action(description=_("Publier"), permissions=["change"])
    def publish(self, request, queryset):
        self._move(request, queryset, JobPosting.Status.PUBLISHED)

    @admin.action(description=_("Marquer comme pourvues"), permissions=["change"])
    def mark_filled(self, request, queryset):
        self._move(request, queryset, JobPosting.Status.FILLED)

    @admin.action(description=_("Clore"), permissions=["change"])
    def close(self, request, queryset):
        self._move(request, queryset, JobPosting.Status.CLOSED)
