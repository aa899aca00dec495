"""The signed link a referred person receives: it names the referral, and lasts as long as an unconfirmed
sign-up (after that the referral is purged, partners/services.py)."""

from django.core import signing

from candidates.services import UNCONFIRMED_TTL

SALT = "tescforce.partners.referral"


def make_token(referral) -> str:
    return signing.dumps({"r": str(referral.public_id)}, salt=SALT, compress=True)


def read_token(token: str) -> str:
    """Return the referral's public id; raise signing.BadSignature if tampered or expired."""
    payload = signing.loads(token, salt=SALT, max_age=int(UNCONFIRMED_TTL.total_seconds()))
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), str):
        raise signing.BadSignature("not a referral token")
    return payload["r"]
