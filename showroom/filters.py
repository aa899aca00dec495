import django_filters
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from tescforce import page_cache
from tescforce.text import Fold

from .models import Sector, Technology, UseCase
from .selectors import use_case_search


def _offered() -> dict:
    """Only what the catalogue holds, sorted in the visitor's language."""
    language = (get_language() or "fr")[:2]
    order = f"name_{language}" if language in ("fr", "en") else "name"
    # An English name left blank shows the French one (modeltranslation's fallback): sort by what is shown.
    shown = Fold(Coalesce(NullIf(order, Value("")), "name_fr"))
    offered = {}
    for name, model in (("sector", Sector), ("technology", Technology)):
        used = model.objects.filter(use_cases__is_published=True).values("pk")
        offered[name] = model.objects.filter(pk__in=used).order_by(shown, "slug")
    return offered


def _filter_choices() -> dict:
    """The sectors, technologies and companies to choose from, as (slug, name) in the order shown."""
    companies = UseCaseFilter.base_filters["company"].queryset.all()  # a copy: the class's own would keep its rows
    return {**{name: [(item.slug, str(item)) for item in queryset] for name, queryset in _offered().items()},
            "company": [(company.slug, str(company)) for company in companies]}


class UseCaseFilter(django_filters.FilterSet):
    """Catalogue filters; values are slugs so that links read well and work in both languages."""

    q = django_filters.CharFilter(label=_("Rechercher"), method="search", max_length=200)
    sector = django_filters.ModelChoiceFilter(
        label=_("Secteur"), queryset=Sector.objects.all(), to_field_name="slug", empty_label=_("Tous les secteurs"))
    technology = django_filters.ModelChoiceFilter(
        label=_("Technologie"), field_name="technologies", queryset=Technology.objects.all(), to_field_name="slug",
        empty_label=_("Toutes les technologies"))
    company = django_filters.ModelChoiceFilter(
        label=_("Entreprise"), field_name="companies", to_field_name="slug", empty_label=_("Toutes les entreprises"),
        queryset=Company.objects.filter(pk__in=UseCase.objects.filter(is_published=True).values("companies"))
        .order_by(Fold("name"), "name"))

    class Meta:
        model = UseCase
        fields = ["q", "sector", "technology", "company"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in _offered().items():
            self.filters[name].queryset = queryset  # what a submitted value is checked against
        # The options shown: read once per version of the catalogue and language, not on every page.
        choices = page_cache.cached_parts(("showroom",), "showroom-filter-choices", _filter_choices)
        for name, options in choices.items():
            field = self.form.fields[name]
            field.widget.choices = [("", field.empty_label), *options]

    def search(self, queryset, name, value):
        return use_case_search(queryset, value)
