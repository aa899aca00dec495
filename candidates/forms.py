import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies.models import JobFamily, Skill
from tescforce import translated
from tescforce.honeypot import HONEYPOT_FIELD, HoneypotMixin
from tescforce.text import Fold

from . import pending, wording
from .models import Candidate, JobInterest, Qualification
from .services import SHORTLIST_STATUSES
from .uploads import validate_cv

POSTCODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z \-]{1,9}$")
MOBILITY_FIELDS = ("mobility_toulouse", "mobility_montpellier", "mobility_occitanie", "mobility_remote")


class _InShownOrder(forms.models.ModelChoiceIterator):
    """The jobs sorted by the label the visitor reads, accents in place, in the language of the request."""

    def __init__(self, field):
        super().__init__(field)
        self.queryset = self.queryset.order_by(translated.sort_key("label"), "code")


class JobFamilyChoiceField(forms.ModelMultipleChoiceField):
    iterator = _InShownOrder

    def label_from_instance(self, obj):
        return translated.text(obj, "label")


class SkillPicker(forms.CheckboxSelectMultiple):
    """Skill checkboxes grouped by category; a small script adds a filter box (works without it)."""

    option_template_name = "django/forms/widgets/checkbox_option.html"


def skill_choices():
    labels = dict(Skill.Category.choices)
    groups: dict[str, list] = {}
    # Accents in place: "Électronique" between "Docker" and "Java", not after "Zabbix".
    for skill in Skill.objects.order_by("category", Fold("name"), "name").only("pk", "name", "category"):
        groups.setdefault(skill.category, []).append((skill.pk, skill.name))
    return [(labels.get(cat, cat), options) for cat, options in groups.items()]


