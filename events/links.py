"""Signed links of the events app (cancel a booking, answer the survey), valid for a month."""

from django.core import signing

SALT = "tescforce.events.link"
MAX_AGE = 31 * 24 * 3600


def make_link_token(*, purpose: str, registration_id: int) -> str:
    return signing.dumps({"p": purpose, "r": registration_id}, salt=SALT)


def read_link_token(token: str, *, purpose: str) -> int:
    """Return the registration id; raise signing.BadSignature if tampered, expired or misused."""
    payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    if not isinstance(payload, dict) or payload.get("p") != purpose or not isinstance(payload.get("r"), int):
        raise signing.BadSignature("wrong purpose")
    return payload["r"]
