"""The consent texts a candidate sees, with their version.

A consent row stores the version shown. Change a text: bump its version, so that what each person
agreed to stays known (CNIL: keep the proof of consent). For the match consent, only the current
version counts: people who agreed to an older text are not shown on a match until they agree again.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .models import Consent

PROCESSING_VERSION = "2026-11"
SHOWN_VERSION = "2026-11"
MATCHED_VERSION = "2026-12"

PROCESSING_TEXT = _(
    "J'accepte que Tesc Force traite ma candidature (identité, coordonnées, profil, CV) pour m'accompagner "
    "vers un emploi du numérique en Occitanie. Mes données sont conservées au plus 2 ans après mon dernier "
    "contact ; je peux les consulter, les télécharger ou les effacer à tout moment depuis « Mon espace »."
)
SHOWN_TEXT = _(
    "J'accepte que mon profil et mon CV soient présentés aux recruteurs des entreprises vers lesquelles "
    "Tesc Force m'oriente. Je peux retirer cet accord à tout moment."
)
MATCHED_TEXT = _(
    "J'accepte que mon profil, mes coordonnées (e-mail, téléphone) et mon CV soient montrés aux recruteurs "
    "des entreprises dont une offre correspond à mon profil selon le rapprochement automatique de Tesc Force, "
    "même si personne ne m'a orienté·e vers elles, et que ces entreprises me soient proposées en entretien "
    "lors des job datings où je m'inscris. Facultatif ; je peux retirer cet accord à tout moment depuis "
    "« Mon espace »."
)

VERSIONS = {
    Consent.Kind.PROCESSING: PROCESSING_VERSION,
    Consent.Kind.SHOWN_TO_RECRUITERS: SHOWN_VERSION,
    Consent.Kind.SHOWN_ON_MATCH: MATCHED_VERSION,
}
TEXTS = {
    Consent.Kind.PROCESSING: PROCESSING_TEXT,
    Consent.Kind.SHOWN_TO_RECRUITERS: SHOWN_TEXT,
    Consent.Kind.SHOWN_ON_MATCH: MATCHED_TEXT,
}


def holds_current_q(kind: str, outer: str = "pk") -> Q:
    """Candidates (or rows whose `outer` field is a candidate id) holding the current text's consent of `kind`."""
    return Q(Exists(Consent.objects.filter(candidate_id=OuterRef(outer), kind=kind, withdrawn_at__isnull=True,
                                           wording_version=VERSIONS[kind])))


def holds_match_consent_q(outer: str = "pk") -> Q:
    """Who may be shown to a company because one of its offers matches: the current match consent only."""
    return holds_current_q(Consent.Kind.SHOWN_ON_MATCH, outer)


def holds_match_consent(candidate) -> bool:
    return Consent.objects.filter(candidate=candidate, kind=Consent.Kind.SHOWN_ON_MATCH, withdrawn_at__isnull=True,
                                  wording_version=MATCHED_VERSION).exists()
