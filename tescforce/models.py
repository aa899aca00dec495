from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class YearTarget(models.Model):
    """The year's targets the dashboard shows each figure against (defaults from the 2023 plan)."""

    year = models.PositiveSmallIntegerField(_("année"), unique=True)
    candidates = models.PositiveIntegerField(_("candidats Numéric Emploi"), default=200)
    sessions = models.PositiveIntegerField(_("sessions"), default=8)
    companies = models.PositiveIntegerField(_("entreprises mobilisées"), default=40)
    hires = models.PositiveIntegerField(_("recrutements"), default=0)
    meetings = models.PositiveIntegerField(_("rendez-vous de prospection"), default=400)
    settlements = models.PositiveIntegerField(_("implantations"), default=3)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("objectifs de l'année")
        verbose_name_plural = _("objectifs annuels")

    def __str__(self) -> str:
        return str(self.year)


class SecurityPolicy(models.Model):
    """The platform's one security policy row, kept by the coordinators in the admin."""

    two_factor_required = models.BooleanField(
        _("double authentification obligatoire pour le personnel"), default=False,
        help_text=_("Chaque compte du personnel devra configurer un code à usage unique (application "
                    "d'authentification) avant d'accéder à l'administration ou au pilotage."))
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("politique de sécurité")
        verbose_name_plural = _("politique de sécurité")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="securitypolicy_singleton")]

    def __str__(self) -> str:
        return str(_("Politique de sécurité"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "SecurityPolicy":
        """Return the policy. Read from the database each time (one primary-key read, only on staff pages of
        staff without a device), so that a coordinator's change holds at once on every server."""
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


class SentLog(models.Model):
    """One message of a kind sent to one person for one period (a day): the unique row makes it go once.

    Each room names its kind ("prospecting.reminder", "hotline.digest") and writes the row with
    `tescforce.sentlog.claim_once` in the transaction that sends. `items` is how many things the message
    listed; `counts` splits them when the kind has several parts (next steps, meetings to complete).
    """

    kind = models.CharField(_("type d'envoi"), max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("destinataire"))
    period = models.DateField(_("jour"))
    items = models.PositiveIntegerField(_("éléments listés"), default=0)
    counts = models.JSONField(_("détail des éléments"), default=dict, blank=True)
    # A default, not auto_now_add: the rows copied from the former tables keep their time.
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        ordering = ["-period", "-id"]
        verbose_name = _("envoi quotidien")
        verbose_name_plural = _("envois quotidiens")
        constraints = [models.UniqueConstraint(fields=["kind", "user", "period"], name="sentlog_once_per_period")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.user} – {self.period}"
