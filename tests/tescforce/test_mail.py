"""Every e-mail is built by tescforce.mail: the recipient's language, one-line subject, the site's headers."""

import pytest
from django.core import mail
from django.test import override_settings

from candidates.emails import send_candidate_email
from tescforce.mail import build_templated, send_templated

TEMPLATES = {
    "mailtest/hello_subject.txt": '{% load i18n %}{% translate "Confirmez votre inscription à Tesc Force" %}\n'
                                  "  ({{ name }})\n",
    "mailtest/hello_body.txt": "{% autoescape off %}Bonjour {{ name }}{% endautoescape %}\n",
    "mailtest/hello_body.html": "<p>Bonjour {{ name }}</p>\n",
    "mailtest/plain_subject.txt": "Sans HTML",
    "mailtest/plain_body.txt": "Texte seul\n",
}


@pytest.fixture
def templates(settings):
    settings.TEMPLATES = [{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The test templates, then the apps' own (the common layout).
        "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES),
                                "django.template.loaders.app_directories.Loader"]},
    }]


def test_the_subject_is_rendered_in_the_recipients_language_on_one_line(templates):
    message = send_templated(template="mailtest/hello", context={"name": "Ann"}, to=["ann@example.org"],
                             language="en")
    assert message.subject == "Confirm your registration with Tesc Force (Ann)"
    assert mail.outbox[0].body.startswith("Bonjour Ann\n\n-- \n")
    assert mail.outbox[0].extra_headers["Content-Language"] == "en"


def test_an_html_template_adds_an_html_part(templates):
    send_templated(template="mailtest/hello", context={"name": "Ann & Bo"}, to=["ann@example.org"], language="fr")
    sent = mail.outbox[0]
    assert sent.alternatives == [("<p>Bonjour Ann &amp; Bo</p>\n", "text/html")]
    assert "text/html" in sent.message().as_string()


def test_without_an_html_template_the_text_is_set_in_the_common_layout(templates, settings):
    settings.SITE_URL = "https://tescforce.example"
    send_templated(template="mailtest/plain", context={}, to=["ann@example.org"], language=None)
    sent = mail.outbox[0]
    assert sent.message().get_content_type() == "multipart/alternative"
    html = sent.alternatives[0][0]
    assert '<html lang="fr">' in html
    assert "<p>Texte seul</p>" in html
    assert '<a href="https://tescforce.example/"' in html
    assert sent.extra_headers["Content-Language"] == "fr"  # the site's language when none is given


def test_a_text_body_becomes_escaped_paragraphs_with_live_links(templates):
    TEMPLATES["mailtest/links_body.txt"] = "Bonjour <Ann> & Bo,\n\nVotre lien :\nhttps://tescforce.example/fr/x/?a=1&b=2\n"
    send_templated(template="mailtest/links", subject="Lien", context={}, to=["ann@example.org"], language="en")
    html = mail.outbox[0].alternatives[0][0]
    assert "<p>Bonjour &lt;Ann&gt; &amp; Bo,</p>" in html
    assert '<p>Votre lien :<br><a href="https://tescforce.example/fr/x/?a=1&amp;b=2">' in html
    assert '<html lang="en">' in html


def test_an_unsubscribe_address_gives_the_one_click_headers_and_the_footer_link(templates):
    url = "https://tescforce.example/fr/alertes/desinscription/abc/"
    send_templated(template="mailtest/plain", context={}, to=["ann@example.org"], language="fr", unsubscribe_url=url)
    sent = mail.outbox[0]
    headers = sent.message()
    assert headers["List-Unsubscribe"] == f"<{url}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in sent.body
    assert f'href="{url}"' in sent.alternatives[0][0]
    send_templated(template="mailtest/plain", context={}, to=["ann@example.org"], language="fr")
    assert mail.outbox[1].message()["List-Unsubscribe"] is None


@override_settings(SITE_URL="https://emploi.tescforce.example:8443")
def test_the_message_id_is_on_the_sites_domain(templates):
    send_templated(template="mailtest/plain", context={}, to=["ann@example.org"], language="fr")
    send_templated(template="mailtest/plain", context={}, to=["ann@example.org"], language="fr")
    ids = [m.message()["Message-ID"] for m in mail.outbox]
    assert all(i.endswith("@emploi.tescforce.example>") for i in ids)
    assert ids[0] != ids[1]


