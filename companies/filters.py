import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from tescforce import page_cache, translated
from tescforce.text import Fold, fold

from . import search
from .models import Company, JobFamily, JobPosting, Skill
from .selectors import posting_cities

YES = "1"


def _filter_choices() -> dict:
    """The board's cities, job families and skills: read once per version of the board's data, not per page.

    One query each: looping over a queryset-backed field would first COUNT it, then read it through a
    server-side cursor.
    """
    return {
        "cities": posting_cities(),
        "families": [(family.pk, f"{family.code} – {translated.text(family, 'label')}")
                     for family in JobFamily.objects.only("pk", "code", "label", "label_en")],
        "skills": list(Skill.objects.order_by(Fold("name"), "name").values_list("pk", "name")),
    }


class JobPostingFilter(django_filters.FilterSet):
    """The public board's filters; every value lives in the URL so a filtered list can be shared."""

    q = django_filters.CharFilter(
        label=_("Mots-clés"), method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("ex. : développeur Python, cybersécurité")}),
    )
    city = django_filters.ChoiceFilter(label=_("Ville"), choices=[], empty_label=_("Toutes les villes"))
    contract = django_filters.ChoiceFilter(
        label=_("Contrat"), choices=JobPosting.Contract.choices, empty_label=_("Tous les contrats")
    )
    job_family = django_filters.ModelChoiceFilter(
        label=_("Métier"), queryset=JobFamily.objects.all(), empty_label=_("Tous les métiers")
    )
    skill = django_filters.ModelChoiceFilter(
        label=_("Compétence"), queryset=Skill.objects.only("id", "name"), method="filter_skill",
        empty_label=_("Toutes les compétences"),
    )
    remote = django_filters.ChoiceFilter(
        label=_("Télétravail"), choices=JobPosting.Remote.choices, empty_label=_("Indifférent")
    )
    retraining = django_filters.ChoiceFilter(
        label=_("Ouverte aux personnes en reconversion"), choices=[(YES, _("Oui"))], method="filter_retraining",
        empty_label=_("Indifférent"),
    )
    # Reached from a company page or a posting card; shown as an active filter, not as a long list.
    company = django_filters.ModelChoiceFilter(
        label=_("Entreprise"), queryset=Company.objects.only("id", "name", "slug"), to_field_name="slug",
        widget=forms.HiddenInput,
    )

    class Meta:
        model = JobPosting
        fields = ["q", "city", "contract", "job_family", "skill", "remote", "retraining", "company"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = page_cache.cached_parts(("board",), "board-filter-choices", _filter_choices)
        cities = list(choices["cities"])
        wanted = self.data.get("city") if self.data else None
        if wanted and wanted not in cities and len(wanted) <= 80 and "\x00" not in wanted:
            cities.append(wanted)  # a shared link to a city with no posting left: say "none", not "invalid"
        # Sorted as a reader expects, accents in place ("Écully" among the E).
        self.filters["city"].extra["choices"] = [(c, c) for c in sorted(cities, key=lambda c: (fold(c), c))]
        families = self.form.fields["job_family"]
        families.widget.choices = [("", families.empty_label), *choices["families"]]
        skills = self.form.fields["skill"]
        skills.widget.choices = [("", skills.empty_label), *choices["skills"]]

    def filter_search(self, queryset, name, value):
        return search.search(queryset, value)

    def filter_skill(self, queryset, name, value):
        through_req = JobPosting.skills_required.through.objects.filter(jobposting_id=OuterRef("pk"), skill=value)
        through_nice = JobPosting.skills_nice.through.objects.filter(jobposting_id=OuterRef("pk"), skill=value)
        return queryset.filter(Exists(through_req) | Exists(through_nice))

    def filter_retraining(self, queryset, name, value):
        return queryset.filter(open_to_retraining=True) if value == YES else queryset
