from django.core.management.base import BaseCommand

from events.services import messages_sweep


class Command(BaseCommand):
    help = "Send the session e-mails still waiting (a failed send, or a worker lost mid-send)."

    def handle(self, *args, **options):
        sent = messages_sweep()
        self.stdout.write(f"{sent} message(s) sent")
