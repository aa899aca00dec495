from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Subscription
from .services import OFF

CHOICES = [(OFF, _("Non merci")), *Subscription.Frequency.choices]


class AlertsForm(forms.Form):
    offers = forms.ChoiceField(label=_("Nouvelles offres correspondant à mon profil"), choices=CHOICES,
                               widget=forms.RadioSelect(attrs={"class": "form-check-input"}), initial=OFF)
    sessions = forms.ChoiceField(label=_("Sessions à venir dans ma ville"), choices=CHOICES,
                                 widget=forms.RadioSelect(attrs={"class": "form-check-input"}), initial=OFF)
