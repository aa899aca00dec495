"""Name badges for a session, printed on A4 sheets of self-adhesive labels (WeasyPrint, through tescforce.pdf).

The sheet is Avery L7173 (and its equivalents): 10 labels of 99.1 × 57 mm, 2 across and 5 down, the first
one 4.65 mm from the left edge and 6 mm from the top, 101.6 mm from one column to the next (a 2.5 mm gap) and
57 mm from one row to the next (no gap). Each label is placed at those exact millimetres, so that the print
lands on the labels; print at "actual size" (100 %), never "fit to page".

Who gets a badge: each person with a confirmed seat (booked, or already checked in) and each recruiter a
company named as coming to the session, sorted by last name; blank badges for walk-ins follow. An attendee's
badge can carry the QR code of their ticket (the code only, no personal data), so the desk can scan it.
"""

from dataclasses import dataclass, field

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from tescforce import pdf
from tescforce.text import fold

from . import tickets
from .errors import BookingError
from .models import Registration, Session


@dataclass(frozen=True)
class LabelSheet:
    name: str
    columns: int
    rows: int
    width_mm: float
    height_mm: float
    left_mm: float
    top_mm: float
    pitch_x_mm: float
    pitch_y_mm: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def position(self, index: int) -> tuple[float, float]:
        """Return (left, top) in mm of the label at `index` (0-based, left to right, then down) on its sheet."""
        row, column = divmod(index % self.per_sheet, self.columns)
        return (round(self.left_mm + column * self.pitch_x_mm, 2), round(self.top_mm + row * self.pitch_y_mm, 2))


L7173 = LabelSheet(name="Avery L7173", columns=2, rows=5, width_mm=99.1, height_mm=57.0, left_mm=4.65, top_mm=6.0,
                   pitch_x_mm=101.6, pitch_y_mm=57.0)
SHEET = L7173
MAX_BLANKS = 100
# Badges on one PDF at most (about 60 sheets): more is a mistake, and would tie up a web worker.
MAX_BADGES = 600
# Seats that have a badge: booked, or already checked in (a walk-in included).
BADGE_STATUSES = (Registration.Status.CONFIRMED, Registration.Status.ATTENDED)


class Who(TextChoices):
    BOTH = "both", _("Participant·es et recruteur·euses")
    ATTENDEES = "attendees", _("Participant·es seulement")
    STAFF = "staff", _("Recruteur·euses des entreprises seulement")


@dataclass
class Badge:
    kind: str  # "attendee", "staff" or "blank"
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    job_title: str = ""
    qr: SafeString | None = None
    left_mm: float = 0
    top_mm: float = 0

    @property
    def name_size(self) -> str:
        """A size class for the first name, so that a long one still fits the label's width on one line (about
        16 characters at 25 pt on 89 mm, 20 at 20 pt, 27 at 15 pt); a longer one wraps at 12 pt."""
        n = len(self.first_name)
        return "xl" if n <= 13 else "l" if n <= 17 else "m" if n <= 23 else "s"


@dataclass
class BadgeSheets:
    sheets: list[list[Badge]] = field(default_factory=list)
    attendees: int = 0
    staff: int = 0
    blanks: int = 0

    @property
    def count(self) -> int:
        return self.attendees + self.staff + self.blanks


def session_badges_error(session: Session, *, now=None) -> str | None:
    """Why badges cannot be printed for this session any more (ended or cancelled), or None."""
    now = now or timezone.now()
    if session.is_cancelled:
        return _("Cette session est annulée : il n'y a pas de badges à imprimer.")
    if session.ends_at < now:
        return _("Cette session est terminée : il n'y a plus de badges à imprimer.")
    return None


def _last_first(first: str, last: str) -> tuple:
    return (fold(last), fold(first), last, first)


