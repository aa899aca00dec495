"""CSV/XLSX exports of candidate lists: one resource per role, so a recruiter's file never holds more."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from companies import resources as companies_resources
from companies.models import Company, JobPosting

from . import records
from .models import Campaign, Candidate


class _CandidateBase(resources.ModelResource):
    phone = fields.Field(attribute="phone", column_name=str(_("téléphone")))
    profile = fields.Field(attribute="get_profile_display", column_name=str(_("profil")))
    education = fields.Field(attribute="get_education_display", column_name=str(_("niveau d'études")))
    experience = fields.Field(attribute="get_experience_display", column_name=str(_("expérience")))
    job_families = fields.Field(column_name=str(_("métiers recherchés")))
    skills = fields.Field(column_name=str(_("compétences")))
    mobility = fields.Field(column_name=str(_("mobilité")))

    def dehydrate_phone(self, candidate):
        return str(candidate.phone) if candidate.phone else ""

    def dehydrate_job_families(self, candidate):
        return ", ".join(f.label for f in candidate.desired_job_families.all())

    def dehydrate_skills(self, candidate):
        return ", ".join(s.name for s in candidate.skills.all())

    def dehydrate_mobility(self, candidate):
        labels = [
            (candidate.mobility_toulouse, "Toulouse"), (candidate.mobility_montpellier, "Montpellier"),
            (candidate.mobility_occitanie, str(_("Occitanie"))), (candidate.mobility_remote, str(_("télétravail"))),
        ]
        return ", ".join(label for wanted, label in labels if wanted)

    def get_export_headers(self, selected_fields=None):
        # Column names are the French (or English) labels, not the field names.
        headers = []
        for field in self.get_export_fields(selected_fields):
            model_field = next((f for f in Candidate._meta.fields if f.name == field.attribute), None)
            headers.append(str(model_field.verbose_name) if model_field and field.column_name == field.attribute
                           else str(field.column_name))
        return headers

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("skills", "desired_job_families").select_related("source_campaign")


class CandidateResource(_CandidateBase):
    """Coordinators' export: the whole record except free-text notes."""

    stage = fields.Field(attribute="get_stage_display", column_name=str(_("étape")))
    gender = fields.Field(attribute="get_gender_display", column_name=str(_("genre")))
    source_campaign = fields.Field(attribute="source_campaign__name", column_name=str(_("campagne d'origine")))
    referred_by = fields.Field(column_name=str(_("orienté·e par")))

    class Meta:
        model = Candidate
        name = _("Export complet (coordination)")
        fields = ("id", "first_name", "last_name", "email", "phone", "postcode", "city", "profile", "education",
                  "experience", "job_families", "skills", "mobility", "contract_wanted", "available_from", "stage",
                  "gender", "shown_to_recruiters", "from_other_region", "referred_by", "source_campaign",
                  "utm_source", "utm_medium", "utm_campaign", "confirmed_at", "last_activity_at", "created_at")
        export_order = fields

    def before_export(self, queryset, **kwargs):
        # Who referred each person, read once for the whole file (records.register_origin).
        self._origins = records.origins(queryset.values_list("pk", flat=True))
        super().before_export(queryset, **kwargs)

    def dehydrate_referred_by(self, candidate):
        origins = getattr(self, "_origins", None)
        if origins is None or candidate.pk not in origins:
            origins = records.origins([candidate.pk])
        return origins.get(candidate.pk, "")


class RecruiterCandidateResource(_CandidateBase):
    """Recruiters' export: what they need to contact the person; never gender, campaign or notes."""

    class Meta:
        model = Candidate
        name = _("Export recruteur")
        fields = ("first_name", "last_name", "email", "phone", "city", "profile", "education", "experience",
                  "job_families", "skills", "mobility", "contract_wanted", "available_from")
        export_order = fields


class CampaignResource(resources.ModelResource):
    registrations = fields.Field(attribute="registrations", column_name=str(_("inscriptions")))
    cost_per_registration = fields.Field(attribute="cost_per_registration",
                                         column_name=str(_("coût par inscription (€)")))
    qualified = fields.Field(attribute="qualified", column_name=str(_("qualifié·es")))
    hired = fields.Field(attribute="hired", column_name=str(_("recruté·es")))

    class Meta:
        model = Campaign
        fields = ("code", "name", "city", "channel", "starts_on", "ends_on", "budget", "registrations",
                  "cost_per_registration", "qualified", "hired")
        export_order = fields


# The companies' exports with the figures this app holds (candidates/admin_postings.py annotates them).
# Same class names as companies.resources': the export form's field names stay the same.

class JobPostingResource(companies_resources.JobPostingResource):
    interested = fields.Field(attribute="fig_interested", column_name=_("intéressé·es"))
    oriented = fields.Field(attribute="fig_oriented", column_name=_("orienté·es"))

    class Meta:
        model = JobPosting
        fields = [*companies_resources.JobPostingResource.Meta.fields, "interested", "oriented"]
        export_order = fields


class CompanyResource(companies_resources.CompanyResource):
    openings = fields.Field(attribute="fig_openings", column_name=_("postes ouverts"))
    interested = fields.Field(attribute="fig_interested", column_name=_("intéressé·es"))
    oriented = fields.Field(attribute="fig_oriented", column_name=_("orienté·es"))
    hired = fields.Field(attribute="fig_hired", column_name=_("recruté·es"))

    class Meta:
        model = Company
        fields = [*companies_resources.CompanyResource.Meta.fields, "openings", "interested", "oriented", "hired"]
        export_order = fields
