"""Every write on alerts: choosing them in Mon espace, unsubscribing by link, sending, erasing.

Sending is decided in the database (CONVENTIONS: "once" messages): `alert_send` locks the subscription row,
records an `AlertSent` row per offer or session (unique per candidate), sends, and commits; a failed send
rolls the rows back, so the next pass sends them, and a committed row keeps them out of every later message.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from candidates.emails import absolute
from candidates.models import Candidate, Consent
from matching.selectors import explanations_for
from tescforce.errors import DomainError
from tescforce.mail import send_templated
from tescforce.tasks import DELIVERY_ERRORS, delivery_error

from . import selectors
from .models import AlertSent, Subscription

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "tescforce.alerts.unsubscribe"
# How many alerts one pass of the periodic task looks at (those looked at longest ago first); the rest wait
# for the next pass, 15 minutes later. Measured: about 25 ms an alert with nothing new and 50 ms one sent, on
# a loaded 2-core machine, so a full pass stays far below the broker's visibility timeout (30 min).
BATCH = 2000
OFF = "off"


class AlertError(DomainError):
    """An alert request that cannot be carried out, with a message for the person."""


# --- the candidate's choice ------------------------------------------------------------------------

def subscription_set(*, candidate: Candidate, kind: str, frequency: str) -> Subscription | None:
    """Ask for the alert `kind` at `frequency`, change its frequency, or stop it (`frequency="off"`)."""
    if kind not in Subscription.Kind.values:
        raise AlertError(_("Cette alerte n'existe pas."))
    if frequency == OFF:
        Subscription.objects.filter(candidate=candidate, kind=kind).delete()
        return None
    if frequency not in Subscription.Frequency.values:
        raise AlertError(_("Choisissez une fréquence proposée."))
    subscription, created = Subscription.objects.get_or_create(candidate=candidate, kind=kind,
                                                               defaults={"frequency": frequency})
    if not created and subscription.frequency != frequency:
        Subscription.objects.filter(pk=subscription.pk).update(frequency=frequency)
        subscription.frequency = frequency
    return subscription


# --- one-click unsubscribe (RFC 8058) --------------------------------------------------------------

def unsubscribe_token(*, candidate: Candidate, kind: str) -> str:
    """A signed token naming one person and one alert; it does not expire (an old e-mail's link still works)."""
    return signing.dumps({"c": str(candidate.public_id), "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, candidate: Candidate, kind: str) -> str:
    """The absolute unsubscribe address, in the active language."""
    token = unsubscribe_token(candidate=candidate, kind=kind)
    return settings.SITE_URL + reverse("alerts:unsubscribe", kwargs={"token": token})


def read_unsubscribe_token(token: str) -> tuple[Candidate | None, str]:
    """Return the candidate (None if gone) and the alert kind a token names; AlertError if it is not ours."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        public_id, kind = str(payload["c"]), str(payload["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise AlertError(_("Ce lien de désinscription n'est pas valide. Copiez-le en entier depuis l'e-mail, "
                           "ou gérez vos alertes depuis « Mon espace ».")) from None
    if kind not in Subscription.Kind.values:
        raise AlertError(_("Ce lien de désinscription n'est pas valide."))
    return Candidate.objects.filter(public_id=public_id).first(), kind


def subscription_unsubscribe(*, token: str) -> str:
    """Stop the alert a token names; return its kind. Again, or for an erased person, it changes nothing."""
    candidate, kind = read_unsubscribe_token(token)
    if candidate is not None:
        Subscription.objects.filter(candidate=candidate, kind=kind).delete()
    return kind


# --- sending ---------------------------------------------------------------------------------------

def alerts_due_ids(*, now: dt.datetime | None = None, limit: int = BATCH) -> list[int]:
    return list(selectors.due_subscriptions(now=now or timezone.now()).values_list("pk", flat=True)[:limit])


def _offers_context(matches) -> dict:
    explanations = explanations_for(matches)
    offers = [{"posting": m.posting, "url": absolute(m.posting.get_absolute_url()), "score": m.score,
               "matched": explanations[m.pk].matched, "missing": explanations[m.pk].missing} for m in matches]
    return {"offers": offers, "count": len(offers), "board_url": absolute(reverse("companies:posting_list"))}


def _sessions_context(sessions, candidate) -> dict:
    items = [{"session": s, "url": absolute(s.get_absolute_url())} for s in sessions]
    return {"sessions": items, "count": len(items), "city": candidate.city,
            "list_url": absolute(reverse("events:session_list"))}


def alert_send(*, subscription_id: int, now: dt.datetime | None = None, connection=None) -> int:
    """Send one alert if it is due and has something new; return how many offers or sessions it named.

    Nothing goes to a person without a confirmed address, erased, or who withdrew their consent; nothing
    named before is named again. Raises when the mail server refuses (nothing is then recorded).
    """
    now = now or timezone.now()
    with transaction.atomic():
        subscription = (Subscription.objects.select_for_update().filter(selectors.recipients_q())
                        .filter(selectors.due_q(now=now)).select_related("candidate").filter(pk=subscription_id)
                        .first())
        if subscription is None:
            return 0
        candidate = subscription.candidate
        language = candidate.language or settings.LANGUAGE_CODE
        with translation.override(language):
            if subscription.kind == Subscription.Kind.OFFERS:
                found = selectors.new_matches(subscription)
                rows = [AlertSent(candidate=candidate, posting_id=m.posting_id) for m in found]
                context = _offers_context(found) if found else {}
            else:
                found = selectors.new_sessions(subscription, now=now)
                rows = [AlertSent(candidate=candidate, session_id=s.pk) for s in found]
                context = _sessions_context(found, candidate) if found else {}
            update = {"checked_at": now}
            if found:
                update["last_sent_at"] = now
                AlertSent.objects.bulk_create(rows)
                context.update({"candidate": candidate, "frequency": subscription.frequency,
                                "space_url": absolute(reverse("candidates:space_request"))})
                send_templated(template=f"alerts/email/{subscription.kind}", context=context, to=[candidate.email],
                               language=language, connection=connection,
                               unsubscribe_url=unsubscribe_url(candidate=candidate, kind=subscription.kind))
        Subscription.objects.filter(pk=subscription.pk).update(**update)
    return len(found)


def alerts_send_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send every due alert of one batch on one mail connection; one refused send does not stop the others."""
    now = now or timezone.now()
    counts = {"looked_at": 0, "sent": 0, "failed": 0}
    with get_connection() as connection:
        for pk in alerts_due_ids(now=now):
            counts["looked_at"] += 1
            try:
                if alert_send(subscription_id=pk, now=now, connection=connection):
                    counts["sent"] += 1
            except DELIVERY_ERRORS as exc:
                # Rolled back: the next pass tries again.
                counts["failed"] += 1
                logger.warning("alert %s not sent: %s", pk, delivery_error(exc))
    return counts


# --- what other rooms ask of this one ---------------------------------------------------------------

def alerts_erase(subject) -> None:
    """On erasure: the person's alerts and the list of what they were told of go."""
    Subscription.objects.filter(candidate=subject.candidate).delete()
    AlertSent.objects.filter(candidate=subject.candidate).delete()


def alerts_on_consent_withdrawn(candidate: Candidate, kind: str) -> None:
    """Withdrawing the processing consent stops every alert (the other consents do not concern alerts)."""
    if kind == Consent.Kind.PROCESSING:
        Subscription.objects.filter(candidate=candidate).delete()
