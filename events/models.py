import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    partners = models.ManyToManyField("companies.Partner", blank=True, verbose_name=_("partenaires"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class Edition(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="editions",
                                  verbose_name=_("programme"))
    number = models.PositiveSmallIntegerField(_("numéro"))
    name = models.CharField(_("nom"), max_length=120)
    year = models.PositiveSmallIntegerField(_("année"), db_index=True)
    starts_on = models.DateField(_("date de lancement"))
    ends_on = models.DateField(_("date de fin"), null=True, blank=True)
    target_candidates = models.PositiveIntegerField(_("candidats attendus"), default=0)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("édition")
        verbose_name_plural = _("éditions")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="edition_number_unique"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                                   name="edition_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.name}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("La fin doit suivre le début.")})


class Session(models.Model):
    class Format(models.TextChoices):
        INFO = "info", _("Réunion d'information")
        JOB_DATING = "job_dating", _("Job dating")
        WORKSHOP = "workshop", _("Atelier")
        ONLINE = "online", _("En ligne")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="sessions",
                                verbose_name=_("édition"))
    title = models.CharField(_("titre"), max_length=150)
    title_en = models.CharField(
        _("titre en anglais"), max_length=150, blank=True,
        help_text=_("Facultatif. Montré sur le site en anglais ; vide : le titre français, signalé « en français »."),
    )
    city = models.CharField(_("ville"), max_length=80, db_index=True)
    venue = models.CharField(_("lieu"), max_length=150, blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    online_url = models.URLField(_("lien de connexion"), blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    capacity = models.PositiveIntegerField(_("places"))
    registration_opens_at = models.DateTimeField(_("ouverture des inscriptions"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("clôture des inscriptions"), null=True, blank=True)
    programme_text = models.TextField(_("programme de la session"), blank=True)
    programme_text_en = models.TextField(
        _("programme en anglais"), blank=True,
        help_text=_("Facultatif. Montré sur le site en anglais ; vide : le programme français, signalé "
                    "« en français »."),
    )
    is_published = models.BooleanField(_("publiée"), default=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True, editable=False)
    # Grows with each change of time, place or status, so that calendar apps apply the updated .ics.
    ics_sequence = models.PositiveIntegerField(_("version du calendrier"), default=0, editable=False)
    # Set only on sessions whose .ics went out before UIDs were on the site's host; empty means `ical.uid()`.
    ics_uid = models.CharField(_("identifiant du calendrier"), max_length=255, blank=True, default="",
                               editable=False)
    companies = models.ManyToManyField("companies.Company", through="SessionCompany", blank=True,
                                       related_name="sessions", verbose_name=_("entreprises présentes"))
    partners = models.ManyToManyField("companies.Partner", through="SessionPartner", blank=True,
                                      related_name="sessions", verbose_name=_("partenaires présents"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            models.Index(fields=["is_published", "starts_at"], name="session_published_start_idx"),
            models.Index(fields=["city", "starts_at"], name="session_city_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start",
                                   violation_error_message=_("La fin doit suivre le début.")),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive",
                                   violation_error_message=_("Une session compte au moins une place.")),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True) | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="session_registration_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.city}"

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("La fin doit suivre le début.")
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = _("Une session compte au moins une place.")
        if (self.registration_opens_at and self.registration_closes_at
                and self.registration_closes_at <= self.registration_opens_at):
            errors["registration_closes_at"] = _("La clôture doit suivre l'ouverture des inscriptions.")
        if self.registration_closes_at and self.ends_at and self.registration_closes_at > self.ends_at:
            errors["registration_closes_at"] = _("Les inscriptions doivent fermer avant la fin de la session.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("events:session_detail", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class SessionCompany(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="company_participations",
                                verbose_name=_("session"))
    company = models.ForeignKey("companies.Company", on_delete=models.PROTECT,
                                related_name="session_participations", verbose_name=_("entreprise"))
    recruiters = models.ManyToManyField("companies.Recruiter", blank=True, verbose_name=_("recruteurs présents"))
    postings = models.ManyToManyField("companies.JobPosting", blank=True, verbose_name=_("offres présentées"))
    interview_slots = models.PositiveSmallIntegerField(_("créneaux d'entretien"), default=8)

    class Meta:
        verbose_name = _("entreprise présente")
        verbose_name_plural = _("entreprises présentes")
        constraints = [models.UniqueConstraint(fields=["session", "company"], name="session_company_once")]

    def __str__(self) -> str:
        return f"{self.company} @ {self.session}"


class SessionPartner(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="partner_participations",
                                verbose_name=_("session"))
    partner = models.ForeignKey("companies.Partner", on_delete=models.PROTECT, verbose_name=_("partenaire"))
    role = models.CharField(_("rôle"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("partenaire présent")
        verbose_name_plural = _("partenaires présents")
        constraints = [models.UniqueConstraint(fields=["session", "partner"], name="session_partner_once")]

    def __str__(self) -> str:
        return f"{self.partner} @ {self.session}"


def new_ticket_nonce() -> str:
    """Return a fresh random part of a ticket's signed code (events/tickets.py)."""
    return secrets.token_hex(8)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmée")
        WAITLISTED = "waitlisted", _("En liste d'attente")
        CANCELLED = "cancelled", _("Annulée")
        ATTENDED = "attended", _("Présent·e")
        NO_SHOW = "no_show", _("Absent·e")

    class Outcome(models.TextChoices):
        IDENTIFIED = "identified", _("Identifié·e")
        QUALIFIED = "qualified", _("Qualifié·e")
        ORIENTED = "oriented", _("Orienté·e")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations",
                                verbose_name=_("session"))
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="registrations",
                                  verbose_name=_("candidat·e"))
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    walk_in = models.BooleanField(_("inscrit·e sur place"), default=False)
    outcome = models.CharField(_("résultat"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(_("notes sur le résultat"), blank=True)
    created_at = models.DateTimeField(_("inscrit·e le"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("arrivé·e à"), null=True, blank=True)
    # Who let the person in: the desk's answer to a second scan names them ("déjà enregistré·e par …").
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("pointé·e par"))
    # The desk's own id of the scan that checked the person in: the same scan sent again after a network
    # loss is recognised as a replay, not refused as a second use of the ticket.
    checked_in_scan = models.UUIDField(_("scan d'arrivée"), null=True, blank=True, editable=False)
    # Signed into the ticket's code with the id: a new one at each booking, so a ticket of a cancelled
    # booking no longer verifies once the person books again.
    ticket_nonce = models.CharField(_("clé du billet"), max_length=32, default=new_ticket_nonce, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [models.UniqueConstraint(fields=["session", "candidate"], name="registration_once")]
        indexes = [
            models.Index(fields=["session", "status", "created_at"], name="registration_queue_idx"),
            # The admin's list in its default order, a page at a time (no sort of every registration).
            models.Index(fields=["created_at", "id"], name="registration_created_idx"),
            # A page's sessions and their seats (events.selectors.with_figures) from the index alone: without
            # it PostgreSQL reads every booking to count those of 30 sessions.
            models.Index(fields=["session", "status", "walk_in"], include=["id"], name="registration_seats_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} @ {self.session} ({self.get_status_display()})"


class MessageSent(models.Model):
    """One message to one person (booking e-mail, reminder, survey): the outbox row that makes it go once.

    The row is written as `pending` with the action that causes the message (a booking, a due reminder).
    A sender claims it in a committed transaction of its own (a conditional UPDATE: one winner), sends,
    then marks it `sent`. A claim older than the lease (settings.MESSAGE_CLAIM_LEASE, longer than the
    SMTP timeout) whose send was never confirmed may be claimed again: the sender died mid-send.
    """

    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", _("Place réservée")
        WAITLISTED = "waitlisted", _("Liste d'attente")
        PROMOTED = "promoted", _("Place libérée")
        CANCELLED = "cancelled", _("Inscription annulée")
        D7 = "d7", _("Rappel J-7")
        D1 = "d1", _("Rappel J-1")
        SURVEY = "survey", _("Questionnaire de satisfaction")
        NO_SHOW = "no_show", _("Message aux absents")
        CHANGED = "changed", _("Session déplacée ou annulée")
        COMPANY_LIST = "company_list", _("Liste des candidat·es prête (recruteurs)")

    class State(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        CLAIMED = "claimed", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        DROPPED = "dropped", _("Sans objet")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="messages",
                                verbose_name=_("session"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="messages", verbose_name=_("inscription"))
    recruiter = models.ForeignKey("companies.Recruiter", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="+", verbose_name=_("recruteur"))
    # Tells apart two messages of one kind to one booking (booked, cancelled, booked again): the
    # time of the booking or cancellation it reports; empty for reminders, which go once per booking.
    variant = models.CharField(_("variante"), max_length=40, blank=True, default="")
    state = models.CharField(_("état"), max_length=8, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("message envoyé")
        verbose_name_plural = _("messages envoyés")
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind", "variant"],
                                    condition=Q(registration__isnull=False), name="message_once_per_registration"),
            models.UniqueConstraint(fields=["session", "recruiter", "kind"], condition=Q(recruiter__isnull=False),
                                    name="message_once_per_recruiter"),
            models.CheckConstraint(condition=Q(registration__isnull=False) | Q(recruiter__isnull=False),
                                   name="message_has_recipient"),
        ]
        indexes = [models.Index(fields=["state", "claimed_at"], name="message_sweep_idx",
                                condition=Q(state__in=["pending", "claimed"]))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.session}"


class SurveyResponse(models.Model):
    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="survey",
                                        verbose_name=_("inscription"))
    rating = models.PositiveSmallIntegerField(_("note (1 à 5)"), choices=[(i, str(i)) for i in range(1, 6)])
    useful = models.BooleanField(_("utile pour mon projet"), default=True)
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(_("répondu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("réponse au questionnaire")
        verbose_name_plural = _("réponses au questionnaire")
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5),
                                              name="survey_rating_range")]

    def __str__(self) -> str:
        return f"{self.registration} – {self.rating}/5"
