from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from candidates import wording as candidate_wording
from candidates.forms import POSTCODE_RE, ProfileFieldsMixin, skill_choices
from candidates.models import Candidate
from companies.models import Partner, Skill
from tescforce import translated

from . import selectors, services, wording
from .models import Referral


class PartnerLoginForm(AuthenticationForm):
    """Django's sign-in, for active members of a partner organisation only."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "no_access": _("Ce compte n'a pas accès à l'espace partenaire."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if selectors.member_for(user) is None:
            raise forms.ValidationError(self.error_messages["no_access"], code="no_access")


class PartnerPasswordResetForm(PasswordResetForm):
    """The "forgot your password" form, for active members (new ones have no password yet)."""

    def get_users(self, email):
        users = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True, is_staff=False,
                                                partner_member__disabled_at__isnull=True)
        return [user for user in users if selectors.member_for(user) is not None]

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        services.member_invitation_send(member=context["user"].partner_member, reset=True)


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        when = formats.date_format(timezone.localtime(obj.starts_at), "SHORT_DATE_FORMAT")
        return f"{translated.text(obj, 'title')} – {obj.city} ({when})"


class ReferralForm(forms.ModelForm):
    """What a partner types about the person they refer."""

    skills = forms.ModelMultipleChoiceField(
        label=_("Compétences"), queryset=Skill.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Celles que la personne a déjà ; elle pourra les compléter."))
    proposed_session = SessionChoiceField(label=_("Session proposée"), queryset=None, required=False,
                                          empty_label=_("Aucune pour l'instant"))

    class Meta:
        model = Referral
        fields = ["first_name", "last_name", "email", "phone", "postcode", "language", "profile", "skills",
                  "proposed_session", "proposed_track", "note"]
        widgets = {"profile": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "email": _("La personne y reçoit un lien pour confirmer elle-même son inscription et donner ses "
                       "accords : rien n'est transmis aux recruteurs avant."),
            "language": _("Langue des e-mails envoyés à la personne."),
            "proposed_track": _("Par exemple : parcours reconversion développeur·se web, préparation à une "
                                "formation."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_session"].queryset = selectors.proposable_sessions()
        self.fields["skills"].widget.choices = skill_choices()
        self.fields["profile"].choices = [c for c in self.fields["profile"].choices if c[0] != ""]
        self.fields["phone"].error_messages["invalid"] = _(
            "Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78 ou +44 20 7946 0958.")
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("La personne"), "first_name", "last_name", "email", "phone",
                     Div(Div("postcode", css_class="col-sm-4"), Div("language", css_class="col-sm-8"),
                         css_class="row")),
            Fieldset(_("Son profil"), "profile", Field("skills", template="candidates/fields/skill_picker.html")),
            Fieldset(_("Ce que vous proposez"), "proposed_session", "proposed_track", "note"),
            Submit("submit", _("Orienter cette personne"), css_class="btn-lg w-100 mt-3"),
        )

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_postcode(self):
        value = (self.cleaned_data.get("postcode") or "").strip().upper()
        if value and (value.isdigit() and len(value) != 5 or not POSTCODE_RE.match(value)):
            raise forms.ValidationError(_("Saisissez un code postal valide (5 chiffres en France)."))
        return value

    def clean_language(self):
        value = self.cleaned_data.get("language")
        return value if value in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class CompleteRegistrationForm(ProfileFieldsMixin):
    """The referred person completes and confirms their registration, and gives their own consents."""

    consent_processing = forms.BooleanField(label=candidate_wording.PROCESSING_TEXT, required=True, error_messages={
        "required": _("Votre accord est nécessaire pour traiter votre candidature.")})
    consent_shown = forms.BooleanField(label=candidate_wording.SHOWN_TEXT, required=False)
    consent_matched = forms.BooleanField(label=candidate_wording.MATCHED_TEXT, required=False)
    consent_share = forms.BooleanField(required=False)

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_share"].label = wording.share_text(partner)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *self.profile_layout(),
            Fieldset(_("Vos accords"), "consent_processing", "consent_shown", "consent_matched", "consent_share"),
            Submit("accept", _("Confirmer mon inscription"), css_class="btn-lg w-100 mt-3"),
        )

    class Meta(ProfileFieldsMixin.Meta):
        model = Candidate


class LinkForm(forms.Form):
    """A person already registered agrees (or not) to link the referral, and chooses whether to share."""

    consent_share = forms.BooleanField(required=False)

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_share"].label = wording.share_text(partner)


class MemberInviteForm(forms.Form):
    """A coordinator invites a member of a partner organisation (the admin's add form)."""

    partner = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    username = forms.CharField(label=_("Identifiant (facultatif)"), max_length=150, required=False,
                               help_text=_("Par défaut, l'e-mail."))
    language = forms.ChoiceField(label=_("Langue des e-mails"), choices=settings.LANGUAGES, initial="fr")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.all()
