from django import forms
from django.contrib import admin, messages
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.template.defaultfilters import date as date_filter
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin

from companies.models import Company, JobPosting
from tescforce.admin_mixins import LONG_LIST_PER_PAGE, ScopedExportItemsMixin, ScopedInline, ScopedModelAdmin
from tescforce.exports import EXPORT_FORMATS
from tescforce.permissions import is_coordinator
from tescforce.scoping import recruiter_company_id

from . import admin_postings, admin_search, records, search, selectors, services  # noqa: F401 - admin_postings: companies' pages with figures
from .forms import OrientationActionForm, QualificationActionForm, WithdrawActionForm
from .models import (
    Campaign,
    CampaignFunding,
    Candidate,
    Consent,
    Erasure,
    JobInterest,
    Orientation,
    Qualification,
    StageChange,
)
from .resources import CampaignResource, CandidateResource, RecruiterCandidateResource


def _autocomplete_if_possible(model_admin, fields):
    """Use autocomplete for the related models whose admin can search; Django checks refuse the others."""
    usable = []
    for name in fields:
        related = model_admin.model._meta.get_field(name).remote_field.model
        related_admin = model_admin.admin_site._registry.get(related)
        if related_admin is not None and related_admin.search_fields:
            usable.append(name)
    return usable


class AutocompleteWhenPossibleMixin:
    autocomplete_candidates: tuple[str, ...] = ()

    def get_autocomplete_fields(self, request):
        return _autocomplete_if_possible(self, self.autocomplete_candidates)


class OrientationAdminForm(forms.ModelForm):
    class Meta:
        model = Orientation
        fields = ("candidate", "company", "posting", "session", "status", "outcome")

    def clean(self):
        data = super().clean()
        candidate = data.get("candidate") or getattr(self.instance, "candidate", None)
        if self.instance.pk is None and candidate is not None:
            try:
                services.orientation_check(candidate=candidate)
            except services.CandidateError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return data


# --- inlines ---------------------------------------------------------------------------------------

class ReadOnlyInline(ScopedInline):
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ConsentInline(ReadOnlyInline):
    model = Consent
    fields = ("kind", "wording_version", "channel", "given_at", "withdrawn_at", "recorded_by")
    readonly_fields = fields
    ordering = ("given_at",)


class StageChangeInline(ReadOnlyInline):
    model = StageChange
    fields = ("changed_at", "from_stage", "to_stage", "changed_by", "comment")
    readonly_fields = fields
    ordering = ("changed_at", "id")


class QualificationInline(admin.StackedInline):
    model = Qualification
    extra = 0
    max_num = 1
    can_delete = False
    fields = ("level", "motivation", "training_needed", "notes", "qualified_by", "qualified_at")
    readonly_fields = ("qualified_by", "qualified_at")


