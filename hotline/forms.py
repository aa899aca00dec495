"""Forms of the hotline pages (staff) and of the public contact and relocation pages."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from candidates import wording
from candidates.models import Candidate
from tescforce import roles
from tescforce.honeypot import HoneypotMixin

from .models import CallbackRequest, HotlineCall, RelocationRequest

CNIL_REMINDER = _(
    "Restez factuel·le : notez ce qui a été dit et décidé, sans appréciation sur la personne, sa santé, "
    "ses opinions ou sa vie privée. La personne peut lire ces notes (recommandation CNIL)."
)


def hotline_staff():
    """Return the active users who may own a follow-up: hotline agents and coordinators."""
    return (
        get_user_model().objects.filter(is_active=True)
        .filter(Q(groups__name__in=[roles.HOTLINE, roles.COORDINATORS]) | Q(is_superuser=True))
        .filter(recruiter__isnull=True).distinct().order_by("first_name", "last_name", "username")
    )


def _length(model, name: str) -> int:
    # The column's length is the form's limit: a longer value is an error for the person, not a crash.
    return model._meta.get_field(name).max_length


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Nom, e-mail ou téléphone"), max_length=200, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autofocus": True, "autocomplete": "off"}))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CallForm(forms.Form):
    """One call: the fields an agent fills while still on the phone."""

    caller_name = forms.CharField(label=_("Nom de l'appelant"), max_length=_length(HotlineCall, "caller_name"),
                                  required=False)
    caller_contact = forms.CharField(label=_("Téléphone ou e-mail de l'appelant"),
                                     max_length=_length(HotlineCall, "caller_contact"), required=False)
    direction = forms.ChoiceField(label=_("Sens"), choices=HotlineCall.Direction.choices,
                                  initial=HotlineCall.Direction.INBOUND)
    channel = forms.ChoiceField(label=_("Canal"), choices=HotlineCall.Channel.choices,
                                initial=HotlineCall.Channel.PHONE)
    topic = forms.ChoiceField(label=_("Sujet"), choices=[("", _("Choisir un sujet…")), *HotlineCall.Topic.choices])
    summary = forms.CharField(label=_("Résumé"), help_text=CNIL_REMINDER, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 5}))
    follow_up_due = forms.DateField(label=_("Relance le"), required=False, widget=DateInput())
    follow_up_owner = StaffChoiceField(label=_("Relance par"), queryset=None, required=False)

    def __init__(self, *args, known_candidate: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_candidate = known_candidate
        self.fields["follow_up_owner"].queryset = hotline_staff()
        self.fields["follow_up_due"].widget.attrs["min"] = timezone.localdate().isoformat()
        if known_candidate:
            del self.fields["caller_name"]
            del self.fields["caller_contact"]

    def clean_summary(self):
        summary = self.cleaned_data["summary"].strip()
        if not summary:
            raise forms.ValidationError(_("Le résumé de l'appel est obligatoire."))
        return summary

    def clean_follow_up_due(self):
        due = self.cleaned_data.get("follow_up_due")
        if due and due < timezone.localdate():
            raise forms.ValidationError(_("La date de relance ne peut pas être dans le passé."))
        return due

    def clean(self):
        data = super().clean()
        due, owner = data.get("follow_up_due"), data.get("follow_up_owner")
        if due and not owner:
            self.add_error("follow_up_owner", _("Une relance doit avoir un responsable."))
        if owner and not due and "follow_up_due" not in self.errors:
            self.add_error("follow_up_due", _("Indiquez la date de la relance."))
        return data

    def call_fields(self) -> dict:
        data = self.cleaned_data
        fields = {k: data[k] for k in ("direction", "channel", "topic", "summary", "follow_up_due", "follow_up_owner")}
        if not self.known_candidate:
            fields["caller_name"] = data.get("caller_name", "")
            fields["caller_contact"] = data.get("caller_contact", "")
        return fields


class NewCandidateForm(forms.Form):
    """Register the caller as a candidate in the same step; consent is read out and given orally."""

    register = forms.BooleanField(label=_("Inscrire cette personne comme candidat·e"), required=False)
    first_name = forms.CharField(label=_("Prénom"), max_length=_length(Candidate, "first_name"), required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=_length(Candidate, "last_name"), required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=_length(Candidate, "email"), required=False)
    phone = PhoneNumberField(label=_("Téléphone"), required=False, region="FR")
    profile = forms.ChoiceField(label=_("Profil"), choices=[("", _("Choisir…")), *Candidate.Profile.choices],
                                required=False)
    language = forms.ChoiceField(label=_("Langue de la personne"), initial="fr", required=False,
                                 choices=Candidate._meta.get_field("language").choices)
    consent_processing = forms.BooleanField(label=_("La personne a donné oralement son accord au texte ci-dessous"),
                                            help_text=wording.PROCESSING_TEXT, required=False)
    consent_shown = forms.BooleanField(label=_("Elle accepte aussi d'être présentée aux recruteurs"),
                                       help_text=wording.SHOWN_TEXT, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("register"):
            return data
        for name in ("first_name", "last_name", "profile"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Ce champ est obligatoire."))
        has_contact = data.get("email") or data.get("phone") or {"email", "phone"} & set(self.errors)
        if not has_contact:
            self.add_error("email", _("Indiquez un e-mail ou un téléphone."))
        if not data.get("consent_processing"):
            self.add_error("consent_processing",
                           _("Sans l'accord de la personne, notez l'appel sans l'inscrire."))
        return data

    def candidate_data(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"], "last_name": data["last_name"], "email": data.get("email") or "",
            "phone": data.get("phone") or "", "profile": data["profile"], "language": data.get("language") or "fr",
            "shown_to_recruiters": bool(data.get("consent_shown")),
        }


class MarkDoneForm(forms.Form):
    pass


class CallbackRequestForm(HoneypotMixin, forms.Form):
    name = forms.CharField(label=_("Votre nom"), max_length=_length(CallbackRequest, "name"))
    phone = PhoneNumberField(label=_("Téléphone"), required=False, region="FR",
                             widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
    email = forms.EmailField(label=_("E-mail"), max_length=_length(CallbackRequest, "email"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    preferred_time = forms.ChoiceField(label=_("Moment préféré pour vous rappeler"),
                                       choices=CallbackRequest.Slot.choices, initial=CallbackRequest.Slot.ANY)
    topic = forms.ChoiceField(label=_("Sujet"), choices=[("", _("Choisir un sujet…")), *HotlineCall.Topic.choices])
    message = forms.CharField(label=_("Message (facultatif)"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    field_order = ["name", "phone", "email", "preferred_time", "topic", "message"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean(self):
        data = super().clean()
        if not (data.get("phone") or data.get("email") or {"email", "phone"} & set(self.errors)):
            raise forms.ValidationError(_("Indiquez un téléphone ou un e-mail pour que nous puissions vous répondre."))
        return data


class RelocationNeedsForm(forms.Form):
    need_housing = forms.BooleanField(label=_("Logement"), required=False)
    need_partner_job = forms.BooleanField(label=_("Emploi du conjoint ou de la conjointe"), required=False)
    need_schools = forms.BooleanField(label=_("Scolarité des enfants"), required=False)
    need_transport = forms.BooleanField(label=_("Transports"), required=False)
    need_other = forms.CharField(label=_("Autre besoin"), max_length=_length(RelocationRequest, "need_other"),
                                 required=False)
    target_city = forms.CharField(label=_("Ville visée"), max_length=_length(RelocationRequest, "target_city"))
    target_date = forms.DateField(label=_("Date d'arrivée visée"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_date"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean_target_date(self):
        value = self.cleaned_data.get("target_date")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("La date d'arrivée ne peut pas être dans le passé."))
        return value

    def clean(self):
        data = super().clean()
        needs = ("need_housing", "need_partner_job", "need_schools", "need_transport")
        if not any(data.get(n) for n in needs) and not (data.get("need_other") or "").strip():
            raise forms.ValidationError(_("Cochez au moins un besoin."))
        return data

    def needs_data(self) -> dict:
        data = self.cleaned_data
        needs = {k: bool(data.get(k)) for k in ("need_housing", "need_partner_job", "need_schools", "need_transport")}
        return {**needs, "need_other": data.get("need_other") or "", "target_city": data["target_city"],
                "target_date": data.get("target_date")}


class RelocationSpaceForm(HoneypotMixin, RelocationNeedsForm):
    """Asked by the candidate from "Mon espace"."""

    message = forms.CharField(label=_("Votre message (facultatif)"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))


class RelocationStaffForm(RelocationNeedsForm):
    """Opened by an agent for a candidate."""

    notes = forms.CharField(label=_("Notes"), help_text=CNIL_REMINDER, max_length=5000, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))
    owner = StaffChoiceField(label=_("Suivie par"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = hotline_staff()


class RelocationUpdateForm(RelocationNeedsForm):
    """A request followed by an agent: its status, owner and notes, and the needs as they become clearer."""

    status = forms.ChoiceField(label=_("Statut"), choices=RelocationRequest.Status.choices)
    notes = forms.CharField(label=_("Notes"), help_text=CNIL_REMINDER, max_length=5000, required=False,
                            widget=forms.Textarea(attrs={"rows": 5}))
    owner = StaffChoiceField(label=_("Suivie par"), queryset=None, required=False)

    field_order = ["status", "owner", "target_city", "target_date", "need_housing", "need_partner_job",
                   "need_schools", "need_transport", "need_other", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = hotline_staff()
        # An arrival date already passed may stay as it is; only a new date must be ahead.
        del self.fields["target_date"].widget.attrs["min"]

    def clean_target_date(self):
        value = self.cleaned_data.get("target_date")
        if value and value != self.initial.get("target_date") and value < timezone.localdate():
            raise forms.ValidationError(_("La date d'arrivée ne peut pas être dans le passé."))
        return value

    def update_data(self) -> dict:
        data = self.cleaned_data
        return {"status": data["status"], "notes": data.get("notes") or "", "owner": data.get("owner"),
                **self.needs_data()}
