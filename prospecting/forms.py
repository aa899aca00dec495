import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from showroom.models import UseCase

from . import services
from .models import Meeting, Prospect, Settlement


def aware_from_local(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """Return the instant at wall-clock `day` `time` in `tz`; raise ValueError for a time that does
    not exist there (skipped by a daylight-saving change)."""
    local = dt.datetime.combine(day, time).replace(tzinfo=tz)
    # A wall time skipped by DST does not survive a round trip through UTC.
    if local.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValueError("nonexistent local time")
    return local.astimezone(dt.UTC)


class MeetingAdminForm(forms.ModelForm):
    """Date and time are entered as wall-clock time in the meeting's own time zone, stored in UTC."""

    local_date = forms.DateField(label=_("Date (heure locale du rendez-vous)"), widget=admin_widgets.AdminDateWidget)
    local_time = forms.TimeField(label=_("Heure locale"), widget=admin_widgets.AdminTimeWidget)
    online_url = forms.URLField(label=_("Lien"), required=False, assume_scheme="https",
                                max_length=Meeting._meta.get_field("online_url").max_length,
                                widget=admin_widgets.AdminURLFieldWidget)

    class Meta:
        model = Meeting
        fields = ["prospect", "campaign", "officer", "timezone", "duration_minutes", "is_online", "place",
                  "online_url", "attendees", "member_companies", "use_cases_shown", "notes", "outcome", "next_step",
                  "next_step_due", "next_step_owner", "next_step_done"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.starts_at:
            local = self.instance.local_starts_at
            self.initial.setdefault("local_date", local.date())
            self.initial.setdefault("local_time", local.time().replace(second=0, microsecond=0))
            self.fields["local_time"].widget.format = "%H:%M"

    def clean(self):
        cleaned = super().clean()
        day, time, tz = cleaned.get("local_date"), cleaned.get("local_time"), cleaned.get("timezone")
        if day and time and tz:
            try:
                self.instance.starts_at = aware_from_local(day, time, ZoneInfo(str(tz)))
            except ValueError:
                self.add_error("local_time", _("Cette heure n'existe pas dans ce fuseau (changement d'heure)."))
                return cleaned
            self.instance.timezone = tz
            self.instance.outcome = cleaned.get("outcome") or ""
            self.instance.next_step, self.instance.next_step_due = (cleaned.get("next_step") or "",
                                                                     cleaned.get("next_step_due"))
            try:
                services.meeting_check(meeting=self.instance)
            except services.ProspectingError as exc:
                field = "outcome" if self.instance.outcome and "outcome" in self.fields else None
                self.add_error(field, str(exc))
        if cleaned.get("is_online") and not cleaned.get("online_url"):
            self.add_error("online_url", _("Indiquez le lien d'un rendez-vous en ligne."))
        if not cleaned.get("is_online") and not cleaned.get("place"):
            self.add_error("place", _("Indiquez le lieu du rendez-vous (ou cochez « en ligne »)."))
        return cleaned


def format_paris(value: dt.datetime) -> str:
    return formats.date_format(value.astimezone(ZoneInfo("Europe/Paris")), "DATETIME_FORMAT")


class ProspectAdminForm(forms.ModelForm):
    """The stage is moved through `prospect_move`, so nonsense moves become field errors here."""

    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https",
                             max_length=Prospect._meta.get_field("website").max_length,
                             widget=admin_widgets.AdminURLFieldWidget)

    class Meta:
        model = Prospect
        fields = ["name", "country", "city", "sector", "size", "website", "source", "campaign", "owner", "stage",
                  "lost_reason", "notes"]

    def clean(self):
        cleaned = super().clean()
        stage = cleaned.get("stage")
        if stage and (not self.instance.pk or stage != self.initial.get("stage")):
            current = Prospect(pk=self.instance.pk, stage=self.initial.get("stage") or Prospect.Stage.IDENTIFIED)
            try:
                services.prospect_check_move(prospect=current, stage=stage,
                                             lost_reason=cleaned.get("lost_reason") or "")
            except services.ProspectingError as exc:
                self.add_error("lost_reason" if stage == Prospect.Stage.LOST else "stage", str(exc))
        return cleaned


class SettlementAdminForm(forms.ModelForm):
    class Meta:
        model = Settlement
        fields = ["prospect", "settled_on", "site_city", "jobs_planned", "partners", "notes"]


class SheetPickForm(forms.Form):
    """Choose the use cases to hand over to one prospect, and the sheet's language."""

    use_cases = forms.ModelMultipleChoiceField(
        label=_("Cas d'usage"), queryset=UseCase.objects.none(), widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(label=_("Langue des fiches"), choices=[("en", "English"), ("fr", "Français")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["use_cases"].queryset = UseCase.objects.filter(is_published=True).select_related("sector")

    def clean_use_cases(self):
        chosen = self.cleaned_data["use_cases"]
        if len(chosen) > 20:
            raise forms.ValidationError(_("Choisissez au plus 20 cas d'usage."))
        return chosen
