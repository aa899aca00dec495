"""Every e-mail the platform sends is built here, from templates, in the recipient's language.

`template` is a prefix: `<prefix>_subject.txt` gives the subject (unless the caller composes it and passes
`subject`), `<prefix>_body.txt` the plain-text body and, when it exists, `<prefix>_body.html` an HTML part.
Each message carries `Content-Language`, a `Message-ID` on the site's own domain (SITE_URL) and, when
DEFAULT_REPLY_TO_EMAIL is set, a `Reply-To`. `build_templated` returns the message unsent (the events
outbox claims a row, then sends, then marks it; the job-dating agenda sends after its commit);
`send_templated` builds and sends, raising when the mail server refuses, so that callers can retry.
Nothing here logs an address.
"""

from collections.abc import Iterable
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation


def site_domain() -> str:
    """Return the host of SITE_URL, the right-hand side of the platform's Message-IDs."""
    return urlsplit(settings.SITE_URL).hostname or "tescforce.invalid"


def message_id(local: str | None = None) -> str:
    """Return a Message-ID on the site's domain; a fixed `local` part makes it the same on every attempt."""
    if local is None:
        return make_msgid(domain=site_domain())
    return f"<{local}@{site_domain()}>"


def _language(language: str | None) -> str:
    try:
        return translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def one_line(text: str) -> str:
    """Return `text` as one header line (a subject template may end with a newline or wrap)."""
    return " ".join(line.strip() for line in str(text).splitlines() if line.strip())


def render_text(name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping: a subject or a text body shows "R&D", not "R&amp;D"."""
    return get_template(name).template.render(Context(context, autoescape=False))


def _html_body(template: str, context: dict) -> str | None:
    try:
        html = get_template(f"{template}_body.html")
    except TemplateDoesNotExist:
        return None
    return html.render(context)


def build_templated(
    *,
    template: str,
    context: dict,
    to: list[str],
    language: str | None,
    subject: str | None = None,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    reply_to: list[str] | None = None,
    headers: dict | None = None,
    from_email: str | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    """Render the e-mail `template` in `language` (the site's default when None) and return it unsent."""
    language = _language(language)
    with translation.override(language):
        if subject is None:
            subject = render_text(f"{template}_subject.txt", context)
        subject = one_line(subject)
        body = render_text(f"{template}_body.txt", context)
        html = _html_body(template, context)
    if reply_to is None:
        reply_to = [settings.DEFAULT_REPLY_TO_EMAIL] if settings.DEFAULT_REPLY_TO_EMAIL else None
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email or settings.DEFAULT_FROM_EMAIL, to=list(to),
        reply_to=reply_to, connection=connection,
        headers={"Content-Language": language, "Message-ID": message_id(), **(headers or {})},
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def send_templated(*, template: str, context: dict, to: list[str], language: str | None,
                   **options) -> EmailMultiAlternatives:
    """Build the e-mail as `build_templated` does (same options), send it, raising if refused; return it."""
    message = build_templated(template=template, context=context, to=to, language=language, **options)
    message.send(fail_silently=False)
    return message
