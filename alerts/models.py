"""Alerts a candidate chose in Mon espace, and the offers and sessions each alert has already told them of."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate


class Subscription(models.Model):
    """One alert a candidate asked for: new offers matching their profile, or sessions in their city."""

    class Kind(models.TextChoices):
        OFFERS = "offers", _("Nouvelles offres correspondant à mon profil")
        SESSIONS = "sessions", _("Sessions à venir dans ma ville")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Une fois par semaine")
        IMMEDIATE = "immediate", _("Dès qu'il y en a")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="alert_subscriptions",
                                  verbose_name=_("candidat·e"))
    kind = models.CharField(_("alerte"), max_length=10, choices=Kind.choices)
    frequency = models.CharField(_("fréquence"), max_length=10, choices=Frequency.choices,
                                 default=Frequency.WEEKLY)
    # The proof of the request (when, from Mon espace); the offers alert names only offers published after it.
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    # When the alert was last looked at by the sender: a weekly alert is due seven days after it.
    checked_at = models.DateTimeField(_("dernier passage"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("dernier envoi"), null=True, blank=True)

    class Meta:
        ordering = ["candidate_id", "kind"]
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        constraints = [models.UniqueConstraint(fields=["candidate", "kind"], name="alert_once_per_kind")]
        indexes = [models.Index(fields=["frequency", "checked_at"], name="alert_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_frequency_display()})"


class AlertSent(models.Model):
    """An offer or a session an alert told the candidate of: the unique rows make sure it is never told twice."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("candidat·e"))
    posting = models.ForeignKey("companies.JobPosting", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+", verbose_name=_("offre"))
    session = models.ForeignKey("events.Session", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+", verbose_name=_("session"))
    sent_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("alerte envoyée")
        verbose_name_plural = _("alertes envoyées")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "posting"], condition=Q(posting__isnull=False),
                                    name="alert_posting_once"),
            models.UniqueConstraint(fields=["candidate", "session"], condition=Q(session__isnull=False),
                                    name="alert_session_once"),
            models.CheckConstraint(condition=Q(posting__isnull=True) ^ Q(session__isnull=True),
                                   name="alert_names_one_thing"),
        ]

    def __str__(self) -> str:
        return str(self.posting or self.session)
