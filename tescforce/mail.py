"""Every e-mail the platform sends is built here, from templates, in the recipient's language.

`template` is a prefix: `<prefix>_subject.txt` gives the subject (unless the caller composes it and passes
`subject`), `<prefix>_body.txt` the plain-text body and, when it exists, `<prefix>_body.html` an HTML part.
Each message carries `Content-Language`, a `Message-ID` on the site's own domain (SITE_URL) and, when
DEFAULT_REPLY_TO_EMAIL is set, a `Reply-To`. `build_templated` returns the message unsent (the events
outbox claims a row, then sends, then marks it; the job-dating agenda sends after its commit);
`send_templated` builds and sends, raising when the mail server refuses, so that callers can retry.
Images the HTML part shows (`<img src="cid:…">`, as Gmail and Outlook show neither inline SVG nor `data:`
images) go in `inline_images`. Nothing here logs an address.
"""

from collections.abc import Iterable
from email.mime.image import MIMEImage
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
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


class TemplatedEmail(EmailMultiAlternatives):
    """An e-mail whose HTML part may show its own images: a multipart/related part holds the text and HTML
    alternatives and the images (RFC 2387); attachments stay beside it, in the outer multipart/mixed."""

    def __init__(self, *args, inline_images: Iterable[tuple[str, bytes, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.inline_images = list(inline_images)

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if not self.inline_images:
            return msg
        related = SafeMIMEMultipart(_subtype="related", encoding=self.encoding or settings.DEFAULT_CHARSET)
        related.attach(msg)
        for cid, content, subtype in self.inline_images:
            image = MIMEImage(content, subtype)
            image.add_header("Content-ID", f"<{cid}>")
            image.add_header("Content-Disposition", "inline", filename=f"{cid}.{subtype}")
            related.attach(image)
        return related


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
    inline_images: Iterable[tuple[str, bytes, str]] = (),
) -> EmailMultiAlternatives:
    """Render the e-mail `template` in `language` (the site's default when None) and return it unsent.

    `inline_images`: (content id, bytes, image subtype such as "png") the HTML part shows as `cid:<content id>`.
    """
    language = _language(language)
    with translation.override(language):
        if subject is None:
            subject = render_text(f"{template}_subject.txt", context)
        subject = one_line(subject)
        body = render_text(f"{template}_body.txt", context)
        html = _html_body(template, context)
    if reply_to is None:
        reply_to = [settings.DEFAULT_REPLY_TO_EMAIL] if settings.DEFAULT_REPLY_TO_EMAIL else None
    message = TemplatedEmail(
        subject=subject, body=body, from_email=from_email or settings.DEFAULT_FROM_EMAIL, to=list(to),
        reply_to=reply_to, connection=connection, inline_images=inline_images,
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
