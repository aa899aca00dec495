"""The matching engine's stored scores and the job-dating agenda: interviews planned from them.

The tables keep the names they had in `candidates` (candidates_match…): only the app moved.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate

from . import engine


class Match(models.Model):
    """A stored score of how well a candidate fits a published posting, with its explanation."""

    # No index of their own: `match_once` starts with the candidate, `match_posting_score_idx` with the
    # posting, and each index more slows every write of the 2.3M rows.
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="matches",
                                  verbose_name=_("candidat·e"), db_index=False)
    posting = models.ForeignKey("companies.JobPosting", on_delete=models.CASCADE, related_name="matches",
                                verbose_name=_("offre"), db_index=False)
    score = models.PositiveSmallIntegerField(_("score"))
    # Why the row is kept: among the posting's best candidates, among the candidate's best postings.
    for_posting = models.BooleanField(_("dans le haut du classement de l'offre"), default=False)
    for_candidate = models.BooleanField(_("dans le haut du classement du candidat"), default=False)
    computed_at = models.DateTimeField(_("calculé le"), auto_now=True)
    # The explanation's codes in fixed-width bytes (matching.engine.pack_arrays), its only stored form: the
    # same codes kept as JSON were two-thirds of a first fill's COPY. Empty: compared as different.
    packed = models.BinaryField(_("codes de l'explication"), null=True, editable=False)

    class Meta:
        db_table = "candidates_match"
        ordering = ["-score"]
        verbose_name = _("rapprochement")
        verbose_name_plural = _("rapprochements")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "posting"], name="match_once"),
            models.CheckConstraint(condition=Q(score__lte=100), name="match_score_range"),
        ]
        indexes = [
            models.Index(fields=["posting", "-score"], name="match_posting_score_idx"),
            models.Index(fields=["candidate", "-score"], name="match_candidate_score_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} ~ {self.posting}: {self.score}"

    @property
    def explanation(self) -> dict:
        """The explanation's codes (`matching.engine.explain`'s dict), read from `packed`; {} when none."""
        return engine.unpack(self.packed)

    @explanation.setter
    def explanation(self, codes: dict) -> None:
        self.packed = engine.pack_explanations([codes])[0] if codes else None


class MatchingRun(models.Model):
    """The matching engine's one state row: locked while matches are written, so writers take turns."""

    last_full_at = models.DateTimeField(_("dernier calcul complet"), null=True, blank=True)
    last_full_seconds = models.FloatField(_("durée du dernier calcul complet (s)"), null=True, blank=True)
    last_full_rows = models.PositiveIntegerField(_("rapprochements gardés"), default=0)

    class Meta:
        db_table = "candidates_matchingrun"
        verbose_name = _("état du rapprochement")
        verbose_name_plural = _("états du rapprochement")

    def __str__(self) -> str:
        return str(_("Rapprochement"))


