"""Every e-mail the platform sends is built here, from templates, in the recipient's language.

`template` is a prefix: `<prefix>_subject.txt` gives the subject (unless the caller composes it and passes
`subject`), `<prefix>_body.txt` the plain-text body and `<prefix>_body.html`, when it exists, the HTML part.
Every message has both parts in one layout: the text body gets the common footer of
`tescforce/email/layout.txt`; the HTML part is `<prefix>_body.html` (which extends
`tescforce/email/layout.html`) or, without one, the text body set in that layout (paragraphs, links).
The layout is real text with a `lang` attribute, readable without images.
Each message carries `Content-Language`, a `Message-ID` on the site's own domain (SITE_URL) and, when
DEFAULT_REPLY_TO_EMAIL is set, a `Reply-To`. A recurring message the person chose passes `unsubscribe_url`:
it gets the one-click unsubscribe headers of RFC 8058 and the link in both footers.
`build_templated` returns the message unsent (the events
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
from django.utils.html import escape, urlize
from django.utils.safestring import SafeString, mark_safe

TEXT_LAYOUT = "tescforce/email/layout.txt"
HTML_LAYOUT = "tescforce/email/layout.html"


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


def text_to_html(text: str) -> SafeString:
    """Return a plain-text body as HTML: escaped, one paragraph per blank-line block, addresses as links."""
    paragraphs = [block.strip("\n") for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    html = []
    for block in paragraphs:
        lines = [urlize(escape(line), autoescape=False) for line in block.split("\n")]
        html.append(f"<p>{'<br>'.join(lines)}</p>")
    return mark_safe("\n".join(html))  # every line was escaped above


def _layout_context(context: dict, unsubscribe_url: str | None, reply_to: list[str] | None) -> dict:
    return {**context, "site_url": settings.SITE_URL, "unsubscribe_url": unsubscribe_url,
            "team_address": reply_to[0] if reply_to else ""}


def _html_body(template: str, context: dict, text_body: str) -> str:
    try:
        html = get_template(f"{template}_body.html")
    except TemplateDoesNotExist:
        return get_template(HTML_LAYOUT).render({**context, "text_content": text_to_html(text_body)})
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
    unsubscribe_url: str | None = None,
    inline_images: Iterable[tuple[str, bytes, str]] = (),
) -> EmailMultiAlternatives:
    """Render the e-mail `template` in `language` (the site's default when None) and return it unsent.

    `inline_images`: (content id, bytes, image subtype such as "png") the HTML part shows as `cid:<content id>`.
    """
    language = _language(language)
    if reply_to is None:
        reply_to = [settings.DEFAULT_REPLY_TO_EMAIL] if settings.DEFAULT_REPLY_TO_EMAIL else None
    context = _layout_context(context, unsubscribe_url, reply_to)
    with translation.override(language):
        if subject is None:
            subject = render_text(f"{template}_subject.txt", context)
        subject = one_line(subject)
        text = render_text(f"{template}_body.txt", context)
        body = render_text(TEXT_LAYOUT, {**context, "text_content": text.rstrip() + "\n"})
        html = _html_body(template, {**context, "subject": subject}, text)
    extra = {"Content-Language": language, "Message-ID": message_id()}
    if unsubscribe_url:
        # RFC 8058: a mail client unsubscribes with one POST to this address, the person signed in or not.
        extra.update({"List-Unsubscribe": f"<{unsubscribe_url}>",
                      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    message = TemplatedEmail(
        subject=subject, body=body, from_email=from_email or settings.DEFAULT_FROM_EMAIL, to=list(to),
        reply_to=reply_to, connection=connection, inline_images=inline_images,
        headers={**extra, **(headers or {})},
    )
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
