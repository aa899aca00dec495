"""Signed, expiring links that stand in for a login on the public site.

A token names one candidate and one purpose; a token for one purpose never works for another.
Sign-in ("space") tokens also carry the candidate's link generation when they were made: signing in
or out moves it on, so such a link works once and dies on logout (see candidates/space.py), the way
Django's password-reset tokens fold in the last login. No cache is involved: the database decides.
"""

from typing import Any

from django.core import signing

from .models import Candidate

SALT = "tescforce.candidates.link"

# How long each kind of link stays valid, in seconds.
MAX_AGE = {
    "confirm": 7 * 24 * 3600,  # double opt-in; unconfirmed registrations are purged after 7 days
    "space": 24 * 3600,  # "Mon espace"
    "action": 3 * 24 * 3600,  # confirm one action (book a seat, show interest…)
}
# Purposes whose link signs the person in, once.
SINGLE_USE = frozenset({"space"})


def _current_generation(candidate_public_id: str) -> int:
    generation = Candidate.objects.filter(public_id=candidate_public_id).values_list("link_generation", flat=True)
    return generation.first() or 0


def make_token(*, candidate_public_id: str, purpose: str, data: dict[str, Any] | None = None) -> str:
    """Return a signed token for `purpose`, carrying optional `data` (and, to sign in, the link generation)."""
    payload = {"c": str(candidate_public_id), "p": purpose, "d": data or {}}
    if purpose in SINGLE_USE:
        payload["g"] = _current_generation(str(candidate_public_id))
    return signing.dumps(payload, salt=SALT, compress=True)


def _load(token: str, purpose: str) -> dict[str, Any]:
    payload = signing.loads(token, salt=SALT, max_age=MAX_AGE[purpose])
    if not isinstance(payload, dict) or payload.get("p") != purpose:
        raise signing.BadSignature("wrong purpose")
    return payload


def read_token(token: str, *, purpose: str) -> tuple[str, dict[str, Any]]:
    """Return (candidate public id, data); raise signing.BadSignature if tampered, expired or misused."""
    payload = _load(token, purpose)
    return payload["c"], payload.get("d", {})


def read_sign_in_token(token: str, *, purpose: str = "space") -> tuple[str, int]:
    """Return (candidate public id, link generation) of a sign-in token; raise signing.BadSignature if
    tampered, expired, of another purpose or made without a generation."""
    payload = _load(token, purpose)
    generation = payload.get("g")
    if purpose not in SINGLE_USE or not isinstance(generation, int):
        raise signing.BadSignature("not a sign-in token")
    return payload["c"], generation
