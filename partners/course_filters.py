"""The filters of the public course list (the API has its own, by skill identifier, in partners/api/views.py)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from companies.models import Skill
from tescforce import page_cache

from . import courses
from .models import Course

ONLINE = "online"


def _choices() -> dict:
    """The towns and skills of the listed courses: read once per version of the courses, not per page."""
    return {"cities": courses.course_cities(), "skills": courses.skills_taught()}


class CourseFilter(django_filters.FilterSet):
    """Skill, place (a town, or online), funding and start dates; every value lives in the URL."""

    skill = django_filters.ModelChoiceFilter(
        label=_("Compétence enseignée"), queryset=Skill.objects.only("id", "name"), method="filter_skill",
        empty_label=_("Toutes les compétences"))
    where = django_filters.ChoiceFilter(label=_("Lieu"), choices=[], method="filter_where",
                                        empty_label=_("Partout, et à distance"))
    funding = django_filters.ChoiceFilter(
        label=_("Financement"), choices=[(code, label) for code, _field, label in Course.FUNDINGS],
        method="filter_funding", empty_label=_("Tous les financements"))
    starts_after = django_filters.DateFilter(
        label=_("Commence à partir du"), field_name="starts_on", lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts_before = django_filters.DateFilter(
        label=_("Commence au plus tard le"), field_name="starts_on", lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    class Meta:
        model = Course
        fields = ["skill", "where", "funding", "starts_after", "starts_before"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        found = page_cache.cached_parts(("courses",), "course-filter-choices", _choices)
        cities = list(found["cities"])
        wanted = self.data.get("where") if self.data else None
        if wanted and wanted != ONLINE and wanted not in cities and len(wanted) <= 80 and "\x00" not in wanted:
            cities.append(wanted)  # a shared link to a town with no course left: say "none", not "invalid"
        self.filters["where"].extra["choices"] = [(ONLINE, _("À distance")), *((c, c) for c in cities)]
        skills = self.form.fields["skill"]
        skills.widget.choices = [("", skills.empty_label), *found["skills"]]
        for name in ("starts_after", "starts_before"):
            self.form.fields[name].error_messages["invalid"] = _("Saisissez une date valide, par exemple 15/03/2027.")

    def filter_skill(self, queryset, name, value):
        return queryset.filter(pk__in=Course.skills.through.objects.filter(skill=value).values("course_id"))

    def filter_where(self, queryset, name, value):
        return queryset.filter(online=True) if value == ONLINE else queryset.filter(city=value)

    def filter_funding(self, queryset, name, value):
        return courses.with_funding(queryset, value)
