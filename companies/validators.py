from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siren, siret


def validate_siret(value: str) -> None:
    """Reject a SIRET whose format or Luhn checksum is wrong."""
    if not siret.is_valid(value):
        raise ValidationError(_("Ce SIRET n'est pas valide (14 chiffres, clé de contrôle)."), code="siret")


def validate_siren(value: str) -> None:
    """Reject a SIREN whose format or checksum is wrong."""
    if not siren.is_valid(value):
        raise ValidationError(_("Ce SIREN n'est pas valide (9 chiffres, clé de contrôle)."), code="siren")
