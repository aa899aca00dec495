from django.contrib import admin, messages
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from showroom import admin as showroom_admin
from showroom.models import ContactRequest
from tescforce.admin_mixins import (
    LONG_LIST_PER_PAGE,
    ExportForViewersMixin,
    RowLinksChangeList,
    ScopedInline,
    ScopedModelAdmin,
    country_column,
)

from . import services
from .forms import MeetingAdminForm, ProspectAdminForm, SettlementAdminForm, format_local, format_paris
from .models import (
    ExportLead,
    Meeting,
    Prospect,
    ProspectContact,
    ProspectingCampaign,
    ProspectStageChange,
    ReminderSent,
    Settlement,
)
from .resources import MeetingResource, ProspectResource
from .selectors import team_users


class TeamUserFieldsMixin:
    team_user_fields: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.team_user_fields:
            kwargs["queryset"] = team_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.team_user_fields:
            kwargs["queryset"] = team_users()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ToCompleteFilter(admin.SimpleListFilter):
    title = _("compte rendu à compléter")
    parameter_name = "to_complete"

    def lookups(self, request, model_admin):
        return [("yes", _("Oui : passé, sans résultat")), ("no", _("Non"))]

    def queryset(self, request, queryset):
        late = Q(outcome="", starts_at__lt=timezone.now())
        if self.value() == "yes":
            return queryset.filter(late)
        if self.value() == "no":
            return queryset.exclude(late)
        return queryset


class WhenFilter(admin.SimpleListFilter):
    title = _("date")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("À venir")), ("past", _("Passés"))]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.filter(starts_at__gte=timezone.now())
        if self.value() == "past":
            return queryset.filter(starts_at__lt=timezone.now())
        return queryset


