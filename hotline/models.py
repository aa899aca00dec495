"""The hotline's rows: calls, call-back requests, relocation requests and the digests sent.

The models moved here from `candidates`; their tables kept their names (`candidates_…`), so the data
never moved (migrations hotline/0001 and candidates/0014 change Django's state only).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Func, Q, TextField
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from candidates.search import contact_key


class HotlineCall(models.Model):
    class Direction(models.TextChoices):
        INBOUND = "in", _("Entrant")
        OUTBOUND = "out", _("Sortant")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Téléphone")
        EMAIL = "email", _("E-mail")
        VISIT = "visit", _("Visite")

    class Topic(models.TextChoices):
        JOB_SEARCH = "job_search", _("Recherche d'emploi")
        TRAINING = "training", _("Reconversion et formation")
        SESSION = "session", _("Une session")
        RELOCATION = "relocation", _("Installation en Occitanie")
        COMPANY = "company", _("Contact entreprise")
        OTHER = "other", _("Autre")

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="calls", verbose_name=_("candidat·e"))
    caller_name = models.CharField(_("nom de l'appelant"), max_length=160, blank=True)
    caller_contact = models.CharField(_("téléphone ou e-mail de l'appelant"), max_length=254, blank=True)
    # The contact in one comparable form (lower-case e-mail or national phone digits), so that an
    # erasure also finds the calls logged before the person was known.
    caller_key = models.CharField(max_length=254, blank=True, db_index=True, editable=False)
    direction = models.CharField(_("sens"), max_length=3, choices=Direction.choices, default=Direction.INBOUND)
    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices, default=Channel.PHONE)
    topic = models.CharField(_("sujet"), max_length=12, choices=Topic.choices)
    summary = models.TextField(_("résumé"), help_text=_("Restez factuel·le (recommandation CNIL)."))
    follow_up_due = models.DateField(_("relance le"), null=True, blank=True)
    follow_up_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="follow_ups", verbose_name=_("relance par"))
    follow_up_done_at = models.DateTimeField(_("relance faite le"), null=True, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("noté par"))
    created_at = models.DateTimeField(_("date de l'appel"), auto_now_add=True, db_index=True)
    # What the search of callers who are not candidates compares (selectors.unregistered_caller_search),
    # written by the database with the row, as the candidates' are (candidates 0021): the trigram index's
    # rows are checked again without folding each name anew. Functions of migration 0004 (on SQLite,
    # registered in Python by selectors.register_sqlite_functions).
    caller_search_text = models.GeneratedField(
        expression=Func(F("caller_name"), F("caller_key"), function="tf_caller_search"),
        output_field=TextField(), db_persist=True, verbose_name=_("texte de recherche"))
    caller_name_text = models.GeneratedField(
        expression=Func(F("caller_name"), function="tf_caller_name"),
        output_field=TextField(), db_persist=True, verbose_name=_("nom pour la recherche"))

    class Meta:
        db_table = "candidates_hotlinecall"
        ordering = ["-created_at"]
        verbose_name = _("appel hotline")
        verbose_name_plural = _("appels hotline")
        indexes = [
            models.Index(fields=["follow_up_owner", "follow_up_due"], condition=Q(follow_up_done_at__isnull=True),
                         name="call_open_follow_up_idx"),
            models.Index(fields=["topic", "created_at"], name="call_topic_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(follow_up_due__isnull=True) | Q(follow_up_owner__isnull=False),
                                   name="call_follow_up_has_owner",
                                   violation_error_message=_("Une relance doit avoir un responsable.")),
        ]

    def __str__(self) -> str:
        who = self.candidate or self.caller_name or _("appelant inconnu")
        return f"{self.get_topic_display()} – {who}"

    def save(self, *args, **kwargs):
        self.caller_key = contact_key(self.caller_contact)
        super().save(*args, **kwargs)


class CallbackRequest(models.Model):
    """A call-back asked for on the public contact page; it waits in the hotline queue."""

    class Slot(models.TextChoices):
        MORNING = "morning", _("Le matin (9 h – 12 h)")
        AFTERNOON = "afternoon", _("L'après-midi (14 h – 17 h)")
        ANY = "any", _("Indifférent")

    name = models.CharField(_("nom"), max_length=160)
    phone = PhoneNumberField(_("téléphone"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_time = models.CharField(_("moment préféré"), max_length=10, choices=Slot.choices, default=Slot.ANY)
    topic = models.CharField(_("sujet"), max_length=12, choices=HotlineCall.Topic.choices)
    message = models.TextField(_("message"), blank=True)
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="callback_requests", verbose_name=_("candidat·e"))
    handled_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("traitée par"))
    call = models.OneToOneField(HotlineCall, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="callback_request", verbose_name=_("appel qui l'a traitée"))
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES, default="fr")
    acknowledged_at = models.DateTimeField(_("accusé de réception envoyé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True, db_index=True)

    class Meta:
        db_table = "candidates_callbackrequest"
        ordering = ["created_at"]
        verbose_name = _("demande de rappel")
        verbose_name_plural = _("demandes de rappel")
        constraints = [
            models.CheckConstraint(condition=~Q(phone="") | ~Q(email=""), name="callback_has_contact",
                                   violation_error_message=_("Indiquez un téléphone ou un e-mail.")),
        ]
        indexes = [models.Index(fields=["created_at"], condition=Q(handled_at__isnull=True),
                                name="callback_queue_idx")]

    def __str__(self) -> str:
        return f"{self.name} – {self.get_topic_display()}"


class RelocationRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Ouverte")
        IN_PROGRESS = "in_progress", _("En cours")
        DONE = "done", _("Terminée")
        CANCELLED = "cancelled", _("Annulée")

    class Origin(models.TextChoices):
        STAFF = "staff", _("Saisie par l'équipe")
        SPACE = "space", _("Demandée depuis Mon espace")

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="relocation_requests",
                                  verbose_name=_("candidat·e"))
    need_housing = models.BooleanField(_("logement"), default=False)
    need_partner_job = models.BooleanField(_("emploi du conjoint"), default=False)
    need_schools = models.BooleanField(_("scolarité des enfants"), default=False)
    need_transport = models.BooleanField(_("transports"), default=False)
    need_other = models.CharField(_("autre besoin"), max_length=200, blank=True)
    target_city = models.CharField(_("ville visée"), max_length=80)
    target_date = models.DateField(_("date d'arrivée visée"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    message = models.TextField(_("message de la personne"), blank=True)
    origin = models.CharField(_("origine"), max_length=8, choices=Origin.choices, default=Origin.STAFF)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Restez factuel·le (recommandation CNIL)."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("suivie par"))
    created_at = models.DateTimeField(_("date de réception"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        db_table = "candidates_relocationrequest"
        ordering = ["-created_at"]
        verbose_name = _("demande d'aide à l'installation")
        verbose_name_plural = _("demandes d'aide à l'installation")
        constraints = [
            # A double submit or two agents at once must not open two requests for the same move.
            models.UniqueConstraint(fields=["candidate"], condition=Q(status__in=["open", "in_progress"]),
                                    name="relocation_one_active_per_candidate",
                                    violation_error_message=_("Une demande est déjà en cours pour cette personne.")),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.target_city}"

