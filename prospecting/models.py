import datetime as dt
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from timezone_field import TimeZoneField

from tescforce.models import SentLog

from . import timezones


class ProspectingCampaign(models.Model):
    name = models.CharField(_("nom"), max_length=150)
    countries = CountryField(_("pays"), multiple=True, blank=True)
    cities = models.CharField(_("villes"), max_length=200, blank=True)
    trade_fairs = models.CharField(_("salons"), max_length=250, blank=True)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    budget = models.DecimalField(_("budget (€)"), max_digits=10, decimal_places=2, default=0)
    partners = models.ManyToManyField("companies.Partner", blank=True, verbose_name=_("partenaires"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("campagne de prospection")
        verbose_name_plural = _("campagnes de prospection")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="prospecting_campaign_dates"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="prospecting_campaign_budget"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("La fin doit suivre le début.")})


class Prospect(models.Model):
    class Stage(models.TextChoices):
        IDENTIFIED = "identified", _("Identifiée")
        CONTACTED = "contacted", _("Contactée")
        MEETING_HELD = "meeting_held", _("Rendez-vous tenu")
        PROJECT = "project", _("Projet d'implantation")
        SETTLED = "settled", _("Implantée")
        LOST = "lost", _("Perdue")

    class Size(models.TextChoices):
        STARTUP = "startup", _("Start-up")
        SME = "sme", _("PME")
        MIDCAP = "midcap", _("ETI")
        LARGE = "large", _("Grand groupe")

    name = models.CharField(_("entreprise"), max_length=150)
    country = CountryField(_("pays"), db_index=True)
    city = models.CharField(_("ville"), max_length=80, blank=True)
    sector = models.ForeignKey("showroom.Sector", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="prospects", verbose_name=_("secteur"))
    size = models.CharField(_("taille"), max_length=10, choices=Size.choices, blank=True)
    website = models.URLField(_("site web"), blank=True)
    source = models.CharField(_("source"), max_length=120, blank=True)
    campaign = models.ForeignKey(ProspectingCampaign, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="prospects", verbose_name=_("campagne"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="prospects", verbose_name=_("chargé·e de prospection"))
    stage = models.CharField(_("étape"), max_length=14, choices=Stage.choices, default=Stage.IDENTIFIED)
    lost_reason = models.CharField(_("raison de la perte"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("entreprise prospectée")
        verbose_name_plural = _("entreprises prospectées")
        indexes = [
            models.Index(fields=["stage", "country"], name="prospect_stage_country_idx"),
            models.Index(fields=["owner", "stage"], name="prospect_owner_idx"),
            models.Index(fields=["name"], name="prospect_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(stage="lost") | ~Q(lost_reason=""), name="prospect_lost_has_reason",
                                   violation_error_message=_("Indiquez la raison de la perte.")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.name})"

    def clean(self) -> None:
        if self.stage == self.Stage.LOST and not self.lost_reason:
            raise ValidationError({"lost_reason": _("Indiquez la raison de la perte.")})


class ProspectContact(models.Model):
    prospect = models.ForeignKey(Prospect, on_delete=models.CASCADE, related_name="contacts",
                                 verbose_name=_("entreprise"))
    name = models.CharField(_("nom"), max_length=120)
    role = models.CharField(_("fonction"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class Meeting(models.Model):
    class Outcome(models.TextChoices):
        POSITIVE = "positive", _("Positif : projet en vue")
        FOLLOW_UP = "follow_up", _("À suivre")
        NEGATIVE = "negative", _("Sans suite")

    prospect = models.ForeignKey(Prospect, on_delete=models.CASCADE, related_name="meetings",
                                 verbose_name=_("entreprise"))
    campaign = models.ForeignKey(ProspectingCampaign, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="meetings", verbose_name=_("campagne"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="meetings", verbose_name=_("chargé·e de prospection"))
    starts_at = models.DateTimeField(_("date et heure"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=60)
    timezone = TimeZoneField(_("fuseau horaire du rendez-vous"), default="Europe/Paris")
    is_online = models.BooleanField(_("en ligne"), default=False)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    online_url = models.URLField(_("lien"), blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                       verbose_name=_("participants du consortium"))
    member_companies = models.ManyToManyField("companies.Company", blank=True, related_name="+",
                                              verbose_name=_("entreprises adhérentes présentes"))
    use_cases_shown = models.ManyToManyField("showroom.UseCase", blank=True, related_name="meetings",
                                             verbose_name=_("cas d'usage présentés"))
    notes = models.TextField(_("notes"), blank=True)
    outcome = models.CharField(_("résultat"), max_length=10, choices=Outcome.choices, blank=True)
    next_step = models.CharField(_("prochaine étape"), max_length=200, blank=True)
    next_step_due = models.DateField(_("échéance"), null=True, blank=True)
    next_step_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="+", verbose_name=_("responsable"))
    next_step_done = models.BooleanField(_("prochaine étape faite"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        indexes = [
            models.Index(fields=["starts_at"], name="meeting_start_idx"),
            models.Index(fields=["officer", "starts_at"], name="meeting_officer_idx"),
            models.Index(fields=["campaign", "starts_at"], name="meeting_campaign_idx"),
            models.Index(fields=["next_step_owner", "next_step_due"], name="meeting_next_step_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="meeting_duration_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.prospect.name} – {timezone.localtime(self.starts_at):%d/%m/%Y}"

    def clean(self) -> None:
        errors = {}
        if self.outcome and self.starts_at and self.starts_at > timezone.now():
            errors["outcome"] = _("Un rendez-vous à venir ne peut pas encore avoir de résultat.")
        if self.next_step_due and not self.next_step:
            errors["next_step"] = _("Décrivez la prochaine étape qui a une échéance.")
        if errors:
            raise ValidationError(errors)

    @property
    def to_complete(self) -> bool:
        """Return True for a past meeting whose outcome is still missing."""
        return not self.outcome and self.starts_at < timezone.now()

    @property
    def local_starts_at(self):
        """Return the start in the meeting's own time zone."""
        return self.starts_at.astimezone(self.timezone)

    @property
    def timezone_city(self) -> str:
        """Return the city that names the meeting's time zone, in the active language."""
        return timezones.city(str(self.timezone))

    @property
    def paris_starts_at(self):
        """Return the start in Paris time, the consortium's reference."""
        return timezone.localtime(self.starts_at, ZoneInfo("Europe/Paris"))

    @property
    def ends_at(self):
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


class Settlement(models.Model):
    prospect = models.OneToOneField(Prospect, on_delete=models.PROTECT, related_name="settlement",
                                    verbose_name=_("entreprise"))
    settled_on = models.DateField(_("date d'implantation"))
    site_city = models.CharField(_("site"), max_length=80)
    jobs_planned = models.PositiveIntegerField(_("emplois prévus"), default=0)
    partners = models.ManyToManyField("companies.Partner", blank=True, verbose_name=_("partenaires impliqués"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-settled_on"]
        verbose_name = _("implantation")
        verbose_name_plural = _("implantations")

    def __str__(self) -> str:
        return f"{self.prospect.name} à {self.site_city}"


class ExportLead(models.Model):
    """A business opportunity between a member company and a foreign prospect."""

    class Status(models.TextChoices):
        OPEN = "open", _("Ouverte")
        IN_DISCUSSION = "discussion", _("En discussion")
        WON = "won", _("Gagnée")
        LOST = "lost", _("Perdue")

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="export_leads",
                                verbose_name=_("entreprise adhérente"))
    prospect = models.ForeignKey(Prospect, on_delete=models.CASCADE, related_name="export_leads",
                                 verbose_name=_("entreprise prospectée"))
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("opportunité export")
        verbose_name_plural = _("opportunités export")
        constraints = [models.UniqueConstraint(fields=["company", "prospect"], name="export_lead_once")]

    def __str__(self) -> str:
        return f"{self.company} ↔ {self.prospect.name}"


class ProspectStageChange(models.Model):
    """One move of a prospect along the pipeline, written by `prospect_move`."""

    prospect = models.ForeignKey(Prospect, on_delete=models.CASCADE, related_name="stage_changes",
                                 verbose_name=_("entreprise"))
    from_stage = models.CharField(_("étape de départ"), max_length=14, choices=Prospect.Stage.choices)
    to_stage = models.CharField(_("nouvelle étape"), max_length=14, choices=Prospect.Stage.choices)
    changed_at = models.DateTimeField(_("date du changement"), auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("par"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("changement d'étape")
        verbose_name_plural = _("changements d'étape")

    def __str__(self) -> str:
        return f"{self.prospect.name}: {self.get_from_stage_display()} → {self.get_to_stage_display()}"


# The kind of the officers' daily reminder in the platform's sent log (tescforce.models.SentLog).
REMINDER_KIND = "prospecting.reminder"


class ReminderSentManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=REMINDER_KIND)


class ReminderSent(SentLog):
    """The daily reminders sent to officers: the sent-log rows of their kind, for the admin page."""

    objects = ReminderSentManager()

    class Meta:
        proxy = True
        ordering = ["-period", "-id"]
        verbose_name = _("rappel quotidien envoyé")
        verbose_name_plural = _("rappels quotidiens envoyés")

    def __str__(self) -> str:
        return f"{self.user} – {self.period}"

    @property
    def next_steps(self) -> int:
        return self.counts.get("next_steps", 0)

    @property
    def meetings_to_complete(self) -> int:
        return self.counts.get("meetings_to_complete", 0)


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The private address where an officer's calendar app reads their meetings.

    Calendar apps cannot log in: the address itself is the secret. Resetting gives a new address and
    deleting the row revokes it; a disabled account or a lost permission closes it too.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prospecting_feed",
                                verbose_name=_("utilisateur"))
    token = models.CharField(_("jeton"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_read_at = models.DateTimeField(_("dernière lecture"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement d'agenda")
        verbose_name_plural = _("abonnements d'agenda")

    def __str__(self) -> str:
        return str(self.user)
