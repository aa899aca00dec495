"""Figures from the source article (La Tribune / Occitanie, 2023), shown on the home page."""

from django.utils.translation import gettext_lazy as _

REGION_FACTS = [
    {"value": "110 000", "label": _("salariés du numérique en Occitanie")},
    {"value": "2 000", "label": _("entreprises du secteur : ESN, éditeurs, conseil en technologies")},
    {"value": "8 000", "label": _("recrutements prévus par an")},
    {"value": "2 000", "label": _("candidats manquent chaque année")},
    {"value": "+5,9 %", "label": _("croissance du marché en 2023, après +7,2 en 2022")},
    {"value": "174", "label": _("rendez-vous de prospection internationale en 2022 (objectif : 400)")},
]
