"""Admin of the job-dating agendas: coordinators adjust interviews by hand, then publish."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from candidates.services import CandidateError
from candidates.wording import holds_match_consent_q
from tescforce.admin_mixins import CoordinatorsReadOnlyMixin, DomainErrorAdminMixin, ScopedInline, ScopedModelAdmin
from tescforce.permissions import is_coordinator

from . import agenda as agenda_services
from . import scorecards
from .models import Interview, InterviewRelease, JobDatingAgenda, Match, Scorecard
from .selectors import matchable_candidates_q
from .sheet_links import SheetError

# Moving one of these on an interview already sent updates the people's calendars.
TIME_FIELDS = {"starts_at", "ends_at"}


def _announce_moves(request, forms) -> None:
    told = sum(agenda_services.interview_calendar_changed(interview=form.instance) for form in forms
               if form.instance.pk and TIME_FIELDS.intersection(form.changed_data))
    if told:
        messages.info(request, _("%(n)s personne(s) vont recevoir l'entretien mis à jour.") % {"n": told})


class InterviewInline(ScopedInline):
    model = Interview
    fields = ("starts_at", "ends_at", "company", "candidate", "posting", "score", "notified_at", "cancelled_at")
    readonly_fields = ("score", "notified_at", "cancelled_at")
    raw_id_fields = ("candidate", "posting")


@admin.register(JobDatingAgenda)
class JobDatingAgendaAdmin(DomainErrorAdminMixin, admin.ModelAdmin):
    list_display = ("session", "max_per_candidate", "built_at", "published_at")
    readonly_fields = ("built_at", "published_at")
    inlines = [InterviewInline]
    actions = ["build", "publish", "send_sheet_links"]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Interview:
            _announce_moves(request, [f for f in formset.forms if f not in formset.deleted_forms])

    @admin.action(description=_("Construire l'agenda à partir des rapprochements"))
    def build(self, request, queryset):
        for agenda in queryset.select_related("session"):
            try:
                plan = agenda_services.agenda_build(session=agenda.session)
            except CandidateError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                continue
            self.message_user(request, _("%(session)s : %(n)s entretiens, %(left)s personne(s) sans entretien.")
                              % {"session": agenda.session, "n": len(plan.interviews), "left": len(plan.unplaced)})

    @admin.action(description=_("Publier et envoyer à chacun son agenda"))
    def publish(self, request, queryset):
        for agenda in queryset:
            problems = agenda_services.agenda_check(agenda)
            if problems:
                self.message_user(request, " ".join(problems), messages.ERROR)
                continue
            try:
                sent = agenda_services.agenda_publish(agenda=agenda)
            except CandidateError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                continue
            self.message_user(request, _("%(session)s publié : %(n)s e-mails envoyés.")
                              % {"session": agenda.session, "n": sent})


    @admin.action(description=_("Envoyer à nouveau à chaque recruteur le lien de sa fiche d'entretiens (les "
                                "liens précédents cessent de fonctionner)"), permissions=["change"])
    def send_sheet_links(self, request, queryset):
        for agenda in queryset.select_related("session"):
            try:
                sent = agenda_services.sheet_links_send(agenda=agenda)
            except CandidateError as exc:
                self.message_user(request, f"{agenda.session} : {exc.message}", messages.ERROR)
                continue
            self.message_user(request, _("%(session)s : %(n)s lien(s) envoyé(s) ; les anciens ne fonctionnent plus.")
                              % {"session": agenda.session, "n": sent})


@admin.register(Interview)
class InterviewAdmin(ScopedModelAdmin):
    list_display = ("starts_at", "company", "candidate", "posting", "score", "cancelled_at")
    list_filter = ("agenda",)
    raw_id_fields = ("candidate", "posting")
    readonly_fields = ("notified_at", "cancelled_at")
    actions = ["cancel_interviews"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            _announce_moves(request, [form])

    @admin.action(description=_("Annuler les entretiens sélectionnés (prévient les personnes concernées)"),
                  permissions=["change"])
    def cancel_interviews(self, request, queryset):
        told = cancelled = 0
        for interview in queryset:
            try:
                told += agenda_services.interview_cancel(interview=interview)
            except CandidateError as exc:
                self.message_user(request, f"{interview} : {exc.message}", messages.WARNING)
            else:
                cancelled += 1
        if cancelled:
            self.message_user(request, _("%(interviews)s entretien(s) annulé(s) ; %(n)s personne(s) prévenue(s).")
                              % {"interviews": cancelled, "n": told})

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.is_recruiter(request):
            # An interview left by someone who no longer consents stops naming them at once.
            qs = qs.filter(holds_match_consent_q("candidate_id"), candidate__anonymised_at__isnull=True)
        return qs


@admin.register(InterviewRelease)
class InterviewReleaseAdmin(DomainErrorAdminMixin, admin.ModelAdmin):
    """Coordinators see which slots were freed after an agenda was sent, and whether recruiters were told."""

    list_display = ("agenda", "company", "starts_at", "reason", "created_at", "notified_at")
    list_filter = ("reason",)
    readonly_fields = ("agenda", "company", "starts_at", "ends_at", "reason", "created_at", "notified_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Match)
class MatchAdmin(ScopedModelAdmin):
    list_display = ("candidate", "posting", "score", "for_posting", "for_candidate", "computed_at")
    list_filter = ("for_posting", "for_candidate")
    raw_id_fields = ("candidate", "posting")
    readonly_fields = ("candidate", "posting", "score", "explanation", "for_posting", "for_candidate", "computed_at")

    @admin.display(description=_("explication"))
    def explanation(self, obj):
        return obj.explanation

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if self.is_recruiter(request):
            # Their page per posting shows the why, the skills, the CV and the one-click shortlist.
            columns.append("candidates_page")
        return columns

    @admin.display(description=_("candidat·es de l'offre"))
    def candidates_page(self, obj):
        url = reverse("staff:matching_recruiter_posting", args=[obj.posting_id])
        return format_html('<a href="{}">{}</a>', url, _("Pourquoi ce score, présélectionner"))

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.is_recruiter(request):
            # Recruiters see only candidates still looking who agreed, in the current wording, to be
            # shown to companies whose offers match their profile.
            qs = qs.filter(matchable_candidates_q("candidate__"), holds_match_consent_q("candidate_id"))
        return qs

    def has_add_permission(self, request):
        return False


class ToldFilter(admin.SimpleListFilter):
    title = _("candidat·e informé·e")
    parameter_name = "informe"

    def lookups(self, request, model_admin):
        return [("oui", _("Oui")), ("non", _("Non"))]

    def queryset(self, request, queryset):
        if self.value() in ("oui", "non"):
            return queryset.filter(outcome_requested_at__isnull=self.value() == "non")
        return queryset


class JobDatingFilter(admin.SimpleListFilter):
    title = _("job dating")
    parameter_name = "session"

    def lookups(self, request, model_admin):
        agendas = JobDatingAgenda.objects.filter(interviews__scorecard__isnull=False).distinct().select_related(
            "session").order_by("-session__starts_at")
        return [(str(a.session_id), str(a.session)) for a in agendas[:30]]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(interview__agenda__session_id=value) if value and value.isdigit() else queryset


@admin.register(Scorecard)
class ScorecardAdmin(CoordinatorsReadOnlyMixin, DomainErrorAdminMixin, admin.ModelAdmin):
    """Coordinators read what recruiters wrote at a job dating and decide when a candidate hears the outcome.

    Read only: a scorecard is the recruiter's word. "Informer le candidat" e-mails the outcome once.
    """

    list_display = ("interview_at", "company", "candidate", "rating", "next_step", "pipeline_note", "updated_by",
                    "updated_at", "candidate_told")
    list_filter = ("next_step", "rating", ToldFilter, JobDatingFilter)
    list_select_related = ("interview__company", "interview__candidate", "updated_by")
    search_fields = ("interview__candidate__last_name", "interview__company__name")
    readonly_fields = ("interview", "company", "candidate", "rating", "strengths", "next_step", "note", "updated_by",
                       "updated_at", "created_at", "pipeline_note", "outcome_told", "outcome_requested_by",
                       "outcome_requested_at", "outcome_sent_at")
    fields = readonly_fields
    actions = ["inform_candidate"]

    def has_inform_permission(self, request):
        return is_coordinator(request.user)

    @admin.display(description=_("entretien"), ordering="interview__starts_at")
    def interview_at(self, obj):
        return obj.interview.starts_at

    @admin.display(description=_("entreprise"), ordering="interview__company__name")
    def company(self, obj):
        return obj.interview.company

    @admin.display(description=_("candidat·e"))
    def candidate(self, obj):
        return obj.interview.candidate

    @admin.display(description=_("candidat·e informé·e"), boolean=True)
    def candidate_told(self, obj):
        return obj.outcome_requested_at is not None

    @admin.action(description=_("Informer le candidat de la suite (un e-mail, une seule fois)"),
                  permissions=["inform"])
    def inform_candidate(self, request, queryset):
        told = 0
        for card in queryset.select_related("interview__candidate"):
            try:
                scorecards.scorecard_inform_candidate(scorecard=card, by=request.user)
            except SheetError as exc:
                self.message_user(request, exc.message, messages.WARNING)
            else:
                told += 1
        if told:
            self.message_user(request, _("%(n)s candidat·e(s) vont recevoir la suite par e-mail, dans leur langue.")
                              % {"n": told})
