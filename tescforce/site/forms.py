from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Campaign
from events.models import Edition
from prospecting.models import ProspectingCampaign

from .dashboard import CITIES


class DashboardFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Année"), min_value=2020, max_value=2100, required=False)
    edition = forms.ModelChoiceField(label=_("Édition"), queryset=Edition.objects.all(), required=False,
                                     empty_label=_("Toutes"))
    city = forms.ChoiceField(label=_("Ville"), required=False,
                             choices=[("", _("Toutes"))] + [(c, c) for c in CITIES])
    campaign = forms.ModelChoiceField(label=_("Campagne Talents Occitanie"), queryset=Campaign.objects.all(),
                                      required=False, empty_label=_("Toutes"))
    prospecting_campaign = forms.ModelChoiceField(label=_("Campagne de prospection"),
                                                  queryset=ProspectingCampaign.objects.all(), required=False,
                                                  empty_label=_("Toutes"))

    def year_value(self) -> int:
        return self.cleaned_data.get("year") or timezone.localdate().year
