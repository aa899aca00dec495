from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tescforce.text import Fold


class Sector(models.Model):
    name = models.CharField(_("nom"), max_length=80)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)

    class Meta:
        # Accents in place ("Énergie" among the E), whatever the database's collation.
        ordering = [Fold("name"), "name"]
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")

    def __str__(self) -> str:
        return self.name


class Technology(models.Model):
    name = models.CharField(_("nom"), max_length=80)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)

    class Meta:
        # Accents in place ("Énergie" among the E), whatever the database's collation.
        ordering = [Fold("name"), "name"]
        verbose_name = _("technologie")
        verbose_name_plural = _("technologies")

    def __str__(self) -> str:
        return self.name


class UseCase(models.Model):
    class ClientType(models.TextChoices):
        INDUSTRY = "industry", _("Grand industriel")
        SME = "sme", _("PME / ETI")
        PUBLIC = "public", _("Acteur public")
        HEALTH = "health", _("Établissement de santé")
        STARTUP = "startup", _("Start-up")
        OTHER = "other", _("Autre")

    title = models.CharField(_("titre"), max_length=150)
    slug = models.SlugField(_("identifiant"), max_length=160, unique=True)
    summary = models.CharField(_("résumé"), max_length=300)
    body = models.TextField(_("description"))
    results = models.TextField(_("résultats mesurés"), blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="use_cases",
                               verbose_name=_("secteur"))
    technologies = models.ManyToManyField(Technology, blank=True, related_name="use_cases",
                                          verbose_name=_("technologies"))
    companies = models.ManyToManyField("companies.Company", blank=True, related_name="use_cases",
                                       verbose_name=_("entreprises impliquées"))
    client_type = models.CharField(_("type de client"), max_length=10, choices=ClientType.choices)
    client_name = models.CharField(_("client"), max_length=120, blank=True)
    is_published = models.BooleanField(_("publié"), default=False, db_index=True)
    is_featured = models.BooleanField(_("mis en avant"), default=False)
    position = models.PositiveSmallIntegerField(_("ordre"), default=100)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    # What each language's visitors search (showroom.search); no index: the catalogue holds tens of rows.
    search_vector_fr = SearchVectorField(null=True, editable=False)
    search_vector_en = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("cas d'usage")
        verbose_name_plural = _("cas d'usage")
        indexes = [models.Index(fields=["is_published", "position"], name="usecase_published_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("showroom:usecase_detail", kwargs={"slug": self.slug})


class UseCaseImage(models.Model):
    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="images",
                                 verbose_name=_("cas d'usage"))
    image = models.ImageField(_("image"), upload_to="showroom/")
    alt_text = models.CharField(_("texte alternatif"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.alt_text


class ContactRequest(models.Model):
    """A visitor asks to be put in touch with the companies behind a use case."""

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="contact_requests",
                                 verbose_name=_("cas d'usage"))
    name = models.CharField(_("nom"), max_length=160)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=160)
    country = CountryField(_("pays"), blank=True)
    message = models.TextField(_("message"))
    language = models.CharField(_("langue"), max_length=5, default="fr")
    handled = models.BooleanField(_("traitée"), default=False)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("accusé de réception envoyé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["handled", "created_at"], name="contactrequest_queue_idx")]
        verbose_name = _("demande de mise en relation")
        verbose_name_plural = _("demandes de mise en relation")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.use_case}"
