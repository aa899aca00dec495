import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Func, Q, TextField
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

# Départements of Occitanie, to tell the candidates who come from other regions.
OCCITANIE_DEPARTMENTS = frozenset({"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"})


def is_in_occitanie(postcode: str) -> bool:
    return bool(postcode) and postcode[:2] in OCCITANIE_DEPARTMENTS


def _private_storage():
    return storages["private"]


def cv_upload_to(instance, filename: str) -> str:
    # A random name: the stored path says nothing about the person.
    return f"cv/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:5]}"


class Campaign(models.Model):
    """A Talents Occitanie communication campaign in a large French city."""

    class Channel(models.TextChoices):
        SOCIAL = "social", _("Réseaux sociaux")
        DISPLAY = "display", _("Affichage")
        RADIO = "radio", _("Radio")
        PRESS = "press", _("Presse")
        EVENT = "event", _("Salon ou événement")
        PARTNER = "partner", _("Partenaire")
        SEARCH = "search", _("Moteur de recherche")
        OTHER = "other", _("Autre")

    name = models.CharField(_("nom"), max_length=150)
    code = models.SlugField(_("code de suivi"), max_length=40, unique=True,
                            help_text=_("Utilisé dans les liens : ?utm_campaign=<code> ou /c/<code>/."))
    city = models.CharField(_("ville ciblée"), max_length=80)
    channel = models.CharField(_("canal"), max_length=20, choices=Channel.choices)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    budget = models.DecimalField(_("budget (€)"), max_digits=10, decimal_places=2, default=0)
    funders = models.ManyToManyField(
        "companies.Partner", through="CampaignFunding", blank=True, verbose_name=_("financeurs")
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("date de création"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("campagne Talents Occitanie")
        verbose_name_plural = _("campagnes Talents Occitanie")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="campaign_dates_ordered",
                                   violation_error_message=_("La fin doit suivre le début.")),
            models.CheckConstraint(condition=Q(budget__gte=0), name="campaign_budget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("La fin doit suivre le début.")})


class CampaignFunding(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="fundings",
                                 verbose_name=_("campagne"))
    partner = models.ForeignKey("companies.Partner", on_delete=models.PROTECT, verbose_name=_("financeur"))
    amount = models.DecimalField(_("montant (€)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("financement")
        verbose_name_plural = _("financements")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "partner"], name="funding_once_per_partner"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} → {self.campaign}"


class CandidateQuerySet(models.QuerySet):
    def with_email(self, email: str) -> "CandidateQuerySet":
        """The person with this address, whatever its case, found through the unique index on lower(email).

        `email__iexact` compares upper() of both sides, which that index cannot answer: PostgreSQL would read
        the table in creation order instead. Unordered, so that `.first()` does not walk an index either.
        """
        return (self.alias(email_key=Lower("email")).filter(email_key=email.strip().lower())
                .exclude(email="").order_by())


class Candidate(models.Model):
    class Profile(models.TextChoices):
        RETRAINING = "retraining", _("En reconversion professionnelle")
        YOUNG_GRADUATE = "young_graduate", _("Jeune diplômé·e")
        EXPERIENCED = "experienced", _("Professionnel·le expérimenté·e du numérique")
        JOB_SEEKER = "job_seeker", _("Demandeur·se d'emploi inscrit·e à France Travail")

    class Education(models.TextChoices):
        NONE = "none", _("Sans diplôme")
        CAP = "cap", _("CAP / BEP")
        BAC = "bac", _("Bac")
        BAC2 = "bac2", _("Bac +2")
        BAC3 = "bac3", _("Bac +3")
        BAC5 = "bac5", _("Bac +5")
        DOCTORATE = "doctorate", _("Doctorat")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Femme")
        MALE = "male", _("Homme")
        OTHER = "other", _("Autre")
        UNDISCLOSED = "undisclosed", _("Je préfère ne pas répondre")

    class Stage(models.TextChoices):
        REGISTERED = "registered", _("Inscrit·e")
        QUALIFIED = "qualified", _("Qualifié·e")
        ORIENTED = "oriented", _("Orienté·e")
        IN_RECRUITMENT = "in_recruitment", _("En recrutement")
        HIRED = "hired", _("Recruté·e")
        WITHDRAWN = "withdrawn", _("Sorti·e du dispositif")

    class Contract(models.TextChoices):
        ANY = "any", _("Indifférent")
        CDI = "cdi", _("CDI")
        CDD = "cdd", _("CDD")
        APPRENTICESHIP = "apprenticeship", _("Alternance")
        INTERNSHIP = "internship", _("Stage")
        FREELANCE = "freelance", _("Freelance")

    class Experience(models.TextChoices):
        NONE = "none", _("Aucune dans le numérique")
        JUNIOR = "junior", _("1 à 3 ans")
        CONFIRMED = "confirmed", _("3 à 7 ans")
        SENIOR = "senior", _("Plus de 7 ans")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(_("prénom"), max_length=80)
    last_name = models.CharField(_("nom"), max_length=80)
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = PhoneNumberField(_("téléphone"), blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=80, blank=True)
    profile = models.CharField(_("profil"), max_length=20, choices=Profile.choices, db_index=True)
    education = models.CharField(_("niveau d'études"), max_length=10, choices=Education.choices, blank=True)
    experience = models.CharField(_("expérience dans le numérique"), max_length=10,
                                  choices=Experience.choices, default=Experience.NONE)
    desired_job_families = models.ManyToManyField(
        "companies.JobFamily", blank=True, related_name="candidates", verbose_name=_("métiers recherchés")
    )
    skills = models.ManyToManyField("companies.Skill", blank=True, related_name="candidates",
                                    verbose_name=_("compétences"))
    mobility_toulouse = models.BooleanField(_("mobile sur Toulouse"), default=False)
    mobility_montpellier = models.BooleanField(_("mobile sur Montpellier"), default=False)
    mobility_occitanie = models.BooleanField(_("mobile ailleurs en Occitanie"), default=False)
    mobility_remote = models.BooleanField(_("ouvert·e au télétravail complet"), default=False)
    contract_wanted = models.CharField(_("contrat recherché"), max_length=20, choices=Contract.choices,
                                       default=Contract.ANY)
    available_from = models.DateField(_("disponible à partir du"), null=True, blank=True)
    cv = models.FileField(_("CV"), upload_to=cv_upload_to, storage=_private_storage, blank=True)
    gender = models.CharField(_("genre (facultatif)"), max_length=12, choices=Gender.choices, blank=True)
    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices, default=Stage.REGISTERED)
    shown_to_recruiters = models.BooleanField(
        _("accepte d'être présenté·e aux recruteurs"), default=False,
        help_text=_("Reflète le dernier consentement donné ou retiré."),
    )
    from_other_region = models.BooleanField(_("vient d'une autre région"), default=False, db_index=True)
    source_campaign = models.ForeignKey(Campaign, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="candidates", verbose_name=_("campagne d'origine"))
    utm_source = models.CharField(_("source (utm_source)"), max_length=80, blank=True)
    utm_medium = models.CharField(_("support (utm_medium)"), max_length=80, blank=True)
    utm_campaign = models.CharField(_("campagne (utm_campaign)"), max_length=80, blank=True)
    language = models.CharField(_("langue"), max_length=5, choices=settings.LANGUAGES, default="fr")
    confirmed_at = models.DateTimeField(_("e-mail confirmé le"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("dernière activité"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)
    # Folded into each Mon espace link and session: moved on by every sign-in and every logout, so a
    # link works once and dies on logout (candidates/space.py).
    link_generation = models.PositiveIntegerField(_("génération des liens de connexion"), default=0,
                                                  editable=False)
    created_at = models.DateTimeField(_("inscrit·e le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié·e le"), auto_now=True)
    # What the searches compare (candidates.search), written by the database with the row: a trigram index
    # hands back rows to check again, and folding each one's names anew cost 3 to 12 µs a row (a misspelt
    # name's search read 3,700 rows). The functions are the database's (migrations 0004 and 0017; on SQLite,
    # registered in Python by candidates.search).
    search_text = models.GeneratedField(
        expression=Func(F("first_name"), F("last_name"), F("email"), F("phone"), function="tf_candidate_search"),
        output_field=TextField(), db_persist=True, verbose_name=_("texte de recherche"))
    name_text = models.GeneratedField(
        expression=Func(F("first_name"), F("last_name"), function="tf_candidate_name"),
        output_field=TextField(), db_persist=True, verbose_name=_("nom pour la recherche"))

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("candidat·e")
        verbose_name_plural = _("candidat·es")
        constraints = [
            # One person, one record, whatever the case of the address they typed; people met by
            # phone alone have no address yet.
            models.UniqueConstraint(Lower("email"), name="candidate_email_ci_unique", condition=~Q(email=""),
                                    violation_error_message=_("Un·e candidat·e utilise déjà cet e-mail.")),
        ]
        indexes = [
            models.Index(fields=["stage", "-created_at"], name="candidate_stage_created_idx"),
            # The admin's default order, and the dashboard's counts of a year's registrations read from the
            # index alone (site.dashboard._by_campaign): no visit of 50,000 rows in the table.
            models.Index(fields=["-created_at", "-id"], name="candidate_created_cover_idx",
                         include=["source_campaign", "profile", "gender", "from_other_region", "stage"]),
            models.Index(fields=["last_activity_at"], name="candidate_activity_idx"),
            models.Index(fields=["confirmed_at"], name="candidate_confirmed_idx"),
            models.Index(fields=["last_name", "first_name"], name="candidate_name_idx"),
            # The hotline search's walk through the names in order: erased people, whose names are empty and
            # sort first, are not in it (with a fifth of them erased, the walk took 8.8 ms instead of 1.9).
            models.Index(fields=["last_name", "first_name", "id"], name="candidate_living_name_idx",
                         condition=models.Q(anonymised_at__isnull=True)),
        ]

    def __str__(self) -> str:
        if self.anonymised_at:
            return str(_("Candidat·e anonymisé·e n°%(pk)s") % {"pk": self.pk})
        return f"{self.first_name} {self.last_name}".strip() or str(self.public_id)

    def save(self, *args, **kwargs):
        if not self.anonymised_at:
            self.from_other_region = bool(self.postcode) and not is_in_occitanie(self.postcode)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class NameWord(models.Model):
    """A word of the living candidates' names and how many of them hold it: where the hotline looks for the
    words close to a misspelt name on PostgreSQL (a few thousand words rather than every candidate's name).

    Kept by the database with every insert, rename, erasure and deletion of candidates (triggers of
    migration 0022); a word nobody holds any more goes. Empty on SQLite, whose search compares every name.
    """

    word = models.TextField(_("mot"), primary_key=True)
    holders = models.IntegerField(_("personnes"))

    class Meta:
        verbose_name = _("mot des noms")
        verbose_name_plural = _("mots des noms")

    def __str__(self) -> str:
        return self.word


class LinkEmailSent(models.Model):
    """When a link was last e-mailed on request to a candidate, per purpose: the unique row lets the database
    decide that at most one such e-mail leaves every ten minutes (candidates.services.link_email_claim)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=40)
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lien envoyé")
        verbose_name_plural = _("liens envoyés")
        constraints = [models.UniqueConstraint(fields=["candidate", "purpose"], name="link_email_sent_once")]

    def __str__(self) -> str:
        return f"{self.purpose} – {self.sent_at:%Y-%m-%d %H:%M}"


class Erasure(models.Model):
    """The trace of one erasure, with no personal data: which row, why, by whom, when."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("Demande de la personne")
        RETENTION = "retention", _("Inactivité de plus de 2 ans")
        STAFF = "staff", _("Décision de l'équipe")
        UNCONFIRMED = "unconfirmed", _("Inscription non confirmée sous 7 jours")

    candidate = models.ForeignKey(Candidate, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="erasures", verbose_name=_("candidat·e"))
    reason = models.CharField(_("motif"), max_length=12, choices=Reason.choices)
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("par"))
    erased_at = models.DateTimeField(_("date d'effacement"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("effacement")
        verbose_name_plural = _("effacements")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} – {self.erased_at:%Y-%m-%d}"


class Consent(models.Model):
    """One consent given or withdrawn, with the wording the person saw."""

    class Kind(models.TextChoices):
        PROCESSING = "processing", _("Traitement de la candidature")
        SHOWN_TO_RECRUITERS = "shown", _("Présentation aux recruteurs")
        # A purpose of its own: being put forward because an offer matches, without anyone choosing to.
        SHOWN_ON_MATCH = "matched", _("Présentation aux entreprises dont les offres correspondent au profil")

    class Channel(models.TextChoices):
        WEB = "web", _("Formulaire en ligne")
        PHONE = "phone", _("Oralement, au téléphone")
        DESK = "desk", _("Sur place")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consents",
                                  verbose_name=_("candidat·e"))
    kind = models.CharField(_("objet"), max_length=12, choices=Kind.choices)
    wording_version = models.CharField(_("version du texte"), max_length=20)
    channel = models.CharField(_("recueilli"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    given_at = models.DateTimeField(_("donné le"))
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recueilli par"))

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "kind"], condition=Q(withdrawn_at__isnull=True),
                                    name="one_active_consent_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.wording_version}"


class Qualification(models.Model):
    class Level(models.TextChoices):
        READY = "ready", _("Prêt·e à l'emploi")
        SHORT_TRAINING = "short_training", _("Formation courte nécessaire")
        LONG_TRAINING = "long_training", _("Formation longue nécessaire")
        NOT_YET = "not_yet", _("Projet à mûrir")

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="qualification",
                                     verbose_name=_("candidat·e"))
    level = models.CharField(_("niveau"), max_length=20, choices=Level.choices)
    motivation = models.PositiveSmallIntegerField(_("motivation (1 à 5)"), choices=[(i, str(i)) for i in range(1, 6)])
    training_needed = models.CharField(_("formation à prévoir"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Restez factuel·le : pas d'appréciation "
                                                                 "sur la personne (recommandation CNIL)."))
    qualified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("qualifié·e par"))
    qualified_at = models.DateTimeField(_("qualifié·e le"), auto_now_add=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [models.CheckConstraint(condition=Q(motivation__gte=1) & Q(motivation__lte=5),
                                              name="qualification_motivation_range")]

    def __str__(self) -> str:
        return f"{self.candidate} – {self.get_level_display()}"


class StageChange(models.Model):
    """One step of a candidate's pipeline: who moved them, when, from where to where."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="stage_changes",
                                  verbose_name=_("candidat·e"))
    from_stage = models.CharField(_("étape de départ"), max_length=20, choices=Candidate.Stage.choices, blank=True)
    to_stage = models.CharField(_("nouvelle étape"), max_length=20, choices=Candidate.Stage.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("par"))
    changed_at = models.DateTimeField(_("date du changement"), auto_now_add=True, db_index=True)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("changement d'étape")
        verbose_name_plural = _("changements d'étape")
        indexes = [models.Index(fields=["to_stage", "changed_at"], name="stagechange_to_idx")]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.from_stage or '∅'} → {self.to_stage}"


class Orientation(models.Model):
    """A coordinator's decision to point a candidate to a company, or one of its postings."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposée")
        TO_CONTACT = "to_contact", _("À contacter")
        INTERVIEW = "interview", _("Entretien")
        OFFER = "offer", _("Proposition")
        HIRED = "hired", _("Recruté·e")
        DECLINED = "declined", _("Sans suite")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="orientations",
                                  verbose_name=_("candidat·e"))
    company = models.ForeignKey("companies.Company", on_delete=models.PROTECT, related_name="orientations",
                                verbose_name=_("entreprise"))
    posting = models.ForeignKey("companies.JobPosting", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="orientations", verbose_name=_("offre"))
    session = models.ForeignKey("events.Session", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="orientations", verbose_name=_("session"))
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    outcome = models.TextField(_("suite donnée"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("par"))
    created_at = models.DateTimeField(_("date de création"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        indexes = [models.Index(fields=["company", "status"], name="orientation_company_idx")]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "posting"], condition=Q(posting__isnull=False),
                                    name="orientation_once_per_posting"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.posting or self.company}"

    def clean(self) -> None:
        if self.posting_id and self.company_id and self.posting.company_id != self.company_id:
            raise ValidationError({"posting": _("Cette offre appartient à une autre entreprise.")})


class JobInterest(models.Model):
    """A candidate's "I'm interested" on a posting, then the recruiter's follow-up."""

    class Status(models.TextChoices):
        NEW = "new", _("Nouveau")
        TO_CONTACT = "to_contact", _("À contacter")
        INTERVIEW = "interview", _("Entretien")
        OFFER = "offer", _("Proposition")
        HIRED = "hired", _("Recruté·e")
        DECLINED = "declined", _("Sans suite")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="interests",
                                  verbose_name=_("candidat·e"))
    posting = models.ForeignKey("companies.JobPosting", on_delete=models.CASCADE, related_name="interests",
                                verbose_name=_("offre"))
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.NEW)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("date de l'intérêt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("intérêt pour une offre")
        verbose_name_plural = _("intérêts pour des offres")
        constraints = [models.UniqueConstraint(fields=["candidate", "posting"], name="interest_once")]
        indexes = [models.Index(fields=["posting", "status"], name="interest_posting_idx")]

    def __str__(self) -> str:
        return f"{self.candidate} ♥ {self.posting}"
