"""CSV / XLSX exports of postings and companies (django-import-export); candidates/resources.py adds the
interested, oriented and hired figures."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from .models import Company, JobPosting


class JobPostingResource(resources.ModelResource):
    company = fields.Field(attribute="company__name", column_name=_("entreprise"))
    job_family = fields.Field(attribute="job_family__code", column_name=_("code ROME"))
    status = fields.Field(attribute="get_status_display", column_name=_("statut"))
    contract = fields.Field(attribute="get_contract_display", column_name=_("contrat"))
    remote = fields.Field(attribute="get_remote_display", column_name=_("télétravail"))
    published_at = fields.Field(column_name=_("publiée le"))

    class Meta:
        model = JobPosting
        fields = ["id", "title", "company", "job_family", "status", "contract", "city", "remote",
                  "open_to_retraining", "salary_min", "salary_max", "openings", "start_date", "published_at",
                  "closes_on"]
        export_order = fields

    def dehydrate_published_at(self, posting):
        return timezone.localtime(posting.published_at).strftime("%Y-%m-%d %H:%M") if posting.published_at else ""


class CompanyResource(resources.ModelResource):
    kind = fields.Field(attribute="get_kind_display", column_name=_("type"))
    size = fields.Field(attribute="get_size_display", column_name=_("effectif"))

    class Meta:
        model = Company
        fields = ["id", "name", "siret", "kind", "size", "city", "is_member"]
        export_order = fields
