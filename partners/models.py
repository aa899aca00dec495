"""Partner organisations' members and the people they refer.

The organisations themselves are `companies.Partner` (the directory that campaigns and sessions use too);
this room adds who signs in for them (`Member`) and whom they refer (`Referral`). What a referral became
(confirmed, qualified, booked, attended, oriented, hired, left) is read from the candidate's own rows by
`selectors.referral_steps`, never copied here.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from candidates.models import Candidate
from companies.models import Partner

# The organisations that publish courses ("Mes formations", the API).
TEACHING_KINDS = (Partner.Kind.TRAINING, Partner.Kind.SCHOOL)


class Member(models.Model):
    """A person who signs in to the partner space for one organisation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_member",
                                verbose_name=_("compte"))
    partner = models.ForeignKey("companies.Partner", on_delete=models.PROTECT, related_name="members",
                                verbose_name=_("organisation"))
    language = models.CharField(_("langue des e-mails"), max_length=5, choices=settings.LANGUAGES, default="fr")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("invité·e par"))
    invited_at = models.DateTimeField(_("invité·e le"), auto_now_add=True)
    # Set by a coordinator: the member is refused on their next request, sessions included.
    disabled_at = models.DateTimeField(_("désactivé·e le"), null=True, blank=True)
    digest = models.BooleanField(_("reçoit le point hebdomadaire"), default=True)

    class Meta:
        ordering = ["partner", "user__last_name", "user__first_name"]
        verbose_name = _("membre d'un partenaire")
        verbose_name_plural = _("membres des partenaires")

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name} ({self.partner})"

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None and self.user.is_active

    @property
    def teaches(self) -> bool:
        """A member of a training body or a school: "Mes formations" is theirs too."""
        return self.partner.kind in TEACHING_KINDS