def test_the_reply_to_comes_from_the_setting_and_is_absent_when_empty(templates, settings):
    settings.DEFAULT_REPLY_TO_EMAIL = ""
    send_templated(template="mailtest/plain", context={}, to=["ann@example.org"], language="fr")
    assert mail.outbox[0].message()["Reply-To"] is None
    settings.DEFAULT_REPLY_TO_EMAIL = "Équipe Tesc Force <contact@tescforce.example>"
    send_templated(template="mailtest/plain", context={}, to=["ann@example.org"], language="fr")
    assert mail.outbox[1].reply_to == ["Équipe Tesc Force <contact@tescforce.example>"]
    send_templated(template="mailtest/plain", context={}, to=["ann@example.org"], language="fr",
                   reply_to=["hotline@tescforce.example"])
    assert mail.outbox[2].reply_to == ["hotline@tescforce.example"]


def test_building_sends_nothing_and_a_composed_subject_and_attachments_are_kept(templates):
    message = build_templated(template="mailtest/plain", subject="Votre agenda\n", context={},
                              to=["ann@example.org"], language="en", headers={"Message-ID": "<fixed@x.example>"},
                              attachments=[("agenda.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")])
    assert mail.outbox == []
    assert message.subject == "Votre agenda"
    assert message.message()["Message-ID"] == "<fixed@x.example>"
    assert [a[0] for a in message.attachments] == ["agenda.ics"]


@pytest.mark.django_db
@override_settings(SITE_URL="https://tescforce.example", DEFAULT_REPLY_TO_EMAIL="contact@tescforce.example")
def test_a_real_e_mail_carries_the_headers(candidate):
    send_candidate_email(candidate=candidate, kind="confirm", language="en")
    sent = mail.outbox[0].message()
    assert mail.outbox[0].subject == "Confirm your registration with Tesc Force"
    assert sent["Content-Language"] == "en"
    assert sent["Message-ID"].endswith("@tescforce.example>")
    assert sent["Reply-To"] == "contact@tescforce.example"


def test_plain_text_parts_show_what_was_typed_and_the_html_part_escapes_it(templates):
    name = 'R&D <Lead> "Data"'
    message = send_templated(template="mailtest/hello", context={"name": name}, to=["ann@example.org"],
                             language="fr")
    assert message.subject == f"Confirmez votre inscription à Tesc Force ({name})"
    assert message.body.startswith(f"Bonjour {name}\n")
    html = message.alternatives[0][0]
    assert "R&amp;D &lt;Lead&gt; &quot;Data&quot;" in html


def test_a_posting_title_with_an_ampersand_reaches_the_interest_subject_unescaped(candidate, company_a):
    from candidates.tasks import send_interest_link
    from tests import factories

    posting = factories.JobPostingFactory(company=company_a, title="Ingénieur·e R&D <embarqué>")
    send_interest_link(candidate.pk, posting.pk, "fr")
    assert "Ingénieur·e R&D <embarqué>" in mail.outbox[-1].subject


def test_inline_images_sit_with_the_html_part_in_a_related_part_and_attachments_beside_it(templates):
    png = b"\x89PNG\r\n\x1a\nfake"
    send_templated(template="mailtest/hello", context={"name": "Ann"}, to=["ann@example.org"], language="fr",
                   attachments=[("a.ics", "BEGIN:VCALENDAR", "text/calendar")], inline_images=[("logo", png, "png")])
    mixed = mail.outbox[0].message()
    related, attachment = mixed.get_payload()
    assert (mixed.get_content_type(), related.get_content_type(), attachment.get_content_type()) == (
        "multipart/mixed", "multipart/related", "text/calendar")
    alternative, image = related.get_payload()
    assert [part.get_content_type() for part in alternative.get_payload()] == ["text/plain", "text/html"]
    assert image["Content-ID"] == "<logo>" and image.get_payload(decode=True) == png


def test_without_inline_images_the_message_keeps_its_plain_structure(templates):
    send_templated(template="mailtest/hello", context={"name": "Ann"}, to=["ann@example.org"], language="fr")
    assert mail.outbox[0].message().get_content_type() == "multipart/alternative"
