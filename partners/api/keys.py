"""Organisations' API keys: made and revoked by coordinators, checked on every request.

A key reads `<prefix>.<secret>`: the prefix finds the row, the secret (32 random bytes) is checked against
its stored SHA-256. A password hasher's slowness protects guessable passwords; a key of 256 random bits
cannot be guessed, so a fast hash is enough and keeps every request cheap (as djangorestframework-api-key
does). The key itself is never stored, logged nor shown again after its creation.
"""

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from companies.models import Partner
from tescforce.errors import DomainError

from ..models import ApiKey

PREFIX_LENGTH = 8
# A key's last use is written at most this often (seconds): a busy client does not write on every call.
LAST_USED_EVERY = 300


class ApiKeyError(DomainError):
    """A key that opens nothing: missing, unknown, malformed or revoked (the message is for the client)."""


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_issue(*, key: ApiKey, by=None) -> str:
    """Give a new, unsaved key row (organisation and usage set) its prefix and hash, save it, and return the
    key itself, which is shown once and never stored."""
    for _attempt in range(5):
        prefix = get_random_string(PREFIX_LENGTH)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    secret = f"{prefix}.{secrets.token_urlsafe(32)}"
    key.prefix, key.hashed_key, key.name = prefix, _digest(secret), key.name.strip()
    key.created_by = by if getattr(by, "pk", None) else None
    key.save()
    return secret


def api_key_create(*, partner: Partner, name: str, by=None) -> tuple[ApiKey, str]:
    """Make a key for `partner`; return the row and the key (shown once)."""
    row = ApiKey(partner=partner, name=name)
    return row, api_key_issue(key=row, by=by)


def api_key_revoke(*, key: ApiKey, by=None) -> bool:
    """Revoke the key for good (refused from the next request on); False when it already was."""
    with transaction.atomic():
        changed = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by if getattr(by, "pk", None) else None)
    key.refresh_from_db()
    return changed == 1


def api_key_check(raw: str) -> ApiKey:
    """Return the active key `raw` names, with its organisation; raise ApiKeyError otherwise."""
    prefix, dot, secret = (raw or "").strip().partition(".")
    if not dot or len(prefix) != PREFIX_LENGTH or not secret or len(raw) > 200:
        raise ApiKeyError(_("Clé d'API mal formée : elle s'écrit préfixe.secret."), code="malformed")
    row = ApiKey.objects.select_related("partner").filter(prefix=prefix).first()
    # Compared in constant time; an unknown prefix costs the same digest, so timing tells nothing either.
    expected = row.hashed_key if row is not None else _digest("")
    if not hmac.compare_digest(expected, _digest(raw.strip())) or row is None:
        raise ApiKeyError(_("Clé d'API inconnue."), code="unknown")
    if row.revoked_at is not None:
        raise ApiKeyError(_("Cette clé d'API a été révoquée."), code="revoked")
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > LAST_USED_EVERY:
        ApiKey.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row
