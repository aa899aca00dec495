"""The text a referred person agrees to when they let the partner follow their path, with its version.

Like candidates/wording.py: change the text, bump the version; each referral keeps the version accepted.
"""

from django.utils.translation import gettext_lazy as _

SHARE_VERSION = "2026-12"
# %(partner)s: the organisation's name, put in when the page or the e-mail is shown.
SHARE_TEXT = _(
    "J'accepte que %(partner)s, qui m'a orienté·e vers Tesc Force, suive mon parcours : confirmation de mon "
    "inscription, qualification, sessions réservées et suivies, orientation vers une entreprise, recrutement "
    "ou sortie du dispositif, avec leurs dates. Ni mes échanges avec les recruteurs ni mon CV ne lui sont "
    "montrés. Facultatif ; je peux retirer cet accord à tout moment depuis « Mon espace »."
)


def share_text(partner) -> str:
    return str(SHARE_TEXT) % {"partner": partner.name}
