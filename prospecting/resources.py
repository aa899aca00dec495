"""Export formats of prospects and meetings (CSV / XLSX through django-import-export)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from .models import Meeting, Prospect


class ProspectResource(resources.ModelResource):
    country = fields.Field(attribute="country__name", column_name=_("pays"))
    stage = fields.Field(attribute="get_stage_display", column_name=_("étape"))
    sector = fields.Field(attribute="sector__name", column_name=_("secteur"))
    size = fields.Field(attribute="get_size_display", column_name=_("taille"))
    owner = fields.Field(column_name=_("chargé·e"))
    campaign = fields.Field(attribute="campaign__name", column_name=_("campagne"))
    meetings = fields.Field(column_name=_("rendez-vous"))
    created_at = fields.Field(column_name=_("créée le"))

    class Meta:
        model = Prospect
        fields = ["id", "name", "country", "city", "sector", "size", "website", "source", "campaign", "owner",
                  "stage", "lost_reason", "meetings", "created_at"]
        export_order = fields

    def dehydrate_owner(self, prospect):
        return prospect.owner.get_full_name() or prospect.owner.get_username() if prospect.owner else ""

    def dehydrate_created_at(self, prospect):
        return timezone.localtime(prospect.created_at).strftime("%Y-%m-%d %H:%M")

    def dehydrate_meetings(self, prospect):
        return prospect.meetings.count()


class MeetingResource(resources.ModelResource):
    prospect = fields.Field(attribute="prospect__name", column_name=_("entreprise"))
    country = fields.Field(attribute="prospect__country__name", column_name=_("pays"))
    campaign = fields.Field(attribute="campaign__name", column_name=_("campagne"))
    local_time = fields.Field(column_name=_("heure locale"))
    timezone = fields.Field(column_name=_("fuseau"))
    paris_time = fields.Field(column_name=_("heure de Paris"))
    officer = fields.Field(column_name=_("chargé·e"))
    outcome = fields.Field(attribute="get_outcome_display", column_name=_("résultat"))
    use_cases = fields.Field(column_name=_("cas d'usage présentés"))

    class Meta:
        model = Meeting
        fields = ["id", "prospect", "country", "campaign", "local_time", "timezone", "paris_time", "is_online",
                  "place", "online_url", "officer", "use_cases", "outcome", "next_step", "next_step_due"]
        export_order = fields

    def dehydrate_local_time(self, meeting):
        return meeting.local_starts_at.strftime("%Y-%m-%d %H:%M")

    def dehydrate_timezone(self, meeting):
        return str(meeting.timezone)

    def dehydrate_paris_time(self, meeting):
        return meeting.paris_starts_at.strftime("%Y-%m-%d %H:%M")

    def dehydrate_officer(self, meeting):
        return meeting.officer.get_full_name() or meeting.officer.get_username() if meeting.officer else ""

    def dehydrate_use_cases(self, meeting):
        return ", ".join(uc.title for uc in meeting.use_cases_shown.all())

