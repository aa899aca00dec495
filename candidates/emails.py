"""The e-mails sent to candidates, in the language they used on the site."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tescforce.mail import send_templated

from . import tokens
from .models import Candidate

# kind → (template stem, token purpose, url name)
KINDS = {
    "confirm": ("confirm", "confirm", "candidates:confirm"),
    "already": ("already", "space", "candidates:space_enter"),
    "space": ("space", "space", "candidates:space_enter"),
    "action": ("action", "action", "candidates:action_confirm"),
}


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send_candidate_email(*, candidate: Candidate, kind: str, language: str, action: dict | None = None) -> None:
    """Render and send one e-mail of `kind` carrying a signed link, in `language`."""
    stem, purpose, url_name = KINDS[kind]
    data = {"a": action} if action else None
    token = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose=purpose, data=data)
    with translation.override(language):
        link = absolute(reverse(url_name, kwargs={"token": token}))
        context = {"candidate": candidate, "link": link, "action": action,
                   "space_url": absolute(reverse("candidates:space_request"))}
        if action and kind == "already":
            # A known person who asked for something while registering again confirms it here.
            action_token = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose="action",
                                             data={"a": action})
            context["action_link"] = absolute(reverse("candidates:action_confirm", kwargs={"token": action_token}))
    send_templated(template=f"candidates/email/{stem}", context=context, to=[candidate.email], language=language)
