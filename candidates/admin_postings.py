"""The companies' admin pages with what this app holds about them: the interested, oriented and hired
figures, and each posting's shortlist. They replace companies' registrations (companies, below
candidates, does not import this app); paths and URL names stay those of the companies admin."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from companies import admin as companies_admin
from companies.models import Company, JobPosting

from . import resources, selectors, services
from .forms import ShortlistStatusForm


def _wants_figures(request: HttpRequest) -> bool:
    """Figures are subqueries: compute them for the changelist and its export only."""
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name and match.url_name.endswith(("_changelist", "_export")))


class _InterestColumns:
    """The interested and referred counts (annotated by the selectors' figures), for companies and postings."""

    @admin.display(description=_("intéressé·es"), ordering="fig_interested")
    def interested_col(self, obj):
        return obj.fig_interested

    @admin.display(description=_("orienté·es"), ordering="fig_oriented")
    def oriented_col(self, obj):
        return obj.fig_oriented


class CompanyAdmin(_InterestColumns, companies_admin.CompanyAdmin):
    resource_classes = [resources.CompanyResource]
    list_display = (*companies_admin.CompanyAdmin.list_display, "openings_col", "interested_col", "oriented_col",
                    "hired_col")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return selectors.company_figures(qs) if _wants_figures(request) else qs

    @admin.display(description=_("postes ouverts"), ordering="fig_openings")
    def openings_col(self, obj):
        return obj.fig_openings


    @admin.display(description=_("recruté·es"), ordering="fig_hired")
    def hired_col(self, obj):
        return obj.fig_hired


class JobPostingAdmin(_InterestColumns, companies_admin.JobPostingAdmin):
    resource_classes = [resources.JobPostingResource]
    change_form_template = "candidates/admin/jobposting_change_form.html"
    list_display = (*companies_admin.JobPostingAdmin.list_display, "interested_col", "oriented_col")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return selectors.posting_figures(qs) if _wants_figures(request) else qs

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if request.user.has_perm("candidates.view_jobinterest"):
            columns.append("shortlist_link")
        return columns

    # --- columns ---


    @admin.display(description=_("candidat·es"))
    def shortlist_link(self, obj):
        url = reverse("admin:companies_jobposting_shortlist", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Voir la liste"))

    # --- the shortlist page ---

    def get_urls(self):
        return [
            path("<path:object_id>/shortlist/", self.admin_site.admin_view(self.shortlist_view),
                 name="companies_jobposting_shortlist"),
            *super().get_urls(),
        ]

    def shortlist_view(self, request, object_id):
        """Candidates interested in or oriented to one posting, with the status the recruiter sets."""
        if not request.user.has_perm("candidates.view_jobinterest"):
            raise PermissionDenied
        posting = self.get_object(request, unquote(object_id))
        if posting is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        form = None
        if request.method == "POST":
            if not request.user.has_perm("candidates.change_jobinterest"):
                raise PermissionDenied
            form = ShortlistStatusForm(request.POST)
            if form.is_valid():
                rows = {row.candidate.pk: row for row in selectors.shortlist(posting=posting)}
                row = rows.get(form.cleaned_data["candidate"])
                if row is None:
                    messages.error(request, _("Cette personne ne figure pas parmi les candidat·es de cette offre."))
                else:
                    try:
                        refusal = services.shortlist_set_status(posting=posting, candidate=row.candidate,
                                                                status=form.cleaned_data["status"], by=request.user)
                    except services.CandidateError as exc:
                        messages.error(request, str(exc))
                    else:
                        messages.success(request, _("Statut de %(name)s mis à jour.") % {"name": row.candidate})
                        if refusal:
                            messages.warning(request, _("Le parcours de la personne n'a pas suivi : %(why)s "
                                                        "L'équipe Tesc Force le mettra à jour.") % {"why": refusal})
                return HttpResponseRedirect(request.path)
            messages.error(request, _("Choisissez un statut dans la liste."))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "posting": posting,
            "rows": selectors.shortlist(posting=posting),
            "status_choices": ShortlistStatusForm().fields["status"].choices,
            "can_change": request.user.has_perm("candidates.change_jobinterest"),
            "title": _("Candidat·es pour « %(title)s »") % {"title": posting.title},
            "has_view_permission": True,
            "original": posting,
        }
        return TemplateResponse(request, "candidates/admin/shortlist.html", context)


admin.site.unregister(Company)
admin.site.register(Company, CompanyAdmin)
admin.site.unregister(JobPosting)
admin.site.register(JobPosting, JobPostingAdmin)
