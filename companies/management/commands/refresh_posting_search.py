from django.core.management.base import BaseCommand

from companies import search


class Command(BaseCommand):
    help = "Recompute every job posting's full-text search vector (after bulk loads that skip signals)."

    def handle(self, *args, **options):
        count = search.refresh_all()
        self.stdout.write(f"{count} postings refreshed.")
