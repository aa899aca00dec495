"""The form a training partner's member fills in to publish or change a course (the admin's form adds the
organisation)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from candidates.forms import SkillPicker, skill_choices
from companies.models import Skill
from tescforce.reference_data import city_choices

from .models import Course

FUNDING_FIELDS = [field for _code, field, _label in Course.FUNDINGS]


def link_field() -> forms.URLField:
    """The course's page: https only (the model's validator says so in the visitor's language)."""
    field = Course._meta.get_field("link")
    return forms.URLField(label=capfirst(field.verbose_name), help_text=field.help_text, max_length=field.max_length,
                          assume_scheme="https", validators=field.validators,
                          widget=forms.URLInput(attrs={"placeholder": "https://"}))


class FundingMixin(forms.ModelForm):
    """The five funding flags as one group of checkboxes ("Financements possibles")."""

    fundings = forms.MultipleChoiceField(
        label=_("Financements possibles"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(code, label) for code, _field, label in Course.FUNDINGS],
        help_text=_("Cochez ceux que la personne peut mobiliser ; « gratuite » si elle ne paie rien."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["fundings"] = self.instance.fundings

    def clean(self):
        cleaned = super().clean()
        chosen = set(cleaned.get("fundings") or ())
        for code, field, _label in Course.FUNDINGS:
            cleaned[field] = code in chosen
        return cleaned

    def _post_clean(self):
        # The flags come from the group of checkboxes, before the model's own checks run.
        for _code, field, _label in Course.FUNDINGS:
            if field in self.cleaned_data:
                setattr(self.instance, field, self.cleaned_data[field])
        super()._post_clean()


class CourseForm(FundingMixin):
    skills = forms.ModelMultipleChoiceField(
        label=_("Compétences enseignées"), queryset=Skill.objects.all(), widget=SkillPicker,
        help_text=_("Celles que la personne saura mettre en œuvre à la fin : elles relient la formation aux offres "
                    "qui les demandent."),
        error_messages={"required": _("Cochez au moins une compétence enseignée.")})
    link = link_field()
    city = forms.ChoiceField(label=_("Ville"), required=False,
                             help_text=_("Vide pour une formation entièrement à distance."))

    class Meta:
        model = Course
        fields = ["title", "title_en", "summary", "summary_en", "skills", "city", "online", "starts_on", "ends_on",
                  "link", "is_published"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"is_published": _("Publier la formation (visible sur le site et sous les offres)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].widget.choices = skill_choices()
        cities = [("", _("Aucune (à distance)")), *city_choices()]
        current = self.instance.city if self.instance.pk else ""
        if current and current not in dict(cities):
            cities.append((current, current))  # a town set in the admin, outside the list: kept as it is
        self.fields["city"].choices = cities
        for name in ("starts_on", "ends_on"):
            self.fields[name].error_messages["invalid"] = _("Saisissez une date valide, par exemple 15/03/2027.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("La formation"), "title", "summary",
                     Field("skills", template="candidates/fields/skill_picker.html")),
            Fieldset(_("Où et quand"),
                     Div(Div("city", css_class="col-sm-7"), Div("online", css_class="col-sm-5 pt-sm-4"),
                         css_class="row"),
                     Div(Div("starts_on", css_class="col-sm-6"), Div("ends_on", css_class="col-sm-6"),
                         css_class="row")),
            Fieldset(_("Financement et inscription"), "fundings", "link"),
            Fieldset(_("En anglais (facultatif)"), "title_en", "summary_en"),
            "is_published",
            Submit("submit", _("Enregistrer"), css_class="btn-lg mt-2"),
        )

    def clean_link(self):
        return (self.cleaned_data.get("link") or "").strip()

    def course_data(self) -> dict:
        """What the service writes (partners.courses.COURSE_FIELDS)."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "skills"}
        data.update({field: self.cleaned_data[field] for field in FUNDING_FIELDS})
        return data
