import datetime as dt

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret as siret_number

from tescforce.text import Fold

from .validators import validate_siret


class Skill(models.Model):
    """An entry of the skills taxonomy; related skills count partly in matching."""

    class Category(models.TextChoices):
        LANGUAGE = "language", _("Langage")
        FRAMEWORK = "framework", _("Framework")
        DATA = "data", _("Données et IA")
        CLOUD = "cloud", _("Cloud et infrastructure")
        SECURITY = "security", _("Cybersécurité")
        EMBEDDED = "embedded", _("Embarqué et IoT")
        ERP = "erp", _("ERP et progiciels")
        METHOD = "method", _("Méthodes et outils")
        DESIGN = "design", _("Design et produit")
        SOFT = "soft", _("Savoir-être")

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices, db_index=True)
    related = models.ManyToManyField("self", blank=True, verbose_name=_("compétences proches"))

    class Meta:
        # Accents in place ("Énergie" among the E), whatever the database's collation.
        ordering = [Fold("name"), "name"]
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")

    def __str__(self) -> str:
        return self.name


class JobFamily(models.Model):
    """A digital job of the ROME (France Travail's job directory)."""

    code = models.CharField(_("code ROME"), max_length=5, unique=True)
    label = models.CharField(_("libellé"), max_length=150)
    label_en = models.CharField(_("libellé en anglais"), max_length=150, blank=True,
                                help_text=_("Montré aux visiteurs du site en anglais ; vide : le libellé français."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("métier (ROME)")
        verbose_name_plural = _("métiers (ROME)")

    def __str__(self) -> str:
        return f"{self.code} – {self.label}"


class Company(models.Model):
    class Kind(models.TextChoices):
        ESN = "esn", _("Entreprise de services numériques")
        PUBLISHER = "publisher", _("Éditeur de logiciels")
        CONSULTING = "consulting", _("Conseil en technologies")
        STARTUP = "startup", _("Start-up")
        INDUSTRY = "industry", _("Industriel")
        OTHER = "other", _("Autre")

    class Size(models.TextChoices):
        MICRO = "micro", _("1 à 9 salariés")
        SMALL = "small", _("10 à 49 salariés")
        MEDIUM = "medium", _("50 à 249 salariés")
        LARGE = "large", _("250 à 4 999 salariés")
        XLARGE = "xlarge", _("5 000 salariés et plus")

    name = models.CharField(_("raison sociale"), max_length=150)
    slug = models.SlugField(_("identifiant"), max_length=160, unique=True)
    siret = models.CharField(
        _("SIRET"), max_length=14, unique=True, null=True, blank=True, validators=[validate_siret],
        help_text=_("14 chiffres, sans espace."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, db_index=True)
    size = models.CharField(_("effectif"), max_length=10, choices=Size.choices, blank=True)
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("présentation"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    city = models.CharField(_("ville du siège"), max_length=80, db_index=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    is_member = models.BooleanField(_("adhérent"), default=False, db_index=True)
    member_since = models.DateField(_("adhérent depuis"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        # Accents in place ("Énergie" among the E), whatever the database's collation.
        ordering = [Fold("name"), "name"]
        verbose_name = _("entreprise")
        verbose_name_plural = _("entreprises")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.siret:
            self.siret = siret_number.compact(self.siret)

    @property
    def siren(self) -> str:
        """Return the SIREN, the first nine digits of the SIRET."""
        return self.siret[:9] if self.siret else ""

    def get_absolute_url(self) -> str:
        return reverse("companies:company_detail", kwargs={"slug": self.slug})


class CompanySite(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="sites", verbose_name=_("entreprise"))
    city = models.CharField(_("ville"), max_length=80)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    headcount = models.PositiveIntegerField(_("effectif du site"), null=True, blank=True)
    is_headquarters = models.BooleanField(_("siège"), default=False)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return f"{self.company} – {self.city}"


class Recruiter(models.Model):
    """A staff user who works for one company and sees only its objects."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recruiter", verbose_name=_("utilisateur")
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="recruiters", verbose_name=_("entreprise")
    )
    job_title = models.CharField(_("fonction"), max_length=100, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # Recruiters of foreign companies settling here may not read French.
    language = models.CharField(_("langue des e-mails"), max_length=5, choices=settings.LANGUAGES, default="fr")

    class Meta:
        verbose_name = _("recruteur")
        verbose_name_plural = _("recruteurs")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.company})"


class Partner(models.Model):
    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("Service public de l'emploi")
        # Prescribers whose members refer people from the partner space (partners/).
        FRANCE_TRAVAIL = "france_travail", _("Agence France Travail")
        MISSION_LOCALE = "mission_locale", _("Mission locale")
        APEC = "apec", _("APEC")
        TRAINING = "training", _("Organisme de formation")
        SCHOOL = "school", _("École ou université")
        FUNDER = "funder", _("Financeur")
        PUBLIC = "public", _("Collectivité ou organisme public")
        NETWORK = "network", _("Réseau d'entreprises")
        OTHER = "other", _("Autre")

    name = models.CharField(_("nom"), max_length=150, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, db_index=True)
    website = models.URLField(_("site web"), blank=True)
    contact_name = models.CharField(_("contact"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail du contact"), blank=True)
    city = models.CharField(_("ville"), max_length=80, blank=True)

    class Meta:
        # Accents in place ("Énergie" among the E), whatever the database's collation.
        ordering = [Fold("name"), "name"]
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")

    def __str__(self) -> str:
        return self.name


def ended_long_ago(ended_on, *, after_days: int) -> bool:
    """True once a posting that ended on `ended_on` (None: it has not) ended more than `after_days` days ago."""
    return ended_on is not None and (timezone.localdate() - ended_on).days > after_days


class JobPosting(models.Model):
    class Contract(models.TextChoices):
        CDI = "cdi", _("CDI")
        CDD = "cdd", _("CDD")
        APPRENTICESHIP = "apprenticeship", _("Alternance")
        INTERNSHIP = "internship", _("Stage")
        FREELANCE = "freelance", _("Freelance")

    class Remote(models.TextChoices):
        NONE = "none", _("Sur site")
        PARTIAL = "partial", _("Télétravail partiel")
        FULL = "full", _("Télétravail complet")

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Débutant accepté")
        JUNIOR = "junior", _("1 à 3 ans")
        CONFIRMED = "confirmed", _("3 à 7 ans")
        SENIOR = "senior", _("Plus de 7 ans")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publiée")
        FILLED = "filled", _("Pourvue")
        CLOSED = "closed", _("Clôturée")

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="postings", verbose_name=_("entreprise")
    )
    title = models.CharField(_("intitulé"), max_length=150)
    title_en = models.CharField(
        _("intitulé en anglais"), max_length=150, blank=True,
        help_text=_("Facultatif. Montré sur le site en anglais ; vide : l'intitulé français, signalé « en français »."),
    )
    slug = models.SlugField(_("identifiant"), max_length=180, unique=True)
    job_family = models.ForeignKey(
        JobFamily, on_delete=models.PROTECT, related_name="postings", verbose_name=_("métier (ROME)")
    )
    description = models.TextField(_("description"))
    description_en = models.TextField(
        _("description en anglais"), blank=True,
        help_text=_("Facultatif. Montrée sur le site en anglais ; vide : la description française, signalée "
                    "« en français »."),
    )
    skills_required = models.ManyToManyField(
        Skill, blank=True, related_name="required_by", verbose_name=_("compétences requises")
    )
    skills_nice = models.ManyToManyField(
        Skill, blank=True, related_name="nice_for", verbose_name=_("compétences appréciées")
    )
    contract = models.CharField(_("contrat"), max_length=20, choices=Contract.choices)
    city = models.CharField(_("ville"), max_length=80)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    remote = models.CharField(_("télétravail"), max_length=10, choices=Remote.choices, default=Remote.PARTIAL)
    level = models.CharField(_("expérience"), max_length=10, choices=Level.choices, default=Level.JUNIOR)
    open_to_retraining = models.BooleanField(_("ouverte aux personnes en reconversion"), default=False)
    salary_min = models.PositiveIntegerField(_("salaire annuel brut minimum (€)"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salaire annuel brut maximum (€)"), null=True, blank=True)
    openings = models.PositiveSmallIntegerField(_("postes à pourvoir"), default=1, validators=[MinValueValidator(1)])
    start_date = models.DateField(_("date de prise de poste"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    ended_at = models.DateTimeField(_("pourvue ou clôturée le"), null=True, blank=True)
    closes_on = models.DateField(_("date de clôture"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    # Title, company, skills and description, kept up to date by companies.search (PostgreSQL only;
    # its GIN index is created by a PostgreSQL-only migration).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("offre d'emploi")
        verbose_name_plural = _("offres d'emploi")
        indexes = [
            # The board's order, walked with LIMIT: no sort of every open posting.
            models.Index(fields=["status", "-published_at", "-id"], name="posting_board_order_idx"),
            # closes_on included so the board's list of cities is an index-only scan.
            models.Index(fields=["status", "city", "closes_on"], name="posting_status_city_idx2"),
            models.Index(fields=["status", "contract"], name="posting_status_contract_idx"),
            models.Index(fields=["company", "status"], name="posting_company_status_idx"),
            models.Index(fields=["status", "closes_on"], name="posting_status_closes_idx"),
            # The admin's default order (ordering + pk): its per-row counts are then computed for one page
            # of rows only, not for every posting before a sort.
            models.Index(fields=["-published_at", "-created_at", "-id"], name="posting_admin_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True) | Q(salary_max__isnull=True) | Q(salary_max__gte=F("salary_min")),
                name="posting_salary_range",
                violation_error_message=_("Le salaire maximum doit être supérieur ou égal au minimum."),
            ),
            models.CheckConstraint(condition=Q(openings__gte=1), name="posting_openings_positive"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="posting_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.company}"

    def clean(self) -> None:
        errors = {}
        if self.salary_min is not None and self.salary_max is not None and self.salary_max < self.salary_min:
            errors["salary_max"] = _("Le salaire maximum doit être supérieur ou égal au minimum.")
        if self.closes_on and self.published_at and self.closes_on < timezone.localdate(self.published_at):
            errors["closes_on"] = _("La date de clôture ne peut pas précéder la date de publication.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("companies:posting_detail", kwargs={"slug": self.slug})

    @property
    def is_open(self) -> bool:
        """Return True while candidates can still show interest."""
        return self.status == self.Status.PUBLISHED and (
            self.closes_on is None or self.closes_on >= timezone.localdate()
        )

    def ended_on(self) -> dt.date | None:
        """Return the day candidates stopped being able to apply (filled, closed, or its closing date passed)."""
        if self.status in (self.Status.FILLED, self.Status.CLOSED):
            when = self.ended_at or self.updated_at
            return timezone.localdate(when) if when else self.closes_on
        if self.status == self.Status.PUBLISHED and self.closes_on and self.closes_on < timezone.localdate():
            return self.closes_on
        return None

    def is_gone(self, *, after_days: int) -> bool:
        """Return True once the posting ended more than `after_days` days ago (its page then answers 410)."""
        return ended_long_ago(self.ended_on(), after_days=after_days)
