"""E-mail backends for tests: mail servers that refuse every message."""

from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend

FAILING = "tests.mail_backends.FailingBackend"
REFUSING = "tests.mail_backends.RefusingBackend"


class FailingBackend(BaseEmailBackend):
    """Raise as an SMTP server that drops the connection would."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingBackend(BaseEmailBackend):
    """Refuse every recipient, quoting their addresses as SMTP servers do."""

    def send_messages(self, email_messages):
        raise SMTPRecipientsRefused({to: (550, f"5.1.1 <{to}>: Recipient address rejected".encode())
                                     for message in email_messages for to in message.to})
