"""E-mail backends for tests: a mail server that refuses every message."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend

FAILING = "tests.mail_backends.FailingBackend"


class FailingBackend(BaseEmailBackend):
    """Raise as an SMTP server that drops the connection would."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")
