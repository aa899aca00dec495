"""The consent texts a candidate sees, with their version.

A consent row stores the version shown. Change a text: bump its version, so that what each person
agreed to stays known (CNIL: keep the proof of consent).
"""

from django.utils.translation import gettext_lazy as _

from .models import Consent

PROCESSING_VERSION = "2026-11"
SHOWN_VERSION = "2026-11"

PROCESSING_TEXT = _(
    "J'accepte que Tesc Force traite ma candidature (identité, coordonnées, profil, CV) pour m'accompagner "
    "vers un emploi du numérique en Occitanie. Mes données sont conservées au plus 2 ans après mon dernier "
    "contact ; je peux les consulter, les télécharger ou les effacer à tout moment depuis « Mon espace »."
)
SHOWN_TEXT = _(
    "J'accepte que mon profil et mon CV soient présentés aux recruteurs des entreprises vers lesquelles "
    "Tesc Force m'oriente. Je peux retirer cet accord à tout moment."
)

VERSIONS = {
    Consent.Kind.PROCESSING: PROCESSING_VERSION,
    Consent.Kind.SHOWN_TO_RECRUITERS: SHOWN_VERSION,
}
TEXTS = {
    Consent.Kind.PROCESSING: PROCESSING_TEXT,
    Consent.Kind.SHOWN_TO_RECRUITERS: SHOWN_TEXT,
}