class OrientationInline(AutocompleteWhenPossibleMixin, ScopedInline):
    model = Orientation
    form = OrientationAdminForm
    fk_name = "candidate"
    fields = ("company", "posting", "session", "status", "outcome", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    autocomplete_candidates = ("company", "posting")
    raw_id_fields = ("session",)

    def get_readonly_fields(self, request, obj=None):
        if recruiter_company_id(request.user) is not None:
            return ("company", "posting", "session", "created_by", "created_at")
        return self.readonly_fields


# --- filters ---------------------------------------------------------------------------------------

class ConfirmedFilter(admin.SimpleListFilter):
    title = _("e-mail confirmé")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return (("yes", _("Oui")), ("no", _("Non, en attente")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(confirmed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(confirmed_at__isnull=True)
        return queryset


class AnonymisedFilter(admin.SimpleListFilter):
    title = _("anonymisé")
    parameter_name = "anonymised"

    def lookups(self, request, model_admin):
        return (("yes", _("Oui")), ("no", _("Non")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(anonymised_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(anonymised_at__isnull=True)
        return queryset


# --- candidates ------------------------------------------------------------------------------------

class CandidateAdminForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ("first_name", "last_name", "email", "phone", "postcode", "city", "profile", "education",
                  "experience", "desired_job_families", "skills", "mobility_toulouse", "mobility_montpellier",
                  "mobility_occitanie", "mobility_remote", "contract_wanted", "available_from", "gender",
                  "source_campaign")

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        taken = Candidate.objects.with_email(email).exclude(pk=self.instance.pk).exists()
        if taken:
            raise forms.ValidationError(_("Un·e candidat·e utilise déjà cet e-mail."))
        return email


@admin.register(Candidate)
class CandidateAdmin(AutocompleteWhenPossibleMixin, ScopedExportItemsMixin, ExportActionMixin, ScopedModelAdmin):
    form = CandidateAdminForm
    # E-mail and phone share a column, and "from another region" is a filter only: the list fits 1280 px.
    list_display = ("__str__", "contact_display", "stage", "profile", "source_campaign", "is_confirmed_display",
                    "shown_to_recruiters", "created_at")
    list_filter = ("stage", "profile", "source_campaign", "from_other_region", ConfirmedFilter,
                   "shown_to_recruiters", AnonymisedFilter, "created_at")
    search_fields = ("first_name", "last_name", "email", "phone")
    search_help_text = _("Nom, prénom, e-mail ou téléphone (tous formats).")
    # No date_hierarchy: its DISTINCT over every creation date cost most of the page at 100k candidates;
    # the "created_at" list filter covers the same need.
    list_select_related = ("source_campaign",)
    list_per_page = LONG_LIST_PER_PAGE
    show_full_result_count = False
    autocomplete_candidates = ("source_campaign",)
    filter_horizontal = ("skills", "desired_job_families")
    actions = ["qualify_action", "orient_action", "withdraw_action", "erase_action"]
    resource_classes = [CandidateResource]
    export_formats = EXPORT_FORMATS  # formula-escaping CSV and XLSX
    readonly_fields = ("public_id", "stage", "from_other_region", "cv_link", "confirmed_at", "last_activity_at",
                       "anonymised_at", "created_at", "updated_at", "timeline", "utm_source", "utm_medium",
                       "utm_campaign", "shown_to_recruiters", "language", "referred_by")
    coordinator_fieldsets = (
        (_("Identité et contact"), {"fields": ("first_name", "last_name", "email", "phone", "postcode", "city",
                                                "language")}),
        (_("Profil"), {"fields": ("profile", "education", "experience", "desired_job_families", "skills",
                                  ("mobility_toulouse", "mobility_montpellier", "mobility_occitanie",
                                   "mobility_remote"), "contract_wanted", "available_from", "cv_link", "gender")}),
        (_("Parcours"), {"fields": ("stage", "shown_to_recruiters", "from_other_region")}),
        (_("Origine"), {"fields": ("referred_by", "source_campaign", "utm_source", "utm_medium", "utm_campaign")}),
        (_("Historique"), {"fields": ("timeline", "public_id", "created_at", "confirmed_at", "last_activity_at",
                                      "updated_at", "anonymised_at")}),
    )
    recruiter_fieldsets = (
        (_("Identité et contact"), {"fields": ("first_name", "last_name", "email", "phone", "city")}),
        (_("Profil"), {"fields": ("profile", "education", "experience", "desired_job_families", "skills",
                                  ("mobility_toulouse", "mobility_montpellier", "mobility_occitanie",
                                   "mobility_remote"), "contract_wanted", "available_from", "cv_link")}),
    )

    # Roles ------------------------------------------------------------------------------------------
    def _recruiter(self, request) -> bool:
        return recruiter_company_id(request.user) is not None

    def has_pipeline_permission(self, request) -> bool:
        """Qualify, orient, withdraw and anonymise: the coordinators' decisions."""
        return is_coordinator(request.user) and self.has_change_permission(request)

    def has_export_permission(self, request) -> bool:
        # Bulk exports of personal data: coordinators, and recruiters for their own shortlist only.
        return is_coordinator(request.user) or (self._recruiter(request) and self.has_view_permission(request))

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self._recruiter(request):
            qs = qs.filter(confirmed_at__isnull=False)
        return qs

    def get_fieldsets(self, request, obj=None):
        return self.recruiter_fieldsets if self._recruiter(request) else self.coordinator_fieldsets

    def get_list_display(self, request):
        if self._recruiter(request):
            return ("__str__", "email", "phone", "city", "profile", "experience", "created_at")
        return self.list_display

    def get_list_filter(self, request):
        if self._recruiter(request):
            return ("profile", "experience", "mobility_toulouse", "mobility_montpellier", "mobility_remote")
        return self.list_filter

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        if self._recruiter(request):
            return [OrientationInline]
        return [QualificationInline, OrientationInline, ConsentInline, StageChangeInline]

    def get_export_resource_classes(self, request):
        return [RecruiterCandidateResource] if self._recruiter(request) else [CandidateResource]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self._recruiter(request):
            # Recruiters read and export their shortlist; they never delete, qualify or orient.
            return {k: v for k, v in actions.items() if k == "export_admin_action"}
        return actions

    def has_delete_permission(self, request, obj=None):
        # Deleting would remove the person from the figures: erasure anonymises instead.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        # Through the services; a refusal undoes the whole save and shows on the form (DomainErrorAdminMixin).
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if isinstance(obj, Orientation):
                services.orientation_save(orientation=obj, by=request.user)
            elif isinstance(obj, Qualification):
                services.qualification_save(qualification=obj, by=request.user)
            else:
                obj.save()
        formset.save_m2m()

    # Search ----------------------------------------------------------------------------------------
    def get_search_results(self, request, queryset, search_term):
        # The accent-, case- and format-blind search of candidates/search.py (the hotline's too), served
        # by a trigram index on PostgreSQL.
        parsed = search.normalise_query(search_term)
        if not parsed.usable:
            return super().get_search_results(request, queryset, search_term)
        return search.matching_candidates(parsed, queryset), False

    # Display ---------------------------------------------------------------------------------------
    @admin.display(description=_("contact"), ordering="email")
    def contact_display(self, obj):
        return format_html("{}<br>{}", obj.email, obj.phone) if obj.phone else obj.email

    @admin.display(description=_("confirmé"), boolean=True, ordering="confirmed_at")
    def is_confirmed_display(self, obj):
        return obj.confirmed_at is not None

    @admin.display(description=_("CV"))
    def cv_link(self, obj):
        if not obj or not obj.cv:
            return "—"
        url = reverse("admin:candidates_candidate_cv", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Télécharger le CV (PDF)"))

    @admin.display(description=_("orienté·e par"))
    def referred_by(self, obj):
        if not obj or not obj.pk:
            return "—"
        return records.origins([obj.pk]).get(obj.pk) or "—"

    @admin.display(description=_("historique"))
    def timeline(self, obj):
        if not obj or not obj.pk:
            return "—"
        rows = format_html_join(
            "", "<tr><td>{}</td><th scope='row'>{}</th><td>{}</td></tr>",
            ((date_filter(item["at"], "SHORT_DATETIME_FORMAT"), item["kind"], item["text"])
             for item in selectors.candidate_timeline(candidate=obj)),
        )
        return format_html('<table class="candidate-timeline"><tbody>{}</tbody></table>', rows)

    # CV download -----------------------------------------------------------------------------------
    def get_urls(self):
        return [path("<int:pk>/cv/", self.admin_site.admin_view(self.cv_view), name="candidates_candidate_cv"),
                *super().get_urls()]

    def cv_view(self, request, pk: int):
        candidate = self.get_queryset(request).filter(pk=pk).first()
        if candidate is None or not self.has_view_permission(request, candidate) or not candidate.cv:
            raise Http404
        response = FileResponse(candidate.cv.open("rb"), as_attachment=True, filename=f"cv-{candidate.pk}.pdf",
                                content_type="application/pdf")
        response["X-Content-Type-Options"] = "nosniff"
        return response

    # Actions ---------------------------------------------------------------------------------------
    def _run_for_each(self, request, queryset, operation, success_message):
        done = 0
        for candidate in queryset:
            try:
                operation(candidate)
                done += 1
            except services.CandidateError as exc:
                self.message_user(request, str(exc), messages.ERROR)
        if done:
            self.message_user(request, success_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Qualifier"), permissions=["pipeline"])
    def qualify_action(self, request, queryset):
        form = QualificationActionForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            data = form.cleaned_data
            self._run_for_each(request, queryset, lambda c: services.candidate_qualify(
                candidate=c, level=data["level"], motivation=data["motivation"],
                training_needed=data["training_needed"], notes=data["notes"], by=request.user),
                _("%(count)s candidat·e(s) qualifié·e(s)."))
            return None
        return self._action_page(request, queryset, form, "qualify_action", _("Qualifier les candidat·es"))

    @admin.action(description=_("Orienter vers une entreprise ou une offre"), permissions=["pipeline"])
    def orient_action(self, request, queryset):
        form = OrientationActionForm(
            request.POST if "apply" in request.POST else None,
            companies=Company.objects.order_by("name"),
            postings=JobPosting.objects.filter(status=JobPosting.Status.PUBLISHED).select_related("company"),
        )
        if "apply" in request.POST and form.is_valid():
            data = form.cleaned_data
            self._run_for_each(request, queryset, lambda c: services.orientation_create(
                candidate=c, company=data["company"], posting=data["posting"], by=request.user,
                comment=data["comment"]), _("%(count)s candidat·e(s) orienté·e(s)."))
            return None
        return self._action_page(request, queryset, form, "orient_action", _("Orienter les candidat·es"))

    @admin.action(description=_("Sortir du dispositif"), permissions=["pipeline"])
    def withdraw_action(self, request, queryset):
        form = WithdrawActionForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self._run_for_each(request, queryset, lambda c: services.candidate_withdraw(
                candidate=c, by=request.user, comment=form.cleaned_data["comment"]),
                _("%(count)s candidat·e(s) sorti·e(s) du dispositif."))
            return None
        return self._action_page(request, queryset, form, "withdraw_action", _("Sortir du dispositif"))

    @admin.action(description=_("Anonymiser (droit à l'effacement)"), permissions=["pipeline"])
    def erase_action(self, request, queryset):
        if "apply" in request.POST:
            count = sum(services.candidate_erase(candidate=c, reason="staff", by=request.user) for c in queryset)
            self.message_user(request, _("%(count)s candidat·e(s) anonymisé·e(s).") % {"count": count},
                              messages.SUCCESS)
            return None
        return self._action_page(request, queryset, None, "erase_action", _("Anonymiser les candidat·es"),
                                 warning=_("Les données personnelles seront effacées définitivement."))

    def _action_page(self, request, queryset, form, action, title, warning=None):
        context = {
            **self.admin_site.each_context(request),
            "title": title, "form": form, "queryset": queryset, "action": action, "warning": warning,
            "opts": self.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/candidates/candidate/action_form.html", context)


# --- campaigns -------------------------------------------------------------------------------------

class CampaignFundingInline(AutocompleteWhenPossibleMixin, admin.TabularInline):
    model = CampaignFunding
    extra = 1
    autocomplete_candidates = ("partner",)


@admin.register(Campaign)
class CampaignAdmin(ScopedExportItemsMixin, ExportActionMixin, ScopedModelAdmin):
    list_display = ("name", "code", "city", "channel", "starts_on", "ends_on", "budget", "registrations_display",
                    "cost_display", "qualified_display", "hired_display")
    list_filter = ("channel", "city", "starts_on")
    search_fields = ("name", "code", "city")
    date_hierarchy = "starts_on"
    prepopulated_fields = {"code": ("name",)}
    inlines = [CampaignFundingInline]
    resource_classes = [CampaignResource]
    export_formats = EXPORT_FORMATS  # formula-escaping CSV and XLSX

    def has_export_permission(self, request) -> bool:
        return is_coordinator(request.user)
    readonly_fields = ("figures", "tracking_links", "created_at")
    fieldsets = (
        (None, {"fields": ("name", "code", "city", "channel", ("starts_on", "ends_on"), "budget", "description")}),
        (_("Résultats"), {"fields": ("figures", "tracking_links", "created_at")}),
    )

    def get_queryset(self, request):
        return selectors.campaign_figures(super().get_queryset(request))

    @admin.display(description=_("inscriptions"), ordering="registrations")
    def registrations_display(self, obj):
        return obj.registrations

    @admin.display(description=_("coût / inscription"), ordering="cost_per_registration")
    def cost_display(self, obj):
        return "—" if obj.cost_per_registration is None else f"{obj.cost_per_registration:.2f} €"

    @admin.display(description=_("qualifié·es"), ordering="qualified")
    def qualified_display(self, obj):
        return _percent(obj.qualified, obj.qualified_rate)

    @admin.display(description=_("recruté·es"), ordering="hired")
    def hired_display(self, obj):
        return _percent(obj.hired, obj.hired_rate)

    @admin.display(description=_("chiffres"))
    def figures(self, obj):
        if not obj or not obj.pk:
            return "—"
        return format_html(
            "{} : {} · {} : {} · {} : {} · {} : {}",
            _("inscriptions"), obj.registrations, _("coût par inscription"), self.cost_display(obj),
            _("qualifié·es"), self.qualified_display(obj), _("recruté·es"), self.hired_display(obj),
        )

    @admin.display(description=_("liens de suivi"))
    def tracking_links(self, obj):
        if not obj or not obj.pk:
            return "—"
        short = reverse("candidates:campaign_link", kwargs={"code": obj.code})
        register = reverse("candidates:register")
        return format_html("<code>{}</code><br><code>{}?utm_source=…&amp;utm_medium=…&amp;utm_campaign={}</code>",
                           short, register, obj.code)


def _percent(count, rate):
    return f"{count}" if rate is None else f"{count} ({rate:.0f} %)"


# --- pipeline objects ------------------------------------------------------------------------------

class RecruiterConsentingOnlyMixin:
    """A recruiter sees a row only while its candidate agrees to be shown and has a live account."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if recruiter_company_id(request.user) is not None:
            qs = qs.filter(candidate__shown_to_recruiters=True, candidate__anonymised_at__isnull=True,
                           candidate__confirmed_at__isnull=False)
        return qs


@admin.register(Orientation)
class OrientationAdmin(admin_search.PersonSearchMixin, RecruiterConsentingOnlyMixin, AutocompleteWhenPossibleMixin,
                       ScopedModelAdmin):
    form = OrientationAdminForm
    list_display = ("candidate", "company", "posting", "status", "created_at", "created_by")
    list_filter = ("status", "created_at")
    search_fields = ("candidate__first_name", "candidate__last_name", "candidate__email", "company__name",
                     "posting__title")
    date_hierarchy = "created_at"
    list_select_related = ("candidate", "company", "posting", "created_by")
    autocomplete_candidates = ("candidate", "company", "posting")
    raw_id_fields = ("session",)
    readonly_fields = ("created_by", "created_at", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        if recruiter_company_id(request.user) is not None:
            return ("candidate", "company", "posting", "session", "created_by", "created_at", "updated_at")
        return self.readonly_fields

    def get_list_filter(self, request):
        if recruiter_company_id(request.user) is not None:
            return ("status", "created_at")
        return ("status", ("company", admin.RelatedOnlyFieldListFilter), "created_at")

    def save_model(self, request, obj, form, change):
        services.orientation_save(orientation=obj, by=request.user)


@admin.register(JobInterest)
class JobInterestAdmin(admin_search.PersonSearchMixin, RecruiterConsentingOnlyMixin, AutocompleteWhenPossibleMixin,
                       ScopedModelAdmin):
    list_display = ("candidate", "posting", "status", "confirmed_at", "created_at")
    list_filter = ("status", "created_at")
    search_fields = ("candidate__first_name", "candidate__last_name", "candidate__email", "posting__title")
    date_hierarchy = "created_at"
    list_select_related = ("candidate", "posting__company")
    autocomplete_candidates = ("candidate", "posting")
    readonly_fields = ("confirmed_at", "created_at", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        if recruiter_company_id(request.user) is not None:
            return ("candidate", "posting", "confirmed_at", "created_at", "updated_at")
        return self.readonly_fields

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if recruiter_company_id(request.user) is not None:
            qs = qs.filter(confirmed_at__isnull=False)
        return qs


class ViewOnlyAdmin(ScopedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StageChange)
class StageChangeAdmin(admin_search.PersonSearchMixin, ViewOnlyAdmin):
    list_display = ("changed_at", "candidate", "from_stage", "to_stage", "changed_by")
    list_filter = ("to_stage", "from_stage", "changed_at")
    search_fields = ("candidate__first_name", "candidate__last_name", "candidate__email")
    date_hierarchy = "changed_at"
    list_select_related = ("candidate", "changed_by")


@admin.register(Consent)
class ConsentAdmin(admin_search.PersonSearchMixin, ViewOnlyAdmin):
    list_display = ("given_at", "candidate", "kind", "wording_version", "channel", "withdrawn_at")
    list_filter = ("kind", "wording_version", "channel", "given_at")
    search_fields = ("candidate__first_name", "candidate__last_name", "candidate__email")
    date_hierarchy = "given_at"
    list_select_related = ("candidate",)


@admin.register(Qualification)
class QualificationAdmin(admin_search.PersonSearchMixin, ScopedModelAdmin):
    list_display = ("candidate", "level", "motivation", "qualified_by", "qualified_at")
    list_filter = ("level", "motivation", "qualified_at")
    search_fields = ("candidate__first_name", "candidate__last_name", "candidate__email")
    date_hierarchy = "qualified_at"
    list_select_related = ("candidate", "qualified_by")
    raw_id_fields = ("candidate",)
    readonly_fields = ("qualified_by", "qualified_at")

    def save_model(self, request, obj, form, change):
        services.qualification_save(qualification=obj, by=request.user)


@admin.register(Erasure)
class ErasureAdmin(ViewOnlyAdmin):
    list_display = ("erased_at", "reason", "candidate_id", "erased_by")
    list_filter = ("reason", "erased_at")
    date_hierarchy = "erased_at"

    # The erasure log is for coordinators only; no group permission is needed for it.
    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and is_coordinator(request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

