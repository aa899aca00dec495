from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from candidates.admin_search import PersonSearchMixin
from candidates.models import Orientation
from companies.models import Company, JobPosting, Recruiter
from tescforce import roles
from tescforce.admin_mixins import (
    LONG_LIST_PER_PAGE,
    DeferredJoinPaginator,
    DomainErrorAdminMixin,
    RowLinksMixin,
    ScopedInline,
    ScopedModelAdmin,
)
from tescforce.exports import spreadsheet_response
from tescforce.permissions import is_coordinator
from tescforce.scoping import recruiter_company_id

from . import selectors, services
from .models import (
    Edition,
    MessageSent,
    Programme,
    Registration,
    Session,
    SessionCompany,
    SessionPartner,
    SurveyResponse,
)
from .services import BookingError
from .staff_views import DESK_GROUPS


@admin.register(Programme)
class ProgrammeAdmin(DomainErrorAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["partners"]


class SessionForm(forms.ModelForm):
    """Refuses a capacity below the seats already confirmed, saying how many would go."""

    class Meta:
        model = Session
        fields = ["capacity"]  # the admin adds the fields it shows

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        error = services.session_capacity_error(session=self.instance, capacity=capacity)
        if error:
            raise forms.ValidationError(error)
        return capacity


class SessionInline(admin.TabularInline):
    model = Session
    form = SessionForm
    extra = 0
    can_delete = False  # deleting a session drops its bookings: done from its own page, with confirmation
    # What a coordinator scans across an edition; the venue and the registration window are on the session's
    # own page (its change link), so that the row fits the page.
    fields = ["title", "city", "format", "starts_at", "ends_at", "capacity", "is_published"]
    show_change_link = True


@admin.register(Edition)
class EditionAdmin(DomainErrorAdminMixin, admin.ModelAdmin):
    list_display = ["name", "programme", "year", "starts_on", "ends_on", "target_candidates", "session_count"]
    list_filter = ["programme", "year"]
    search_fields = ["name", "programme__name"]
    # The session count's GROUP BY drops Meta.ordering: without this the autocomplete pages are unordered.
    ordering = ["-starts_on", "pk"]
    date_hierarchy = "starts_on"
    inlines = [SessionInline]
    readonly_fields = ["figures"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_sessions=Count("sessions"))

    def save_formset(self, request, form, formset, change):
        if formset.model is not Session:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        changed_fields = {obj.pk: fields for obj, fields in formset.changed_objects}
        for obj in instances:
            _save_session(request, obj, obj.pk in changed_fields, changed_fields.get(obj.pk, []), obj.save)
        formset.save_m2m()

    @admin.display(description=_("sessions"), ordering="n_sessions")
    def session_count(self, obj):
        return obj.n_sessions

    @admin.display(description=_("chiffres"))
    def figures(self, obj):
        if obj.pk is None:
            return "—"
        f = selectors.edition_figures(edition=obj)
        return format_html(
            "{} : {} · {} : {} · {} : {} · {} : {} · {} : {}",
            _("sessions"), f["sessions"], _("candidats rencontrés"), f["candidates_met"],
            _("entreprises"), f["companies"], _("partenaires"), f["partners"], _("orientations"), f["orientations"])


class SessionCompanyForm(forms.ModelForm):
    """A company's row offers only that company's recruiters and postings, and refuses another company's."""

    class Meta:
        model = SessionCompany
        fields = ["session", "company", "recruiters", "postings", "interview_slots"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        company_id = self.instance.company_id or self.initial.get("company")
        if company_id and "recruiters" in self.fields:
            self.fields["recruiters"].queryset = Recruiter.objects.filter(company_id=company_id).select_related("user")
            self.fields["postings"].queryset = JobPosting.objects.filter(company_id=company_id)

    def clean(self):
        cleaned = super().clean()
        company = cleaned.get("company")
        if company is not None:
            for name, label in (("recruiters", _("recruteurs")), ("postings", _("offres"))):
                strays = [str(x) for x in cleaned.get(name) or () if x.company_id != company.pk]
                if strays:
                    self.add_error(name, _("Ces %(what)s ne sont pas de %(company)s : %(names)s.") % {
                        "what": label, "company": company, "names": ", ".join(strays)})
        return cleaned


class SessionCompanyInline(ScopedInline):
    model = SessionCompany
    form = SessionCompanyForm
    autocomplete_fields = ["company"]
    filter_horizontal = ["recruiters", "postings"]
    fields = ["company", "recruiters", "postings", "interview_slots"]


class SessionPartnerInline(admin.TabularInline):
    model = SessionPartner
    extra = 0
    autocomplete_fields = ["partner"]


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["candidate", "status", "walk_in", "checked_in_at", "outcome", "created_at"]
    readonly_fields = ["candidate", "status", "walk_in", "checked_in_at", "outcome", "created_at"]
    show_change_link = True
    can_delete = False
    ordering = ["status", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False  # bookings go through the booking rules, from the registration admin

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("candidate")


class SurveyInline(admin.TabularInline):
    model = SurveyResponse
    fk_name = "registration"
    extra = 0
    can_delete = False
    readonly_fields = ["rating", "useful", "comment", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False  # answers come from the candidate only


@admin.register(Session)
class SessionAdmin(ScopedModelAdmin):
    form = SessionForm
    list_display = ["title", "city", "format", "starts_at", "capacity", "confirmed", "waitlisted", "free",
                    "attendance", "is_published", "sheet_links"]
    list_filter = ["edition", "city", "format", "is_published"]
    search_fields = ["title", "city", "venue"]
    date_hierarchy = "starts_at"
    # Said here as well as on the model: the per-session counts group the rows, which drops the model's
    # ordering, and the autocomplete's pages would then repeat or skip sessions.
    ordering = ["starts_at", "pk"]
    autocomplete_fields = ["edition"]
    list_select_related = ["edition"]
    inlines = [SessionCompanyInline, SessionPartnerInline, RegistrationInline]
    readonly_fields = ["cancelled_at", "figures", "survey_answers"]
    actions = ["duplicate_sessions", "cancel_sessions"]
    fieldsets = [
        (None, {"fields": ["edition", "title", "format", "is_published", "cancelled_at"]}),
        (_("Lieu"), {"fields": ["city", "venue", "address", "postcode", "online_url"]}),
        (_("Dates et places"), {"fields": ["starts_at", "ends_at", "capacity", "registration_opens_at",
                                           "registration_closes_at"]}),
        (_("Programme"), {"fields": ["programme_text"]}),
        (_("En anglais (facultatif)"), {
            "fields": ["title_en", "programme_text_en"],
            "description": _("Les visiteurs du site en anglais lisent ces textes ; laissés vides, ils lisent le "
                             "français, signalé « en français »."),
        }),
        (_("Chiffres"), {"fields": ["figures", "survey_answers"]}),
    ]

    def get_queryset(self, request):
        return selectors.with_figures(super().get_queryset(request))

    @admin.display(description=_("confirmées"), ordering="n_seats")
    def confirmed(self, obj):
        return obj.n_seats

    @admin.display(description=_("en attente"), ordering="n_waitlisted")
    def waitlisted(self, obj):
        return obj.n_waitlisted

    @admin.display(description=_("libres"), ordering="seats_left")
    def free(self, obj):
        return obj.seats_left

    @admin.display(description=_("taux de présence"))
    def attendance(self, obj):
        rate = selectors.attendance_rate(obj.n_came, obj.n_seats)
        return "—" if rate is None else f"{rate:.0%}"

    @admin.display(description=_("émargement"))
    def sheet_links(self, obj):
        return format_html('<a href="{}">{}</a> · <a href="{}">CSV</a>',
                           reverse("admin:events_session_sheet", args=[obj.pk]), _("imprimer"),
                           reverse("admin:events_session_sheet_csv", args=[obj.pk]))

    @admin.display(description=_("chiffres de la session"))
    def figures(self, obj):
        if obj.pk is None:
            return "—"
        f = selectors.session_figures(session=obj)
        rate = "—" if f["attendance_rate"] is None else f"{f['attendance_rate']:.0%}"
        return format_html(
            "{} : {} / {} · {} : {} · {} : {} ({} : {}) · {} : {} · {} : {} · {} : {}<br>"
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            _("places confirmées"), f["confirmed"], obj.capacity, _("en attente"), f["waitlisted"],
            _("présents"), f["candidates_met"], _("sur place"), f["walk_ins"], _("taux de présence"), rate,
            _("entreprises"), f["companies"], _("orientations"), f["orientations"],
            reverse("admin:events_session_sheet", args=[obj.pk]), _("Feuille d'émargement"),
            reverse("admin:events_session_sheet_csv", args=[obj.pk]), _("Émargement (CSV)"),
            reverse("staff:events_staff:checkin", args=[obj.pk]), _("Accueil du jour"))

    @admin.display(description=_("avis des participants"))
    def survey_answers(self, obj):
        if obj.pk is None:
            return "—"
        answers = SurveyResponse.objects.filter(registration__session=obj).order_by("-created_at")
        if not answers:
            return _("Aucune réponse pour le moment.")
        from django.db.models import Avg

        avg = answers.aggregate(avg=Avg("rating"))["avg"]
        url = reverse("admin:events_surveyresponse_changelist") + f"?registration__session__id__exact={obj.pk}"
        return format_html('{} : {} · {} : {}/5 · <a href="{}">{}</a>', _("réponses"), answers.count(),
                           _("note moyenne"), f"{avg:.1f}", url, _("voir les réponses"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Before the day: badges for the desk's people, the companies' lists for coordinators (events/session_tools.py).
        extra_context = {**(extra_context or {}),
                         "show_print_tools": roles.has_role(request.user, *DESK_GROUPS),
                         "show_company_lists": is_coordinator(request.user)}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        _save_session(request, obj, change, form.changed_data,
                      lambda: super(SessionAdmin, self).save_model(request, obj, form, change))

    @admin.action(description=_("Annuler les sessions sélectionnées (prévient les inscrit·es)"),
                  permissions=["change"])
    def cancel_sessions(self, request, queryset):
        told = cancelled = 0
        for session in queryset:
            try:
                told += services.session_cancel(session=session)
            except BookingError as error:
                messages.warning(request, f"{session} : {error}")
            else:
                cancelled += 1
        if cancelled:
            messages.success(request, _("%(sessions)s session(s) annulée(s) ; %(n)s inscrit·e(s) prévenu·e(s).")
                             % {"sessions": cancelled, "n": told})

    @admin.action(description=_("Dupliquer la session (brouillon, une semaine plus tard)"),
                  permissions=["add"])
    def duplicate_sessions(self, request, queryset):
        copies = [services.session_duplicate(session=session) for session in queryset.order_by("starts_at")]
        if len(copies) == 1:
            return self._after_duplicate(request, copies[0])
        messages.success(request, _("%(n)s sessions copiées en brouillon : fixez la date de chacune avant de la "
                                    "publier.") % {"n": len(copies)})
        return None

    def duplicate_view(self, request, pk):
        """The change form's "Dupliquer" button: copy this session and open the copy."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        session = get_object_or_404(self.get_queryset(request), pk=pk)
        return self._after_duplicate(request, services.session_duplicate(session=session))

    def _after_duplicate(self, request, copy):
        messages.success(request, _("Copie créée en brouillon, une semaine plus tard : fixez sa date, puis cochez "
                                    "« publiée » et enregistrez."))
        return HttpResponseRedirect(reverse("admin:events_session_change", args=[copy.pk]))

    def get_urls(self):
        urls = [
            path("<int:pk>/dupliquer/", self.admin_site.admin_view(require_POST(self.duplicate_view)),
                 name="events_session_duplicate"),
            path("<int:pk>/emargement/", self.admin_site.admin_view(self.sheet_view), name="events_session_sheet"),
            path("<int:pk>/emargement.csv", self.admin_site.admin_view(self.sheet_csv_view),
                 name="events_session_sheet_csv"),
        ]
        return urls + super().get_urls()

    def _sheet_rows(self, request, pk):
        # The sheet names people: only staff who may see registrations.
        if not request.user.has_perm("events.view_registration"):
            raise PermissionDenied
        session = get_object_or_404(self.get_queryset(request), pk=pk)
        rows = (session.registrations.filter(status__in=services.SEAT_STATUSES)
                .select_related("candidate").order_by("candidate__last_name", "candidate__first_name"))
        return session, rows

    def sheet_view(self, request, pk):
        session, rows = self._sheet_rows(request, pk)
        return render(request, "events/attendance_sheet.html", {
            **self.admin_site.each_context(request), "session": session, "rows": rows,
            "printed_at": timezone.now()})

    def sheet_csv_view(self, request, pk):
        session, rows = self._sheet_rows(request, pk)
        headers = [_("Nom"), _("Prénom"), _("E-mail"), _("Téléphone"), _("Statut"), _("Sur place"), _("Arrivé·e à"),
                   _("Signature")]
        lines = []
        for r in rows:
            c = r.candidate
            arrived = timezone.localtime(r.checked_in_at).strftime("%H:%M") if r.checked_in_at else ""
            lines.append([c.last_name, c.first_name, c.email, str(c.phone or ""), r.get_status_display(),
                          _("oui") if r.walk_in else "", arrived, ""])
        return spreadsheet_response(headers=headers, rows=lines, filename=f"emargement-session-{session.pk}")


def _save_session(request, obj: Session, change: bool, changed: list[str], save) -> None:
    """Save a session from its page or its edition's rows: a new capacity goes through the booking lock, so it
    cannot race a booking; a new time, place or format reaches the booked candidates' calendars."""
    if change and "capacity" in changed:
        wanted = obj.capacity
        obj.capacity = Session.objects.values_list("capacity", flat=True).get(pk=obj.pk)
        save()
        # A booking that landed between the form check and here raises BookingError: the whole save is undone
        # and the refusal shown on the form (DomainErrorAdminMixin).
        moved = services.session_set_capacity(session=obj, capacity=wanted)
        if moved:
            messages.info(request, _("%(n)s personne(s) de la liste d'attente ont obtenu une place.") % {"n": moved})
    else:
        save()
    if change and services.CALENDAR_FIELDS.intersection(changed):
        told = services.session_calendar_changed(session=obj)
        messages.info(request, _("Session modifiée : %(n)s inscrit·e(s) vont recevoir l'agenda mis à jour.")
                      % {"n": told})


@admin.register(SessionCompany)
class SessionCompanyAdmin(ScopedModelAdmin):
    """Recruiters sign their company up for a session here, and name who comes and which jobs."""

    list_display = ["company", "session", "interview_slots"]
    list_filter = ["session__edition", "session__city"]
    search_fields = ["company__name", "session__title"]
    autocomplete_fields = ["company", "session"]
    filter_horizontal = ["recruiters", "postings"]
    list_select_related = ["company", "session"]
    form = SessionCompanyForm

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        company_id = recruiter_company_id(request.user)
        if company_id:
            initial["company"] = company_id
        return initial


class RegistrationAdminForm(forms.ModelForm):
    orient_companies = forms.ModelMultipleChoiceField(
        label=_("Orienter vers les entreprises"), queryset=Company.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    orient_postings = forms.ModelMultipleChoiceField(
        label=_("Orienter vers les offres"), queryset=JobPosting.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Registration
        fields = ["session", "candidate", "outcome", "outcome_notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        session = self.instance.session if self.instance.pk else None
        if session is not None:
            self.fields["orient_companies"].queryset = Company.objects.filter(
                session_participations__session=session).order_by("name")
            self.fields["orient_postings"].queryset = JobPosting.objects.filter(
                sessioncompany__session=session).select_related("company").order_by("company__name", "title")
        else:
            del self.fields["orient_companies"], self.fields["orient_postings"]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None:
            return data
        outcome = data.get("outcome")
        if outcome and self.instance.status != Registration.Status.ATTENDED:
            self.add_error("outcome", _("Seules les personnes présentes ont un résultat."))
        if (data.get("orient_companies") or data.get("orient_postings")) and outcome != Registration.Outcome.ORIENTED:
            self.add_error("outcome", _("Choisissez « Orienté·e » pour enregistrer des orientations."))
        return data


class EditionListFilter(admin.RelatedFieldListFilter):
    """Editions named with their programme, read in one query instead of one per edition."""

    def field_choices(self, field, request, model_admin):
        return [(edition.pk, str(edition)) for edition in Edition.objects.select_related("programme")]


@admin.register(Registration)
class RegistrationAdmin(RowLinksMixin, PersonSearchMixin, DomainErrorAdminMixin, admin.ModelAdmin):
    form = RegistrationAdminForm
    list_display = ["candidate", "session", "status", "walk_in", "waitlist_position", "outcome", "created_at"]
    # No date_hierarchy: its DISTINCT over every booking date cost more than the rest of the page at 50k
    # bookings; the "created_at" list filter covers the same need.
    list_filter = ["status", "outcome", "walk_in", ("session__edition", EditionListFilter), "session__city",
                   "created_at"]
    search_fields = ["candidate__last_name", "candidate__first_name", "candidate__email", "session__title"]
    list_per_page = LONG_LIST_PER_PAGE
    paginator = DeferredJoinPaginator
    # The count of every booking beside a filtered count: a second COUNT over 50,000 rows on every page.
    show_full_result_count = False
    autocomplete_fields = ["session", "candidate"]
    list_select_related = ["candidate", "session"]
    readonly_fields = ["status", "walk_in", "created_at", "cancelled_at", "checked_in_at", "checked_in_by",
                       "orientations"]
    inlines = [SurveyInline]
    actions = ["cancel_registrations", "check_in_registrations"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["session", "candidate"],
                            "description": _("La réservation suit les règles des places : liste d'attente si la "
                                             "session est complète.")})]
        return [
            (None, {"fields": ["session", "candidate", "status", "walk_in", "created_at", "cancelled_at",
                               "checked_in_at", "checked_in_by"]}),
            (_("Résultat"), {"fields": ["outcome", "outcome_notes", "orient_companies", "orient_postings",
                                        "orientations"]}),
        ]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["session", "candidate"] if obj is not None else fields

    def get_queryset(self, request):
        return selectors.with_waitlist_position(super().get_queryset(request))

    @admin.display(description=_("rang d'attente"), ordering="position")
    def waitlist_position(self, obj):
        return obj.position or ""

    @admin.display(description=_("orientations de cette session"))
    def orientations(self, obj):
        items = Orientation.objects.filter(candidate=obj.candidate, session=obj.session).select_related(
            "company", "posting")
        return ", ".join(str(o.posting or o.company) for o in items) or "—"

    def save_model(self, request, obj, form, change):
        if not change:
            # A refused booking (already booked, registrations closed…) comes back on the form.
            registration = services.registration_book(session=obj.session, candidate=obj.candidate)
            obj.pk = registration.pk
            obj.status = registration.status
            return
        data = form.cleaned_data
        refusals = services.registration_record_outcome(
            registration=obj, outcome=data.get("outcome", ""), notes=data.get("outcome_notes", ""),
            companies=list(data.get("orient_companies") or []), postings=list(data.get("orient_postings") or []),
            by=request.user)
        for refusal in refusals:
            messages.warning(request, refusal)

    def save_related(self, request, form, formsets, change):
        if form.instance.pk:
            super().save_related(request, form, formsets, change)

    @admin.action(description=_("Annuler les inscriptions (la liste d'attente avance)"),
                  permissions=["change"])
    def cancel_registrations(self, request, queryset):
        done = 0
        for registration in queryset:
            try:
                services.registration_cancel(registration=registration, by_staff=True)
                done += 1
            except BookingError as exc:
                messages.warning(request, f"{registration} : {exc.message}")
        messages.success(request, _("%(n)s inscription(s) annulée(s).") % {"n": done})

    @admin.action(description=_("Pointer présent·es"), permissions=["change"])
    def check_in_registrations(self, request, queryset):
        done = 0
        for registration in queryset:
            try:
                services.registration_check_in(registration=registration, by=request.user)
                done += 1
            except BookingError as exc:
                messages.warning(request, f"{registration} : {exc.message}")
        messages.success(request, _("%(n)s personne(s) pointée(s).") % {"n": done})


@admin.register(MessageSent)
class MessageSentAdmin(DomainErrorAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "session", "registration", "recruiter", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["kind", "state", "session__edition"]
    date_hierarchy = "created_at"
    list_select_related = ["session", "registration__candidate", "recruiter__user"]
    raw_id_fields = ["session", "registration", "recruiter"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(DomainErrorAdminMixin, admin.ModelAdmin):
    list_display = ["registration", "session", "rating", "useful", "comment", "created_at"]
    list_filter = ["rating", "useful", "registration__session__edition", "registration__session"]
    search_fields = ["comment", "registration__session__title"]
    date_hierarchy = "created_at"
    list_select_related = ["registration__session", "registration__candidate"]
    readonly_fields = ["registration", "rating", "useful", "comment", "created_at"]

    @admin.display(description=_("session"), ordering="registration__session__starts_at")
    def session(self, obj):
        return obj.registration.session

    def has_add_permission(self, request):
        return False
