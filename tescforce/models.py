from django.db import models
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