class ProfileFieldsMixin(forms.ModelForm):
    """The fields a candidate fills in at registration and edits in Mon espace."""

    desired_job_families = JobFamilyChoiceField(
        label=_("Métiers recherchés"), queryset=JobFamily.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Cochez un ou plusieurs métiers."),
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Compétences"), queryset=Skill.objects.all(), required=False, widget=SkillPicker,
        help_text=_("Cochez les compétences que vous avez déjà, même débutant·e."),
    )

    class Meta:
        model = Candidate
        fields = [
            "first_name", "last_name", "phone", "postcode", "city", "profile", "education", "experience",
            "desired_job_families", "skills", *MOBILITY_FIELDS, "contract_wanted", "available_from", "gender",
        ]
        widgets = {
            "available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "gender": forms.RadioSelect,
            "profile": forms.RadioSelect,
        }
        labels = {
            "mobility_toulouse": _("Toulouse et alentours"),
            "mobility_montpellier": _("Montpellier et alentours"),
            "mobility_occitanie": _("Ailleurs en Occitanie"),
            "mobility_remote": _("Télétravail complet"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = True
        self.fields["phone"].error_messages["invalid"] = _(
            "Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78 ou +44 20 7946 0958.")
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["postcode"].required = True
        self.fields["postcode"].widget.attrs.update({"autocomplete": "postal-code", "inputmode": "numeric"})
        self.fields["city"].required = True
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["available_from"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        # Read when the checkboxes are drawn: a valid POST redirects without drawing them.
        self.fields["skills"].widget.choices = skill_choices
        gender = self.fields["gender"]
        gender.label = _("Genre (facultatif)")
        gender.help_text = _("Sert uniquement aux statistiques de diversité des financeurs ; jamais montré aux "
                             "recruteurs.")
        gender.choices = [c for c in gender.choices if c[0] != ""]
        gender.required = False
        self.fields["profile"].choices = [c for c in self.fields["profile"].choices if c[0] != ""]
        # A blank choice says what to do, not Django's "---------".
        for field in self.fields.values():
            if isinstance(field, forms.TypedChoiceField) and field.choices and field.choices[0][0] == "":
                field.choices = [("", _("Choisir…")), *field.choices[1:]]

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip().upper()
        if value.isdigit() and len(value) != 5 or not POSTCODE_RE.match(value):
            raise forms.ValidationError(_("Saisissez un code postal valide (5 chiffres en France)."))
        return value

    def clean_available_from(self):
        value = self.cleaned_data.get("available_from")
        if value and value.year > timezone.localdate().year + 3:
            raise forms.ValidationError(_("Indiquez une date dans les trois prochaines années."))
        return value

    def profile_layout(self):
        return [
            Fieldset(_("Vous"), "first_name", "last_name", "phone", Div(
                Div("postcode", css_class="col-sm-4"), Div("city", css_class="col-sm-8"), css_class="row")),
            Fieldset(_("Votre projet"), "profile", "education", "experience", "desired_job_families",
                     Field("skills", template="candidates/fields/skill_picker.html"),
                     HTML(format_html('<p class="form-label mb-1" id="mobility-label">{}</p>',
                                      gettext("Où pouvez-vous travailler ?"))),
                     Div(*MOBILITY_FIELDS, css_class="mb-3", role="group", aria_labelledby="mobility-label"),
                     "contract_wanted", "available_from"),
            Fieldset(_("Statistiques de diversité"), "gender"),
        ]


class RegistrationForm(HoneypotMixin, ProfileFieldsMixin):
    email = forms.EmailField(label=_("E-mail"), max_length=Candidate._meta.get_field("email").max_length,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    cv = forms.FileField(label=_("CV (facultatif)"), required=False,
                         help_text=_("PDF uniquement, 5 Mo au maximum."),
                         widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
    consent_processing = forms.BooleanField(label=wording.PROCESSING_TEXT, required=True, error_messages={
        "required": _("Votre accord est nécessaire pour traiter votre candidature.")})
    consent_shown = forms.BooleanField(label=wording.SHOWN_TEXT, required=False)
    # Optional and unticked: without it, matching never puts the person in front of a company.
    consent_matched = forms.BooleanField(label=wording.MATCHED_TEXT, required=False)
    action = forms.CharField(required=False, widget=forms.HiddenInput)
    action_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Vos coordonnées"), "email"),
            *self.profile_layout(),
            Fieldset(_("Votre CV"), "cv"),
            Fieldset(_("Vos accords"), "consent_processing", "consent_shown", "consent_matched"),
            Div(HONEYPOT_FIELD, css_class="hp-field", aria_hidden="true"),
            "action", "action_id",
            Submit("submit", _("M'inscrire"), css_class="btn-lg w-100 mt-3"),
        )

    def clean_cv(self):
        cv = self.cleaned_data.get("cv")
        if cv:
            validate_cv(cv)
        return cv

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    @property
    def pending_action(self) -> dict | None:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return pending.clean_action(data.get("action"), data.get("action_id"))


class ProfileForm(ProfileFieldsMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.profile_layout(),
                                    Submit("submit", _("Enregistrer"), css_class="w-100 mt-3"))


class CvForm(forms.Form):
    cv = forms.FileField(label=_("Nouveau CV"), help_text=_("PDF uniquement, 5 Mo au maximum."),
                         widget=forms.FileInput(attrs={"accept": "application/pdf"}))

    def clean_cv(self):
        cv = self.cleaned_data["cv"]
        validate_cv(cv)
        return cv


class LinkRequestForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(label=_("Votre e-mail"), max_length=Candidate._meta.get_field("email").max_length,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class EraseForm(forms.Form):
    confirm = forms.BooleanField(label=_("Je comprends que mon compte et mes données seront effacés "
                                         "définitivement."), error_messages={
        "required": _("Cochez la case pour confirmer l'effacement.")})


# --- back office ------------------------------------------------------------------------------------

class QualificationActionForm(forms.ModelForm):
    class Meta:
        model = Qualification
        fields = ["level", "motivation", "training_needed", "notes"]


class OrientationActionForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Entreprise"), queryset=None, required=False)
    posting = forms.ModelChoiceField(label=_("Offre"), queryset=None, required=False)
    comment = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, companies, postings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        self.fields["posting"].queryset = postings

    def clean(self):
        data = super().clean()
        company, posting = data.get("company"), data.get("posting")
        if not company and not posting:
            raise forms.ValidationError(_("Choisissez une entreprise ou une offre."))
        if company and posting and posting.company_id != company.pk:
            self.add_error("posting", _("Cette offre appartient à une autre entreprise."))
        return data


class WithdrawActionForm(forms.Form):
    comment = forms.CharField(label=_("Motif"), required=False, widget=forms.Textarea(attrs={"rows": 2}))



class ShortlistStatusForm(forms.Form):
    """A recruiter's status for one candidate of a posting's shortlist."""

    candidate = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Statut"),
                               choices=[(s, JobInterest.Status(s).label) for s in SHORTLIST_STATUSES])
