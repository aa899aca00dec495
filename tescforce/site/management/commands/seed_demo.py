import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tescforce.site.demo import data
from tescforce.site.demo.loader import seed_demo

# Models whose row counts the command reports.
COUNTED = [
    "companies.Company", "companies.Partner", "companies.Recruiter", "companies.JobPosting",
    "candidates.Candidate", "candidates.StageChange", "candidates.Consent", "candidates.Orientation",
    "candidates.JobInterest", "candidates.Campaign", "hotline.HotlineCall", "events.Edition",
    "events.Session", "events.Registration", "showroom.UseCase", "prospecting.Prospect", "prospecting.Meeting",
    "prospecting.Settlement",
]


class Command(BaseCommand):
    help = "Charge les données de démonstration (fictives) ; sans effet si elles sont déjà là."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Charger même si DEMO_MODE est désactivé (jamais en production).")

    def handle(self, *args, force: bool = False, **options):
        # Demo logins share one published password: refuse outside demo mode unless asked explicitly.
        if not getattr(settings, "DEMO_MODE", False) and not force:
            raise CommandError("DEMO_MODE est désactivé : les données de démonstration ne sont pas chargées "
                               "(--force pour passer outre).")
        started = time.monotonic()
        ctx = seed_demo()
        elapsed = time.monotonic() - started

        counts = ", ".join(f"{apps.get_model(label)._meta.model_name}={apps.get_model(label).objects.count()}"
                           for label in COUNTED)
        self.stdout.write(f"Données de démonstration chargées en {elapsed:.1f} s ({counts}).")
        self.stdout.write("")
        self.stdout.write(f"Connexions de démonstration sur /admin/ (mot de passe : {data.DEMO_PASSWORD})")
        rows = [("identifiant", "rôle", "état")]
        for spec in data.STAFF_USERS:
            role = "superutilisateur" if spec.get("superuser") else spec["role"]
            if spec.get("company"):
                role = f"{role} ({ctx.companies[spec['company']].name})"
            rows.append((spec["username"], role, ctx.user_notes.get(spec["username"], "")))
        for spec in data.PARTNER_MEMBERS:
            rows.append((spec["username"], f"partenaire ({spec['partner']}), sur /fr/partenaires/",
                         ctx.user_notes.get(spec["username"], "")))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for n, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
