"""Partner organisations' members and the people they refer.

The organisations themselves are `companies.Partner` (the directory that campaigns and sessions use too);
this room adds who signs in for them (`Member`) and whom they refer (`Referral`). What a referral became
(confirmed, qualified, booked, attended, oriented, hired, left) is read from the candidate's own rows by
`selectors.referral_steps`, never copied here.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from candidates.models import Candidate


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
