"""E-tickets: each confirmed booking's signed code, its QR code (SVG for pages, PNG for e-mails), its PDF,
and `ticket_verify`, which the check-in desk calls with a scanned or typed code.

A code reads `TF-<registration id>-XXXX-XXXX-XXXX`: the last twelve characters are an HMAC (SECRET_KEY) of
the id and the booking's `ticket_nonce`, in Crockford's base 32 (no I, L, O, U: read aloud without doubt).
Booking again after a cancellation draws a new nonce, so the old code stops verifying. The QR code holds
the code and nothing else: no name, no e-mail.
"""

import base64
import io
import re

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from tescforce import pdf, translated

from .errors import BookingError
from .models import Registration, Session

SALT = "tescforce.events.ticket"
PREFIX = "TF"
SIGNATURE_LENGTH = 12  # 60 bits: far beyond what anyone can guess at a door
_BASE32 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHJKMNPQRSTVWXYZ")
_READ_ALOUD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE = re.compile(rf"^{PREFIX}(\d{{1,12}})([0-9A-Z]{{{SIGNATURE_LENGTH}}})$")


class TicketError(BookingError):
    """A ticket that does not let its holder in; `reason` is for code, `message` for the person at the desk.

    Reasons: "invalid" (unknown, tampered or replaced by a later booking), "cancelled", "waitlisted",
    "other_session", "already_checked_in", "closed" (marked absent after the session). `registration`
    is the booking the code names, when its signature is good.
    """

    def __init__(self, message, *, reason: str, registration: Registration | None = None):
        super().__init__(message)
        self.reason = reason
        self.registration = registration


def _signature(registration_id: int, nonce: str, secret: str) -> str:
    digest = salted_hmac(SALT, f"{registration_id}:{nonce}", secret=secret, algorithm="sha256").digest()
    return base64.b32encode(digest).decode("ascii").translate(_BASE32)[:SIGNATURE_LENGTH]


def ticket_code(registration: Registration) -> str:
    """Return the booking's ticket code (valid only while the booking is confirmed)."""
    sig = _signature(registration.pk, registration.ticket_nonce, settings.SECRET_KEY)
    return f"{PREFIX}-{registration.pk}-{sig[:4]}-{sig[4:8]}-{sig[8:]}"


def has_ticket(registration: Registration) -> bool:
    """Only a confirmed booking has a ticket: a waitlisted or cancelled one has none."""
    return registration.status == Registration.Status.CONFIRMED


def _parse(code: str) -> tuple[int, str] | None:
    # Spaces and dashes are optional (a code typed or read aloud): the signature is the last twelve
    # characters, whatever digits it starts with, and the booking number what lies between.
    compact = re.sub(r"[\s-]+", "", str(code or "")[:200]).upper().translate(_READ_ALOUD)
    match = _CODE.match(compact)
    return (int(match.group(1)), match.group(2)) if match else None


def _when(session: Session) -> str:
    return formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")


def arrival_time(moment) -> str:
    """"10 h 32" in French, "10:32" in English: the time a desk says someone arrived."""
    # Translators: a time format (Django's date format letters): "G \h i" reads 10 h 32.
    return formats.time_format(timezone.localtime(moment), _("G \\h i")) if moment else ""


def already_used(registration: Registration) -> TicketError:
    """The refusal of a second scan: when the person came in, and who let them in."""
    who = registration.checked_in_by
    values = {"time": arrival_time(registration.checked_in_at),
              "who": (who.get_full_name() or who.get_username()) if who else ""}
    message = (_("Déjà enregistré·e à %(time)s par %(who)s : ce billet a déjà servi.") if who
               else _("Déjà enregistré·e à %(time)s : ce billet a déjà servi.")) % values
    return TicketError(message, reason="already_checked_in", registration=registration)


def refuse_unless_confirmed(registration: Registration) -> None:
    """Raise the TicketError that a booking in any status but confirmed gets at the door."""
    status = registration.status
    if status == Registration.Status.CANCELLED:
        raise TicketError(_("Cette réservation a été annulée : ce billet n'est plus valide."),
                          reason="cancelled", registration=registration)
    if status == Registration.Status.WAITLISTED:
        raise TicketError(_("Cette personne est sur liste d'attente : elle n'a pas de billet valide."),
                          reason="waitlisted", registration=registration)
    if status == Registration.Status.ATTENDED:
        raise already_used(registration)
    if status != Registration.Status.CONFIRMED:
        raise TicketError(_("Cette session est passée : ce billet n'est plus valide."), reason="closed",
                          registration=registration)


def ticket_verify(code: str, *, session: Session | None = None) -> Registration:
    """Return the confirmed booking a ticket code names, for `session` when given; raise TicketError.

    Read-only: checking the person in stays `services.registration_check_in`, which locks the row.
    """
    parsed = _parse(code)
    invalid = TicketError(_("Billet non valide : code inconnu, modifié, ou remplacé par une réservation "
                            "plus récente."), reason="invalid")
    if parsed is None:
        raise invalid
    registration_id, signature = parsed
    registration = (Registration.objects.select_related("session", "candidate", "checked_in_by")
                    .filter(pk=registration_id, candidate__anonymised_at__isnull=True).first())
    if registration is None:
        raise invalid
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(constant_time_compare(signature, _signature(registration.pk, registration.ticket_nonce, secret))
               for secret in secrets):
        raise invalid
    if session is not None and registration.session_id != session.pk:
        raise TicketError(_("Ce billet est pour une autre session : « %(title)s », %(when)s.") % {
            "title": translated.text(registration.session, "title"), "when": _when(registration.session)},
            reason="other_session", registration=registration)
    refuse_unless_confirmed(registration)
    return registration


def _qr(code: str, *, box_size: int) -> qrcode.QRCode:
    # Medium error correction: a crease or a cracked phone screen still scans.
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=box_size)
    qr.add_data(code)
    qr.make(fit=True)
    return qr


def qr_svg(code: str, *, label: str = "") -> SafeString:
    """Return the QR code of `code` as an inline SVG element that scales to its container."""
    svg = _qr(code, box_size=10).make_image(image_factory=qrcode.image.svg.SvgPathImage).to_string(
        encoding="unicode")
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', "<svg", svg, count=1)
    label = escape(label or code)
    return mark_safe(svg.replace("<svg", f'<svg role="img" aria-label="{label}" class="ticket-qr"', 1))  # noqa: S308


def qr_png(code: str) -> bytes:
    """Return the QR code of `code` as a PNG (e-mail clients show PNG; Gmail and Outlook drop SVG)."""
    buffer = io.BytesIO()
    _qr(code, box_size=8).make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def ticket_context(registration: Registration) -> dict:
    code = ticket_code(registration)
    return {"registration": registration, "session": registration.session, "candidate": registration.candidate,
            "code": code, "qr": qr_svg(code, label=_("QR code du billet %(code)s") % {"code": code})}


def ticket_pdf(registration: Registration, *, language: str) -> bytes:
    """Return the ticket as a one-page A6 PDF, in `language` (self-contained: inline SVG and CSS)."""
    with translation.override(language):
        context = ticket_context(registration)
    return pdf.render_pdf("events/ticket_pdf.html", context, language=language)
