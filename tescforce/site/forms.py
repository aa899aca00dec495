from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Campaign
from events.models import Edition
from prospecting.models import ProspectingCampaign

from .dashboard import CITIES


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Année"), coerce=int, required=False, empty_value=None)
    # An edition's label names its programme: read with it, not one query per edition.
    edition = forms.ModelChoiceField(label=_("Édition"), queryset=Edition.objects.select_related("programme"),
                                     required=False, empty_label=_("Toutes"))
    city = forms.ChoiceField(label=_("Ville"), required=False,
                             choices=[("", _("Toutes"))] + [(c, c) for c in CITIES])
    campaign = forms.ModelChoiceField(label=_("Campagne Talents Occitanie"), queryset=Campaign.objects.all(),
                                      required=False, empty_label=_("Toutes"))
    prospecting_campaign = forms.ModelChoiceField(label=_("Campagne de prospection"),
                                                  queryset=ProspectingCampaign.objects.all(), required=False,
                                                  empty_label=_("Toutes"))

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("year"):
            # Other filters without a year: the figures are this year's, and so is the list's choice.
            self.data = self.data.copy()
            self.data["year"] = str(timezone.localdate().year)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["year"].initial = timezone.localdate().year

    def year_value(self) -> int:
        return self.cleaned_data.get("year") or timezone.localdate().year