@admin.register(ProspectingCampaign)
class ProspectingCampaignAdmin(ScopedModelAdmin):
    list_display = ["name", "countries_display", "starts_on", "ends_on", "budget", "meeting_count"]
    list_filter = ["starts_on"]
    search_fields = ["name", "cities", "trade_fairs"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["partners"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_meetings=Count("meetings"))

    @admin.display(description=_("pays"))
    def countries_display(self, obj):
        return ", ".join(c.name for c in obj.countries)

    @admin.display(description=_("rendez-vous"), ordering="n_meetings")
    def meeting_count(self, obj):
        return obj.n_meetings


class ContactInline(ScopedInline):
    model = ProspectContact
    fields = ["name", "role", "email", "phone"]
    extra = 1


class MeetingInline(ScopedInline):
    """Meetings of a prospect, read-only: a meeting is logged on its own page (time zone, use cases)."""

    model = Meeting
    fk_name = "prospect"
    fields = ["local_time", "paris_time", "place_or_link", "officer", "outcome", "to_complete_flag"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    ordering = ["-starts_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("heure locale"))
    def local_time(self, obj):
        return format_local(obj)

    @admin.display(description=_("heure de Paris"))
    def paris_time(self, obj):
        return format_paris(obj.starts_at, short=True)

    @admin.display(description=_("lieu ou lien"))
    def place_or_link(self, obj):
        return obj.online_url if obj.is_online else obj.place

    @admin.display(description=_("à compléter"), boolean=True)
    def to_complete_flag(self, obj):
        return obj.to_complete


class ExportLeadInline(ScopedInline):
    model = ExportLead
    fk_name = "prospect"
    fields = ["company", "status", "notes"]
    autocomplete_fields = ["company"]


MEETING_COLUMNS = ("meeting_count", "last_meeting")


def _meeting_figures() -> dict:
    meetings = Meeting.objects.filter(prospect=OuterRef("pk")).order_by()
    return {"n_meetings": Coalesce(Subquery(meetings.values("prospect").annotate(n=Count("pk")).values("n")), 0),
            "last_meeting_at": Subquery(meetings.order_by("-starts_at").values("starts_at")[:1])}


class ProspectChangeList(RowLinksChangeList):
    """Meeting count and last meeting read for the page's rows alone, in one query.

    As subqueries of the list's query, PostgreSQL computed them for every row an OFFSET skips too (page
    50: 5,000 rows). They stay subqueries only when the list is sorted by one of these columns.
    """

    def _sorted_by_meetings(self) -> bool:
        # Django's own reading of the sort parameter; a column number out of range is ignored, as Django does.
        return any(0 <= index < len(self.list_display) and self.list_display[index] in MEETING_COLUMNS
                   for index in self.get_ordering_field_columns())

    def get_queryset(self, request, exclude_parameters=None):
        if self._sorted_by_meetings() and "n_meetings" not in self.root_queryset.query.annotations:
            self.root_queryset = self.root_queryset.annotate(**_meeting_figures())
        return super().get_queryset(request, exclude_parameters)

    def get_results(self, request):
        super().get_results(request)
        if "n_meetings" in self.queryset.query.annotations:
            return
        rows = list(self.result_list)
        figures = {row["prospect"]: row for row in Meeting.objects.filter(prospect__in=rows).order_by()
                   .values("prospect").annotate(n=Count("pk"), last=Max("starts_at"))}
        for prospect in rows:
            found = figures.get(prospect.pk, {})
            prospect.n_meetings, prospect.last_meeting_at = found.get("n", 0), found.get("last")
        self.result_list = rows


@admin.register(Prospect)
class ProspectAdmin(TeamUserFieldsMixin, ExportForViewersMixin, ScopedModelAdmin):
    form = ProspectAdminForm
    resource_classes = [ProspectResource]
    team_user_fields = ("owner",)
    list_display = ["name", "country_name", "city", "sector", "stage", "owner", "meeting_count", "last_meeting"]
    list_filter = ["stage", "country", "sector", "size", "campaign", "owner"]
    search_fields = ["name", "city", "website", "contacts__name", "contacts__email"]
    list_per_page = LONG_LIST_PER_PAGE
    # Django counts every row again on each page for « (N au total) » beside a search or filter.
    show_full_result_count = False
    list_select_related = ["sector", "owner"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["campaign"]
    inlines = [ContactInline, MeetingInline, ExportLeadInline]
    readonly_fields = ["tools", "stage_history"]
    fieldsets = [
        (None, {"fields": ["name", "country", "city", "sector", "size", "website"]}),
        (_("Suivi"), {"fields": ["source", "campaign", "owner", "stage", "lost_reason", "notes"]}),
        (_("Actions"), {"fields": ["tools", "stage_history"]}),
    ]

    def get_changelist(self, request, **kwargs):
        return ProspectChangeList

    def get_changeform_initial_data(self, request):
        return {"owner": request.user.pk, **super().get_changeform_initial_data(request)}

    country_name = country_column("country", _("pays"))

    @admin.display(description=_("rendez-vous"), ordering="n_meetings")
    def meeting_count(self, obj):
        return obj.n_meetings

    @admin.display(description=_("dernier rendez-vous"), ordering="last_meeting_at")
    def last_meeting(self, obj):
        return format_paris(obj.last_meeting_at) if obj.last_meeting_at else "—"

    @admin.display(description=_("outils"))
    def tools(self, obj):
        if not obj.pk:
            return "—"
        links = [
            (reverse("admin:prospecting_meeting_add") + f"?prospect={obj.pk}", _("Consigner un rendez-vous")),
            (reverse("staff:prospecting:sheets", args=[obj.pk]), _("Fiches cas d'usage (PDF)")),
        ]
        if not hasattr(obj, "settlement"):
            links.append((reverse("admin:prospecting_settlement_add") + f"?prospect={obj.pk}",
                          _("Enregistrer l'implantation")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    @admin.display(description=_("historique des étapes"))
    def stage_history(self, obj):
        if not obj.pk:
            return "—"
        changes = obj.stage_changes.select_related("changed_by")[:20]
        if not changes:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} — {} → {} ({}) {}</li>", (
            (format_paris(c.changed_at), c.get_from_stage_display(), c.get_to_stage_display(),
             c.changed_by or "—", c.note) for c in changes)))

    def save_model(self, request, obj, form, change):
        new_stage, reason = obj.stage, obj.lost_reason
        if change:
            # Save the other fields at the current stage; prospect_move then makes the move.
            obj.stage = form.initial.get("stage", obj.stage)
            obj.lost_reason = form.initial.get("lost_reason", "")
        else:
            obj.stage, obj.lost_reason = Prospect.Stage.IDENTIFIED, ""
        super().save_model(request, obj, form, change)
        # The form checked the move already; a refusal here (a race) undoes the save and shows on the form.
        services.prospect_move(prospect=obj, stage=new_stage, lost_reason=reason, by=request.user)


@admin.register(ProspectContact)
class ProspectContactAdmin(ScopedModelAdmin):
    list_display = ["name", "role", "prospect", "email", "phone"]
    search_fields = ["name", "email", "prospect__name"]
    autocomplete_fields = ["prospect"]
    list_select_related = ["prospect"]


@admin.register(Meeting)
class MeetingAdmin(TeamUserFieldsMixin, ExportForViewersMixin, ScopedModelAdmin):
    form = MeetingAdminForm
    resource_classes = [MeetingResource]
    team_user_fields = ("officer", "attendees", "next_step_owner")
    list_display = ["prospect", "country", "local_time", "paris_time", "campaign", "officer", "outcome",
                    "to_complete_flag", "next_step_due"]
    list_filter = [ToCompleteFilter, WhenFilter, "outcome", "campaign", "officer", "prospect__country",
                   "is_online"]
    search_fields = ["prospect__name", "place", "notes", "next_step"]
    list_per_page = LONG_LIST_PER_PAGE
    # Django counts every row again on each page for « (N au total) » beside a search or filter.
    show_full_result_count = False
    list_select_related = ["prospect", "campaign", "officer"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["prospect", "campaign", "use_cases_shown", "member_companies"]
    filter_horizontal = ["attendees"]
    readonly_fields = ["paris_time"]
    fieldsets = [
        (None, {"fields": ["prospect", "campaign", "officer"]}),
        (_("Quand et où"), {"fields": ["timezone", ("local_date", "local_time"), "paris_time", "duration_minutes",
                                       "is_online", "place", "online_url"],
                            "description": _("Saisissez l'heure locale du rendez-vous dans son fuseau ; "
                                             "elle est enregistrée en UTC et affichée aussi à l'heure de Paris.")}),
        (_("Participants"), {"fields": ["attendees", "member_companies", "use_cases_shown"]}),
        (_("Compte rendu"), {"fields": ["notes", "outcome", "next_step", "next_step_due", "next_step_owner",
                                        "next_step_done"]}),
    ]
    actions = ["mark_next_step_done"]

    def get_changeform_initial_data(self, request):
        initial = {"officer": request.user.pk, **super().get_changeform_initial_data(request)}
        prospect_id = request.GET.get("prospect")
        if prospect_id and str(prospect_id).isdigit():
            prospect = Prospect.objects.filter(pk=prospect_id).select_related("campaign").first()
            if prospect and prospect.campaign_id:
                initial.setdefault("campaign", prospect.campaign_id)
        return initial

    @admin.display(description=_("pays"), ordering="prospect__country")
    def country(self, obj):
        return obj.prospect.country.name

    @admin.display(description=_("heure locale"), ordering="starts_at")
    def local_time(self, obj):
        return format_local(obj)

    @admin.display(description=_("heure de Paris"), ordering="starts_at")
    def paris_time(self, obj):
        return format_paris(obj.starts_at, short=True) if obj.starts_at else "—"

    @admin.display(description=_("à compléter"), boolean=True)
    def to_complete_flag(self, obj):
        return obj.to_complete

    def save_model(self, request, obj, form, change):
        services.meeting_save(meeting=obj, by=request.user)

    @admin.action(description=_("Marquer la prochaine étape comme faite"), permissions=["change"])
    def mark_next_step_done(self, request, queryset):
        for meeting in queryset:
            services.meeting_next_step_done(meeting=meeting)
        self.message_user(request, _("Prochaines étapes marquées comme faites."))


@admin.register(Settlement)
class SettlementAdmin(ScopedModelAdmin):
    form = SettlementAdminForm
    list_display = ["prospect", "country", "settled_on", "site_city", "jobs_planned"]
    list_filter = ["site_city", "settled_on"]
    search_fields = ["prospect__name", "site_city"]
    date_hierarchy = "settled_on"
    autocomplete_fields = ["prospect", "partners"]
    list_select_related = ["prospect"]

    def get_readonly_fields(self, request, obj=None):
        return ["prospect"] if obj else []

    @admin.display(description=_("pays"), ordering="prospect__country")
    def country(self, obj):
        return obj.prospect.country.name

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # Create through the service (moves the prospect to "settled"); save_related then sets partners.
        settlement = services.settlement_record(
            prospect=obj.prospect, settled_on=obj.settled_on, site_city=obj.site_city, jobs_planned=obj.jobs_planned,
            notes=obj.notes, by=request.user)
        obj.pk = settlement.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.settlement_delete(settlement=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for settlement in queryset:
            services.settlement_delete(settlement=settlement, by=request.user)


@admin.register(ExportLead)
class ExportLeadAdmin(ScopedModelAdmin):
    list_display = ["company", "prospect", "status", "created_at"]
    list_filter = ["status", "prospect__country"]
    search_fields = ["company__name", "prospect__name"]
    autocomplete_fields = ["company", "prospect"]
    list_select_related = ["company", "prospect"]
    date_hierarchy = "created_at"


@admin.register(ProspectStageChange)
class ProspectStageChangeAdmin(ScopedModelAdmin):
    list_display = ["prospect", "from_stage", "to_stage", "changed_at", "changed_by"]
    list_filter = ["to_stage"]
    search_fields = ["prospect__name"]
    date_hierarchy = "changed_at"
    list_select_related = ["prospect", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(ScopedModelAdmin):
    """The officers' daily reminders, read only: the platform's sent log (SentLog) limited to their kind."""

    list_display = ["user", "period", "sent_at", "next_steps", "meetings_to_complete"]
    list_filter = ["period"]
    date_hierarchy = "period"
    fields = ["user", "period", "sent_at", "next_steps", "meetings_to_complete"]
    readonly_fields = fields
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("prochaines étapes"), ordering=Cast(KT("counts__next_steps"), IntegerField()))
    def next_steps(self, obj):
        return obj.next_steps

    @admin.display(description=_("rendez-vous à compléter"),
                   ordering=Cast(KT("counts__meetings_to_complete"), IntegerField()))
    def meetings_to_complete(self, obj):
        return obj.meetings_to_complete


class ContactRequestAdmin(showroom_admin.ContactRequestAdmin):
    """The showroom's contact requests, with the action that opens prospects from them (showroom, below
    prospecting, does not import it)."""

    actions = [*showroom_admin.ContactRequestAdmin.actions, "make_prospects"]

    def has_make_prospect_permission(self, request):
        return request.user.has_perm("prospecting.add_prospect") and self.has_change_permission(request)

    @admin.action(description=_("Créer les entreprises prospectées correspondantes"), permissions=["make_prospect"])
    def make_prospects(self, request, queryset):
        for contact_request in queryset.select_related("use_case"):
            try:
                prospect = services.prospect_create_from_contact_request(contact_request=contact_request,
                                                                         by=request.user)
            except services.ProspectingError as exc:
                self.message_user(request, f"{contact_request.organisation} : {exc}", messages.ERROR)
                continue
            url = reverse("admin:prospecting_prospect_change", args=[prospect.pk])
            self.message_user(request, format_html('{} <a href="{}">{}</a>', _("Fiche créée :"), url, prospect.name))


admin.site.unregister(ContactRequest)
admin.site.register(ContactRequest, ContactRequestAdmin)
