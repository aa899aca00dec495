"""Signed links that open one recruiter's interview sheet for one job dating, without signing in.

A link is signed with SECRET_KEY (django.core.signing, as the candidates' and the events' links are) and
names a `SheetLink` row and its nonce: changing one character of it, or an id, breaks the signature. The
row holds the recruiter, the company and the agenda, so a link opens that recruiter's company's interviews
of that session and nothing else. Issuing the link again draws a new nonce: the old link is revoked. A link
works until the end of the session's day, Paris time, then says it expired (the sheet stays reachable after
signing in). No max_age: the session's day, not the link's age, decides.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from tescforce.errors import DomainError

from .models import JobDatingAgenda, SheetLink

SALT = "tescforce.matching.sheet"


class SheetError(DomainError):
    """A refused look at or write on an interview sheet; `code` says why ("invalid", "revoked", "expired"…)."""


def _nonce() -> str:
    return secrets.token_urlsafe(12)


def sheet_link_issue(*, agenda: JobDatingAgenda, recruiter) -> SheetLink:
    """Return the recruiter's link row for this agenda with a fresh nonce: any link sent before stops working."""
    values = {"nonce": _nonce(), "issued_at": timezone.now(), "company_id": recruiter.company_id}
    try:
        with transaction.atomic():
            link, _created = SheetLink.objects.update_or_create(agenda=agenda, recruiter=recruiter, defaults=values)
    except IntegrityError:  # issued at the same instant elsewhere: the unique row exists now, renew it
        SheetLink.objects.filter(agenda=agenda, recruiter=recruiter).update(**values)
        link = SheetLink.objects.get(agenda=agenda, recruiter=recruiter)
    return link


def sheet_link_token(link: SheetLink) -> str:
    return signing.dumps({"l": link.pk, "n": link.nonce, "r": link.recruiter_id}, salt=SALT)


def sheet_link_url(link: SheetLink) -> str:
    """The link's absolute address, on SITE_URL (it goes out by e-mail)."""
    return settings.SITE_URL + reverse("staff:matching_sheet_link", kwargs={"token": sheet_link_token(link)})


def last_day(session) -> dt.date:
    """The last day a link to the session's sheet works: the day the session ends, in Paris time."""
    return timezone.localtime(session.ends_at).date()


def sheet_link_read(token: str, *, today: dt.date | None = None) -> SheetLink:
    """Return the link row the token names; raise SheetError if it is tampered, replaced, expired or its
    recruiter can no longer use it."""
    invalid = SheetError(_("Ce lien de fiche d'entretiens n'est pas valide. Vérifiez qu'il est complet, ou "
                           "connectez-vous à votre bureau Tesc Force."), code="invalid")
    try:
        payload = signing.loads(str(token)[:500], salt=SALT)
        link_id, nonce, recruiter_id = int(payload["l"]), str(payload["n"]), int(payload["r"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise invalid from exc
    link = (SheetLink.objects.select_related("agenda__session", "recruiter__user", "company")
            .filter(pk=link_id, recruiter_id=recruiter_id).first())
    if link is None or not link.recruiter.user.is_active or link.recruiter.company_id != link.company_id:
        raise invalid
    if not constant_time_compare(link.nonce, nonce):
        raise SheetError(_("Ce lien a été remplacé par un plus récent : ouvrez le dernier e-mail reçu de Tesc "
                           "Force, ou connectez-vous à votre bureau."), code="revoked")
    session = link.agenda.session
    if (today or timezone.localdate()) > last_day(session):
        raise SheetError(_("Ce lien a expiré : il valait jusqu'au soir du job dating (%(day)s). Vos fiches "
                           "restent dans votre bureau Tesc Force, après connexion.")
                         % {"day": formats.date_format(last_day(session), "SHORT_DATE_FORMAT")}, code="expired")
    return link
