"""Checks on uploaded CVs: a PDF by its content, not its name, and not too large."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Signatures of executables (Windows PE, ELF, Mach-O, shell scripts) that must never be stored as a CV.
EXECUTABLE_MAGICS = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"#!")
# The DOS stub every Windows executable carries, also when it hides behind a PDF header.
EMBEDDED_EXECUTABLE = b"This program cannot be run in DOS mode"


def validate_cv(upload) -> None:
    """Raise ValidationError unless `upload` is a PDF of at most MAX_UPLOAD_SIZE bytes."""
    if upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("Le fichier dépasse la taille maximale de %(max)s.") % {"max": filesizeformat(settings.MAX_UPLOAD_SIZE)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if head.startswith(EXECUTABLE_MAGICS) or not head.startswith(b"%PDF-"):
        raise ValidationError(_("Le CV doit être un fichier PDF."), code="not_pdf")
    for chunk in upload.chunks():
        if EMBEDDED_EXECUTABLE in chunk:
            raise ValidationError(_("Le CV doit être un fichier PDF."), code="not_pdf")
    upload.seek(0)