class Referral(models.Model):
    """A person a partner organisation referred, as the partner typed them, and the person's answer."""

    class Match(models.TextChoices):
        NEW = "new", _("Nouvelle inscription")
        # The address or phone was known: the person is asked to link the referral to their registration.
        EXISTING = "existing", _("Peut-être déjà inscrite")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey("companies.Partner", on_delete=models.PROTECT, related_name="referrals",
                                verbose_name=_("orienté·e par"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("saisie par"))
    candidate = models.ForeignKey(Candidate, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="referrals", verbose_name=_("candidat·e"))
    match = models.CharField(_("rapprochement"), max_length=10, choices=Match.choices, default=Match.NEW)
    # Referred again before answering the first referral: the person is asked at the first one's address.
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("doublon de"))
    # What the partner typed (personal data: blanked on erasure, see services.referrals_erase).
    first_name = models.CharField(_("prénom"), max_length=80)
    last_name = models.CharField(_("nom"), max_length=80)
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = PhoneNumberField(_("téléphone"), blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    profile = models.CharField(_("profil"), max_length=20, choices=Candidate.Profile.choices)
    skills = models.ManyToManyField("companies.Skill", blank=True, related_name="+", verbose_name=_("compétences"))
    proposed_session = models.ForeignKey("events.Session", on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+", verbose_name=_("session proposée"))
    proposed_track = models.CharField(_("parcours proposé"), max_length=200, blank=True)
    note = models.TextField(_("note pour l'équipe"), blank=True,
                            help_text=_("Lue par l'équipe Tesc Force seulement, jamais par la personne ni "
                                        "les recruteurs. Restez factuel·le."))
    language = models.CharField(_("langue de la personne"), max_length=5, choices=settings.LANGUAGES,
                                default="fr")
    created_at = models.DateTimeField(_("orienté·e le"), auto_now_add=True)
    # The person's own answer: they confirm and consent themselves, never the partner.
    linked_at = models.DateTimeField(_("accord de la personne le"), null=True, blank=True)
    declined_at = models.DateTimeField(_("refusé par la personne le"), null=True, blank=True)
    share_progress = models.BooleanField(_("partage son parcours avec le partenaire"), default=False)
    consent_wording_version = models.CharField(_("version du texte accepté"), max_length=20, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("partage retiré le"), null=True, blank=True)
    erased_at = models.DateTimeField(_("effacé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("orientation par un partenaire")
        verbose_name_plural = _("orientations par les partenaires")
        constraints = [
            # Referred twice by one organisation: one row, whatever the race.
            models.UniqueConstraint(fields=["partner", "candidate"], condition=Q(candidate__isnull=False),
                                    name="referral_once_per_partner"),
        ]
        indexes = [
            models.Index(fields=["partner", "-created_at"], name="referral_partner_idx"),
            models.Index(Lower("email"), name="referral_email_ci_idx"),
            models.Index(fields=["phone"], name="referral_phone_idx"),
        ]

    def __str__(self) -> str:
        if self.erased_at:
            return str(_("Orientation effacée n°%(pk)s") % {"pk": self.pk})
        return f"{self.first_name} {self.last_name} ({self.partner})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_open(self) -> bool:
        """Still waiting for the person's answer."""
        return self.linked_at is None and self.declined_at is None and self.erased_at is None

    @property
    def shares_progress(self) -> bool:
        """The person agreed that the partner follows their path, and has not withdrawn it."""
        return (self.linked_at is not None and self.share_progress and self.consent_withdrawn_at is None
                and self.erased_at is None)


# --- courses that close skill gaps ---------------------------------------------------------------------

def validate_https(value: str) -> None:
    """A course's page: https only (a partner's page reached from ours must not downgrade the visitor)."""
    if not value.lower().startswith("https://"):
        raise ValidationError(_("Saisissez une adresse qui commence par https://."), code="https")


class Course(models.Model):
    """A course a training partner publishes: what it teaches, where, when and how a person can fund it.

    Shown on the public course list, under the offers whose missing skills it teaches ("Offres pour vous",
    the match pages) and in the open data; written by the partner's members, its API key or coordinators.
    """

    # How a person may pay for the course; one flag each, so that lists filter on them with an index-free
    # boolean on any database. The code is the API's and the filter's value.
    FUNDINGS = (
        ("cpf", "funding_cpf", _("CPF (compte personnel de formation)")),
        ("france_travail", "funding_france_travail", _("France Travail (AIF, POEI…)")),
        ("region", "funding_region", _("Région Occitanie")),
        ("employer", "funding_employer", _("Employeur ou OPCO")),
        ("free", "funding_free", _("Gratuite pour la personne")),
    )

    partner = models.ForeignKey("companies.Partner", on_delete=models.PROTECT, related_name="courses",
                                verbose_name=_("organisme de formation"))
    title = models.CharField(_("intitulé"), max_length=150)
    title_en = models.CharField(
        _("intitulé en anglais"), max_length=150, blank=True,
        help_text=_("Facultatif. Montré sur le site en anglais ; vide : l'intitulé français, signalé « en français »."))
    summary = models.TextField(
        _("en quelques mots"), max_length=600, blank=True,
        help_text=_("Ce que la personne saura faire, pour qui, la durée (600 caractères au plus)."))
    summary_en = models.TextField(_("en quelques mots, en anglais"), max_length=600, blank=True)
    skills = models.ManyToManyField("companies.Skill", related_name="courses", verbose_name=_("compétences enseignées"))
    city = models.CharField(_("ville"), max_length=80, blank=True, db_index=True,
                            help_text=_("Vide pour une formation entièrement à distance."))
    online = models.BooleanField(_("à distance"), default=False,
                                 help_text=_("Cochez aussi pour une formation en partie à distance."))
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    funding_cpf = models.BooleanField(FUNDINGS[0][2], default=False)
    funding_france_travail = models.BooleanField(FUNDINGS[1][2], default=False)
    funding_region = models.BooleanField(FUNDINGS[2][2], default=False)
    funding_employer = models.BooleanField(FUNDINGS[3][2], default=False)
    funding_free = models.BooleanField(FUNDINGS[4][2], default=False)
    link = models.URLField(_("page de la formation"), max_length=300, validators=[validate_https],
                           help_text=_("Sur le site de l'organisme, en https://."))
    is_published = models.BooleanField(_("publiée"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("créée par"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        indexes = [
            # The public list and the gap lookups: published, not over yet, soonest first.
            models.Index(fields=["is_published", "ends_on", "starts_on"], name="course_published_idx"),
            models.Index(fields=["partner", "-updated_at"], name="course_partner_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="course_ends_after_start",
                                   violation_error_message=_("La fin ne peut pas précéder le début.")),
            models.CheckConstraint(condition=~Q(city="") | Q(online=True), name="course_has_a_place",
                                   violation_error_message=_("Indiquez une ville, ou cochez « à distance ».")),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.partner})"

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("La fin ne peut pas précéder le début.")
        if not (self.city or "").strip() and not self.online:
            errors["city"] = _("Indiquez une ville, ou cochez « à distance ».")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("courses:course_list") + f"#formation-{self.pk}"

    @property
    def fundings(self) -> list[str]:
        """The codes of the ways to fund it ("cpf", "region"…), in the list's order."""
        return [code for code, field, _label in self.FUNDINGS if getattr(self, field)]

    @property
    def funding_labels(self) -> list[str]:
        return [str(label) for _code, field, label in self.FUNDINGS if getattr(self, field)]

    def is_running(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on


class ApiKey(models.Model):
    """A partner organisation's key to the API: its systems refer people and publish courses with it.

    Only a hash of the key is stored; the key itself is shown once, when a coordinator creates it. The
    prefix (the part before the dot) is not secret: it finds the row and tells keys apart in the admin.
    """

    partner = models.ForeignKey("companies.Partner", on_delete=models.PROTECT, related_name="api_keys",
                                verbose_name=_("organisation"))
    name = models.CharField(_("usage"), max_length=80,
                            help_text=_("Par exemple : logiciel de suivi des parcours. Aide à la reconnaître."))
    prefix = models.CharField(_("préfixe"), max_length=16, unique=True, editable=False)
    hashed_key = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("créée par"), editable=False)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("révoquée par"), editable=False)

    class Meta:
        ordering = ["partner", "-created_at"]
        verbose_name = _("clé d'API")
        verbose_name_plural = _("clés d'API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
