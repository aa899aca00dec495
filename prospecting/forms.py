import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries as django_countries

from showroom.models import UseCase

from . import services, timezones
from .models import Meeting, Prospect, ProspectingCampaign, Settlement


def aware_from_local(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """Return the instant at wall-clock `day` `time` in `tz`; raise ValueError for a time that does
    not exist there (skipped by a daylight-saving change)."""
    local = dt.datetime.combine(day, time).replace(tzinfo=tz)
    # A wall time skipped by DST does not survive a round trip through UTC.
    if local.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValueError("nonexistent local time")
    return local.astimezone(dt.UTC)


class MeetingAdminForm(forms.ModelForm):
    """Date and time are entered as wall-clock time in the meeting's own time zone, stored in UTC.

    The zone is offered by city in the user's language, the prospect's country first, and preset to
    that country's main zone; left on "the country's main zone", it is taken from the prospect.
    """

    timezone = forms.ChoiceField(
        label=_("Fuseau horaire du rendez-vous"), required=False,
        help_text=_("Proposé d'après le pays de l'entreprise ; la date et l'heure se saisissent dans ce fuseau."))
    local_date = forms.DateField(label=_("Date (heure locale du rendez-vous)"), widget=admin_widgets.AdminDateWidget)
    local_time = forms.TimeField(label=_("Heure locale"), widget=admin_widgets.AdminTimeWidget)
    online_url = forms.URLField(label=_("Lien"), required=False, assume_scheme="https",
                                max_length=Meeting._meta.get_field("online_url").max_length,
                                widget=admin_widgets.AdminURLFieldWidget,
                                help_text=_("Obligatoire pour un rendez-vous en ligne à venir."))

    class Media:
        js = ["prospecting/meeting_form.js"]

    class Meta:
        model = Meeting
        fields = ["prospect", "campaign", "officer", "timezone", "duration_minutes", "is_online", "place",
                  "online_url", "attendees", "member_companies", "use_cases_shown", "notes", "outcome", "next_step",
                  "next_step_due", "next_step_owner", "next_step_done"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = str(self.instance.timezone) if self.instance.pk and self.instance.timezone else None
        country = self._prospect_country()
        self.fields["timezone"].choices = [("", _("Fuseau principal du pays de l'entreprise")),
                                           *timezones.choices(country, current=current)]
        if current:
            self.initial["timezone"] = current
        elif country:
            self.initial["timezone"] = timezones.main_zone(country)
        if self.instance.pk and self.instance.starts_at:
            local = self.instance.local_starts_at
            self.initial.setdefault("local_date", local.date())
            self.initial.setdefault("local_time", local.time().replace(second=0, microsecond=0))
            self.fields["local_time"].widget.format = "%H:%M"

    def _prospect_country(self) -> str | None:
        """The country of the prospect chosen (posted), preset (?prospect=) or saved."""
        value = self.data.get(self.add_prefix("prospect")) if self.is_bound else self.initial.get("prospect")
        if value in (None, "") and self.instance.prospect_id:
            value = self.instance.prospect_id
        if isinstance(value, Prospect):
            return str(value.country)
        if value in (None, "") or not str(value).isdigit():
            return None
        country = Prospect.objects.filter(pk=value).values_list("country", flat=True).first()
        return str(country) if country else None

    def clean(self):
        cleaned = super().clean()
        prospect = cleaned.get("prospect")
        zone = cleaned.get("timezone") or timezones.main_zone(str(prospect.country) if prospect else None)
        cleaned["timezone"] = zone
        day, time = cleaned.get("local_date"), cleaned.get("local_time")
        if day and time:
            try:
                self.instance.starts_at = aware_from_local(day, time, ZoneInfo(zone))
            except ValueError:
                self.add_error("local_time", _("Cette heure n'existe pas dans ce fuseau (changement d'heure)."))
                return cleaned
            self.instance.timezone = ZoneInfo(zone)
        starts_at = self.instance.starts_at
        # A video link matters to join a meeting; once it has taken place, it is only a record.
        if cleaned.get("is_online") and not cleaned.get("online_url") and (starts_at is None
                                                                            or starts_at > timezone.now()):
            self.add_error("online_url", _("Indiquez le lien d'un rendez-vous en ligne."))
        if not cleaned.get("is_online") and not cleaned.get("place"):
            self.add_error("place", _("Indiquez le lieu du rendez-vous (ou cochez « en ligne »)."))
        return cleaned


def format_paris(value: dt.datetime, *, short: bool = False) -> str:
    """The time in Paris, in the reader's format; `short` beside `format_local` in a list's row."""
    return formats.date_format(value.astimezone(ZoneInfo("Europe/Paris")),
                               "SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT")


def format_local(meeting) -> str:
    """The meeting's time where it takes place, in the reader's short format, with that place's city."""
    when = formats.date_format(meeting.local_starts_at, "SHORT_DATETIME_FORMAT")
    return f"{when} ({timezones.city(str(meeting.timezone))})"


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


class AgendaFilterForm(forms.Form):
    """The agenda page's filters (GET); an unknown value falls back to the default instead of failing."""

    PERIODS = [
        ("recent", _("Depuis 30 jours et à venir")),
        ("upcoming", _("À venir")),
        ("week", _("Cette semaine")),
        ("month", _("Ce mois-ci")),
        ("past", _("Passés")),
        ("all", _("Tous")),
    ]

    officer = forms.ChoiceField(label=_("Chargé·e"), required=False)
    campaign = forms.ModelChoiceField(label=_("Campagne"), queryset=ProspectingCampaign.objects.none(),
                                      required=False, empty_label=_("Toutes les campagnes"))
    country = forms.ChoiceField(label=_("Pays"), required=False)
    period = forms.ChoiceField(label=_("Période"), choices=PERIODS, required=False)

    def __init__(self, *args, team=(), countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.team = {str(user.pk): user for user in team}
        self.fields["officer"].choices = [
            ("", _("Mes rendez-vous")), ("all", _("Toute l'équipe")),
            *((pk, user.get_full_name() or user.get_username()) for pk, user in self.team.items())]
        self.fields["campaign"].queryset = ProspectingCampaign.objects.order_by("-starts_on", "name")
        names = dict(django_countries)
        self.fields["country"].choices = [("", _("Tous les pays")),
                                          *sorted(((code, names.get(code, code)) for code in countries),
                                                  key=lambda item: str(item[1]))]

    def filters(self) -> dict:
        """Return the keyword arguments of `selectors.agenda_meetings` for the valid filters."""
        self.is_valid()  # keeps the valid filters in cleaned_data, shows the others' errors
        data = self.cleaned_data
        officer = data.get("officer") or ""
        return {
            "mine": officer == "", "officer": self.team.get(officer),
            "campaign": data.get("campaign"), "country": data.get("country") or "",
            "period": data.get("period") or "recent",
        }
