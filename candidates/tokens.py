"""Signed, expiring links that stand in for a login on the public site.

A token names one candidate and one purpose; a token for one purpose never works for another.
"""

from typing import Any

from django.core import signing

SALT = "tescforce.candidates.link"

# How long each kind of link stays valid, in seconds.
MAX_AGE = {
    "confirm": 7 * 24 * 3600,  # double opt-in; unconfirmed registrations are purged after 7 days
    "space": 24 * 3600,  # "Mon espace"
    "action": 3 * 24 * 3600,  # confirm one action (book a seat, show interest…)
}


def make_token(*, candidate_public_id: str, purpose: str, data: dict[str, Any] | None = None) -> str:
    """Return a signed token for `purpose`, carrying optional `data`."""
    payload = {"c": str(candidate_public_id), "p": purpose, "d": data or {}}
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str, *, purpose: str) -> tuple[str, dict[str, Any]]:
    """Return (candidate public id, data); raise signing.BadSignature if tampered, expired or misused."""
    payload = signing.loads(token, salt=SALT, max_age=MAX_AGE[purpose])
    if payload.get("p") != purpose:
        raise signing.BadSignature("wrong purpose")
    return payload["c"], payload.get("d", {})
