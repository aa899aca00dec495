"""Figures from the source article (La Tribune / Occitanie, 2023), shown on the home page.

Values are numbers: the page writes them in the visitor's language ("110 000" / "110,000").
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

REGION_FACTS = [
    {"value": 110000, "label": _("salariés du numérique en Occitanie")},
    {"value": 2000, "label": _("entreprises du secteur : ESN, éditeurs, conseil en technologies")},
    {"value": 8000, "label": _("recrutements prévus par an")},
    {"value": 2000, "label": _("candidats manquent chaque année")},
    {"value": Decimal("5.9"), "percent": True, "decimals": 1,
     "label": _("croissance du marché en 2023, après +7,2 en 2022")},
    {"value": 174, "label": _("rendez-vous de prospection internationale en 2022 (objectif : 400)")},
]