def attendee_badges(session: Session, *, with_qr: bool) -> list[Badge]:
    """One badge per confirmed seat (erased people never), sorted by last name then first name."""
    registrations = (session.registrations.filter(status__in=BADGE_STATUSES, candidate__anonymised_at__isnull=True)
                     .select_related("candidate"))
    badges = []
    for registration in registrations:
        person = registration.candidate
        qr = None
        if with_qr and tickets.has_ticket(registration):
            code = tickets.ticket_code(registration)
            # Many QR codes on one page: drop the element id each one carries, which would be a duplicate.
            qr = mark_safe(tickets.qr_svg(code, label=_("QR code du billet %(code)s") % {"code": code})  # noqa: S308
                           .replace(' id="qr-path"', ""))
        badges.append(Badge(kind="attendee", first_name=person.first_name, last_name=person.last_name, qr=qr))
    return sorted(badges, key=lambda b: _last_first(b.first_name, b.last_name))


def staff_badges(session: Session) -> list[Badge]:
    """One badge per recruiter named as coming for their company (active accounts), sorted by last name."""
    badges = []
    for participation in session.company_participations.select_related("company").prefetch_related(
            "recruiters__user"):
        for recruiter in participation.recruiters.all():
            user = recruiter.user
            if not user.is_active:
                continue
            first, last = user.first_name, user.last_name
            if not (first or last):
                last = user.get_username()
            badges.append(Badge(kind="staff", first_name=first, last_name=last, company=participation.company.name,
                                job_title=recruiter.job_title))
    return sorted(badges, key=lambda b: _last_first(b.first_name, b.last_name))


def companies_without_staff(session: Session) -> list[str]:
    """Names of the session's companies that named no recruiter as coming (they get no staff badge)."""
    participations = session.company_participations.select_related("company").prefetch_related("recruiters__user")
    return sorted((p.company.name for p in participations if not any(r.user.is_active for r in p.recruiters.all())),
                  key=fold)


def badge_sheets(*, session: Session, who: str = Who.BOTH, blanks: int = 0, with_qr: bool = True,
                 skip: int = 0) -> BadgeSheets:
    """Lay the session's badges out on label sheets; `skip` labels of the first sheet stay empty (already used).

    Raise BookingError when the session is over or cancelled, when nothing would be printed, or when it
    would take more than MAX_BADGES labels.
    """
    error = session_badges_error(session)
    if error:
        raise BookingError(error)
    attendees = attendee_badges(session, with_qr=with_qr) if who in (Who.BOTH, Who.ATTENDEES) else []
    staff = staff_badges(session) if who in (Who.BOTH, Who.STAFF) else []
    badges = attendees + staff + [Badge(kind="blank") for _i in range(max(0, min(blanks, MAX_BLANKS)))]
    if not badges:
        raise BookingError({
            Who.ATTENDEES: _("Aucun badge à imprimer : personne n'a de place confirmée à cette session. Ajoutez des "
                             "badges vierges pour les personnes inscrites sur place."),
            Who.STAFF: _("Aucun badge à imprimer : aucune entreprise n'a indiqué ses recruteur·euses présent·es à "
                         "cette session (fiche de la session, « Entreprises présentes »)."),
        }.get(who, _("Aucun badge à imprimer : ni place confirmée, ni recruteur·euse indiqué·e pour cette session. "
                     "Ajoutez des badges vierges si besoin.")))
    skip = max(0, min(skip, SHEET.per_sheet - 1))
    if len(badges) + skip > MAX_BADGES:
        raise BookingError(_("Trop de badges d'un coup (%(n)s, %(max)s au plus) : imprimez-les en plusieurs fois.")
                           % {"n": len(badges), "max": MAX_BADGES})
    result = BadgeSheets(attendees=len(attendees), staff=len(staff), blanks=len(badges) - len(attendees) - len(staff))
    for index, badge in enumerate(badges, start=skip):
        badge.left_mm, badge.top_mm = SHEET.position(index)
        if index % SHEET.per_sheet == 0 or not result.sheets:
            result.sheets.append([])
        result.sheets[-1].append(badge)
    return result


def badges_document(*, session: Session, sheets: BadgeSheets, language: str, outline: bool = False):
    """Return the laid-out document: one A4 page per sheet of labels (its `pages` can be counted)."""
    return pdf.render_document("events/badges_pdf.html", {"session": session, "sheets": sheets.sheets,
                                                          "sheet": SHEET, "outline": outline}, language=language)
