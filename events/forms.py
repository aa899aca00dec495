from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from candidates import wording
from candidates.models import Candidate
from tescforce.honeypot import HoneypotMixin
from tescforce.text import fold

from . import badges
from .models import SurveyResponse

SURVEY_COMMENT_LENGTH = 2000


class BookingForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(label=_("Votre e-mail"), max_length=Candidate._meta.get_field("email").max_length,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class SessionCityFilter(forms.Form):
    city = forms.ChoiceField(label=_("Ville"), required=False)

    def __init__(self, *args, cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        cities = sorted(cities, key=lambda c: (fold(c), c))  # accents in place: "Écully" among the E
        self.fields["city"].choices = [("", _("Toutes les villes"))] + [(c, c) for c in cities]


class SurveyForm(forms.ModelForm):
    class Meta:
        model = SurveyResponse
        fields = ["rating", "useful", "comment"]
        widgets = {"rating": forms.RadioSelect, "comment": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A text column has no length, but a comment over the limit is refused, not silently cut.
        comment = self.fields["comment"]
        comment.max_length = SURVEY_COMMENT_LENGTH
        comment.validators.append(MaxLengthValidator(SURVEY_COMMENT_LENGTH))
        comment.widget.attrs["maxlength"] = str(SURVEY_COMMENT_LENGTH)


class WalkInForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=Candidate._meta.get_field("first_name").max_length)
    last_name = forms.CharField(label=_("Nom"), max_length=Candidate._meta.get_field("last_name").max_length)
    email = forms.EmailField(label=_("E-mail"), max_length=Candidate._meta.get_field("email").max_length)
    profile = forms.ChoiceField(label=_("Profil"), choices=Candidate.Profile.choices,
                                initial=Candidate.Profile.RETRAINING)
    consent = forms.BooleanField(label=wording.PROCESSING_TEXT,
                                 help_text=_("Lisez ce texte à la personne : son accord est enregistré."))


class TicketScanForm(forms.Form):
    """A ticket code read by the camera, typed by a handheld scanner or pasted, and the desk's scan id."""

    code = forms.CharField(label=_("Code du billet"), max_length=200, strip=True,
                           error_messages={"required": _("Scannez ou saisissez le code du billet.")})
    # Made by the page for each scan, kept with it while offline: the same scan sent twice is one arrival.
    scan_id = forms.UUIDField(required=False)
    # When the desk read the ticket (the page's clock), for a scan sent after a network loss.
    scanned_at = forms.DateTimeField(required=False)


class BadgeOptionsForm(forms.Form):
    """What to print on a session's sheets of badges (events/badges.py)."""

    who = forms.ChoiceField(label=_("Badges de"), choices=badges.Who.choices, initial=badges.Who.BOTH,
                            widget=forms.RadioSelect)
    blanks = forms.IntegerField(
        label=_("Badges vierges (personnes inscrites sur place)"), min_value=0, max_value=badges.MAX_BLANKS,
        initial=0, required=False,
        help_text=format_lazy(_("Un nom à écrire à la main ; de 0 à {max}."), max=badges.MAX_BLANKS))
    with_qr = forms.BooleanField(
        label=_("QR code du billet sur le badge des participant·es"), required=False, initial=True,
        help_text=_("L'accueil peut scanner le badge ; le QR code ne contient que le code du billet."))
    first_label = forms.IntegerField(
        label=_("Commencer à l'étiquette n°"), min_value=1, max_value=badges.SHEET.per_sheet, initial=1,
        required=False, help_text=format_lazy(
            _("Pour finir une planche entamée : de 1 à {n}, de gauche à droite puis de haut en bas."),
            n=badges.SHEET.per_sheet))
    outline = forms.BooleanField(label=_("Tracer le contour des badges (papier ordinaire, à découper)"),
                                 required=False)