class JobDatingAgenda(models.Model):
    """The interview plan of one job-dating session, built from match scores, then published."""

    session = models.OneToOneField("events.Session", on_delete=models.CASCADE, related_name="agenda",
                                   verbose_name=_("session"))
    max_per_candidate = models.PositiveSmallIntegerField(_("entretiens au plus par candidat·e"), default=3)
    built_at = models.DateTimeField(_("construit le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)

    class Meta:
        db_table = "candidates_jobdatingagenda"
        verbose_name = _("agenda de job dating")
        verbose_name_plural = _("agendas de job dating")
        constraints = [models.CheckConstraint(condition=Q(max_per_candidate__gte=1), name="agenda_max_positive")]

    def __str__(self) -> str:
        return str(self.session)


class Interview(models.Model):
    """A 15-minute interview between a candidate and a company at a job-dating session."""

    agenda = models.ForeignKey(JobDatingAgenda, on_delete=models.CASCADE, related_name="interviews",
                               verbose_name=_("agenda"))
    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="interviews",
                                verbose_name=_("entreprise"))
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="interviews",
                                  verbose_name=_("candidat·e"))
    posting = models.ForeignKey("companies.JobPosting", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="interviews", verbose_name=_("offre"))
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    notified_at = models.DateTimeField(_("prévenu·es le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True, editable=False)
    # Grows with each change of time or status once the agenda is sent, so that calendars apply the update.
    ics_sequence = models.PositiveIntegerField(_("version du calendrier"), default=0, editable=False)
    # Set only on interviews whose .ics went out before UIDs were on the site's host; empty means `ical.uid()`.
    ics_uid = models.CharField(_("identifiant du calendrier"), max_length=255, blank=True, default="",
                               editable=False)

    class Meta:
        db_table = "candidates_interview"
        ordering = ["starts_at", "company_id"]
        verbose_name = _("entretien")
        verbose_name_plural = _("entretiens")
        constraints = [
            # No one is in two places at once, and a company meets a candidate once.
            # A cancelled interview stays (its .ics says so) but frees the slot.
            models.UniqueConstraint(fields=["agenda", "company", "starts_at"], name="interview_company_slot_once",
                                    condition=Q(cancelled_at__isnull=True)),
            models.UniqueConstraint(fields=["agenda", "candidate", "starts_at"],
                                    name="interview_candidate_slot_once", condition=Q(cancelled_at__isnull=True),
                                    violation_error_message=_("Ce·tte candidat·e a déjà un entretien à cette heure.")),
            models.UniqueConstraint(fields=["agenda", "company", "candidate"], name="interview_pair_once",
                                    condition=Q(cancelled_at__isnull=True),
                                    violation_error_message=_("Cette entreprise rencontre déjà ce·tte candidat·e.")),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="interview_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.company} – {self.candidate} ({self.starts_at:%H:%M})"


class InterviewNotice(models.Model):
    """The e-mail owed to one person (the candidate or one recruiter) about one change of an interview.

    Keyed by the interview's SEQUENCE: a retried task or a form saved twice finds the row and sends
    nothing more. Claimed (`notified_at`) before it goes out, as InterviewRelease is.
    """

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="notices",
                                  verbose_name=_("entretien"))
    sequence = models.PositiveIntegerField(_("version du calendrier"))
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                  verbose_name=_("candidat·e"))
    recruiter = models.ForeignKey("companies.Recruiter", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="+", verbose_name=_("recruteur"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    notified_at = models.DateTimeField(_("prévenu·e le"), null=True, blank=True)

    class Meta:
        verbose_name = _("avis de changement d'entretien")
        verbose_name_plural = _("avis de changement d'entretien")
        constraints = [
            models.UniqueConstraint(fields=["interview", "sequence", "candidate"], name="interview_notice_candidate",
                                    condition=Q(candidate__isnull=False)),
            models.UniqueConstraint(fields=["interview", "sequence", "recruiter"], name="interview_notice_recruiter",
                                    condition=Q(recruiter__isnull=False)),
            models.CheckConstraint(condition=Q(candidate__isnull=False) ^ Q(recruiter__isnull=False),
                                   name="interview_notice_one_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.interview} #{self.sequence}"


class InterviewRelease(models.Model):
    """An interview slot freed after the agenda was sent, and the notice owed to one recruiter about it.

    It names no one: the person left (cancelled, withdrew their consent or erased their account) and
    the recruiter learns only that the slot is free. One row per recruiter told (none when the company
    has no one to tell), so each e-mail is claimed on its own row (`notified_at`) before it goes out.
    """

    class Reason(models.TextChoices):
        CANCELLED = "cancelled", _("Inscription annulée")
        WITHDRAWN = "withdrawn", _("Consentement retiré")
        ERASED = "erased", _("Compte effacé")

    agenda = models.ForeignKey(JobDatingAgenda, on_delete=models.CASCADE, related_name="releases",
                               verbose_name=_("agenda"))
    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("entreprise"))
    recruiter = models.ForeignKey("companies.Recruiter", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="+", verbose_name=_("recruteur prévenu"))
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    reason = models.CharField(_("motif"), max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(_("libéré le"), auto_now_add=True)
    notified_at = models.DateTimeField(_("recruteurs prévenus le"), null=True, blank=True)

    class Meta:
        db_table = "candidates_interviewrelease"
        ordering = ["-created_at"]
        verbose_name = _("créneau libéré")
        verbose_name_plural = _("créneaux libérés")

    def __str__(self) -> str:
        return f"{self.company} – {self.starts_at:%H:%M}"


class Scorecard(models.Model):
    """What a company's recruiters thought of one job-dating interview: one per interview, written on the day.

    Saved field by field as the recruiter types (`matching.scorecards.scorecard_save`); its audit trail
    (tescforce/audit.py) records who changed what and when. "Second interview" and "offer" move the
    candidate's pipeline; the candidate learns the outcome only when the team tells them (`outcome_*`).
    """

    class Rating(models.IntegerChoices):
        # Four steps and no middle one: the recruiter leans one way or the other, which the team can act on.
        NO = 1, _("1 – Ne correspond pas")
        RATHER_NO = 2, _("2 – Plutôt non")
        RATHER_YES = 3, _("3 – Plutôt oui")
        YES = 4, _("4 – Correspond tout à fait")

    class NextStep(models.TextChoices):
        SECOND_INTERVIEW = "second_interview", _("Second entretien")
        OFFER = "offer", _("Proposition d'embauche")
        NOT_RETAINED = "not_retained", _("Non retenu·e")

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="scorecard",
                                     verbose_name=_("entretien"))
    rating = models.PositiveSmallIntegerField(_("appréciation"), choices=Rating.choices, null=True, blank=True)
    strengths = models.TextField(_("points forts"), blank=True, max_length=2000)
    next_step = models.CharField(_("suite"), max_length=20, choices=NextStep.choices, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("modifiée par"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    # What the candidate's pipeline did after the last change of `next_step` (or why it could not follow).
    pipeline_note = models.CharField(_("effet sur le parcours"), max_length=300, blank=True, editable=False)
    # The team's decision to tell the candidate (once), and the e-mail's sending.
    outcome_requested_at = models.DateTimeField(_("candidat·e à informer depuis"), null=True, blank=True,
                                                editable=False)
    outcome_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                             blank=True, related_name="+", editable=False,
                                             verbose_name=_("informé·e à la demande de"))
    outcome_told = models.CharField(_("suite annoncée"), max_length=20, choices=NextStep.choices, blank=True,
                                    editable=False)
    outcome_sent_at = models.DateTimeField(_("candidat·e informé·e le"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["interview__starts_at", "pk"]
        verbose_name = _("fiche d'entretien")
        verbose_name_plural = _("fiches d'entretien")
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=4),
                                   name="scorecard_rating_range"),
        ]

    def __str__(self) -> str:
        return str(self.interview)


class SheetLink(models.Model):
    """The signed link that opens one recruiter's interview sheet for one job dating, without signing in.

    The link carries this row's id and nonce; issuing it again draws a new nonce, so the old link stops
    working (revoked). It expires after the session's day (`matching.scorecards.sheet_link_read`).
    """

    agenda = models.ForeignKey(JobDatingAgenda, on_delete=models.CASCADE, related_name="sheet_links",
                               verbose_name=_("agenda"))
    recruiter = models.ForeignKey("companies.Recruiter", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("recruteur"))
    # The company the link was made for: a recruiter who moves to another company loses it.
    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("entreprise"))
    nonce = models.CharField(max_length=32, editable=False)
    issued_at = models.DateTimeField(_("envoyé le"))

    class Meta:
        verbose_name = _("lien de fiche d'entretiens")
        verbose_name_plural = _("liens de fiche d'entretiens")
        constraints = [models.UniqueConstraint(fields=["agenda", "recruiter"], name="sheet_link_once")]

    def __str__(self) -> str:
        return f"{self.recruiter} – {self.agenda}"
