"""Load production-size data into the PostgreSQL benchmark database (default: tescforce_bench).

    .venv/bin/python bench/load_data.py                       # or: make bench-load (100,000 candidates)
    .venv/bin/python bench/load_data.py --candidates 10000    # the other kinds of rows scale with it

Idempotent: each kind of row is topped up to its target count, so a second run does nothing and an
interrupted run resumes. Values are realistic (French names, Occitanie cities, the Skill table, ROME
codes) but clearly fictional (e-mails under example.org). Besides the people, postings, sessions and
prospects, the staff pages' own rows: consents, interests, orientations and hotline calls. Ends with
`VACUUM ANALYZE`. BENCH_DATABASE_URL overrides the database.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tescforce_bench")
DEFAULT_CANDIDATES = 100_000
# Rows per candidate, the proportions of the production estimate (issue 21: 100k candidates, 10k postings,
# 50k registrations, 10k prospects, 20k meetings). Use cases are a fixed editorial set.
PER_CANDIDATE = {
    "companies": 0.02,
    "postings": 0.1,
    "sessions": 0.01,  # 50 registrations each
    "registrations": 0.5,
    "prospects": 0.1,
    "meetings": 0.2,
    "interests": 0.3,
    "orientations": 0.1,
    "calls": 0.2,
}
TARGETS: dict[str, int] = {}


def set_targets(candidates: int) -> dict[str, int]:
    TARGETS.clear()
    TARGETS["candidates"] = candidates
    TARGETS.update({key: max(1, round(candidates * ratio)) for key, ratio in PER_CANDIDATE.items()})
    TARGETS["use_cases"] = 40
    return TARGETS


set_targets(DEFAULT_CANDIDATES)
BATCH = 5_000


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = _words(
    "Léa Emma Chloé Manon Camille Inès Jade Louise Zoé Lina Sarah Alice Juliette Clara Anaïs Mathilde Élise "
    "Margaux Pauline Lucie Nina Rose Amandine Céline Sophie Nadia Yasmine Fatima Aïcha Mélanie Hélène "
    "Lucas Hugo Louis Nathan Gabriel Jules Arthur Léo Raphaël Adam Paul Thomas Maxime Antoine Julien Nicolas "
    "Mehdi Karim Yanis Rayan Samir Baptiste Romain Quentin Florian Bastien Théo Mathis Clément Étienne Jérôme"
)
LAST_NAMES = _words(
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy Roux "
    "David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefèvre Faure "
    "André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin Clément "
    "Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer "
    "Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard "
    "Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix "
    "Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet Rolland Fabre Castan Azéma Cazals Fabié Bousquet "
    "Delmas Vidalenc Sabatier Escande Marty Rouquette Maury Astruc Pujol Sicard Teisseire Carrère Lafont"
)
COMPANY_WORDS = _words(
    "Capitole Garonne Occitane Pastel Brique Canal Midi Pyrène Lez Cévennes Camargue Minervois Albigeois "
    "Lauragais Tarn Aveyron Quercy Gascogne Catalane Larzac Causses Aude Hérault Lot Gers Ariège Comminges"
)
COMPANY_SUFFIXES = ["Numérique", "Logiciels", "Data", "Conseil", "Systèmes", "Digital", "Cloud", "Cyber",
                    "Solutions", "Ingénierie", "Lab", "Tech", "Services", "Informatique", "Embarqué"]
TITLES = ["Développeur·se {s}", "Ingénieur·e {s}", "Tech lead {s}", "Consultant·e {s}", "Architecte {s}",
          "Administrateur·rice {s}", "Chef·fe de projet {s}", "Data engineer {s}", "Expert·e {s}",
          "Alternant·e {s}", "Analyste {s}", "Product owner {s}"]
COUNTRIES = ["US", "CA", "TW", "JP", "KR", "IN", "SG", "DE", "GB", "ES", "IT", "BE", "CH", "NL", "TN", "MA",
             "SN", "BR", "MX", "IL", "AE", "SE", "DK", "FI", "PL", "PT", "IE", "AU", "CN", "VN"]
PROSPECT_WORDS = _words("Nova Apex Quantum Orbit Vertex Helix Nimbus Vector Lumen Atlas Zenith Polaris Aurora Ion "
                        "Kepler Tesla Sigma Delta Omega Pixel Cortex Fusion Matrix Nexus Stratus")
PROSPECT_SUFFIXES = ["Systems", "Labs", "Technologies", "Robotics", "Analytics", "Networks", "Software",
                     "Aerospace", "Energy", "Health", "Mobility", "Semiconductors"]


def setup_django() -> None:
    os.environ["DATABASE_URL"] = BENCH_DATABASE_URL
    os.environ["REDIS_URL"] = ""  # tasks (if any fire) run in-process; nothing waits on a worker
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tescforce.settings")
    _create_database()
    import django

    django.setup()


def _create_database() -> None:
    import psycopg
    from psycopg import sql

    name = BENCH_DATABASE_URL.rsplit("/", 1)[1]
    server = BENCH_DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def step(label: str, missing: int):
    """Print what a step does and return a function that prints its duration."""
    started = time.monotonic()
    print(f"{label}: {'adding ' + format(missing, ',') if missing > 0 else 'already loaded'}", flush=True)

    def done():
        if missing > 0:
            print(f"  done in {time.monotonic() - started:.1f} s", flush=True)

    return done


def bulk(model, rows, batch: int = BATCH) -> list:
    created = []
    for i in range(0, len(rows), batch):
        created += model.objects.bulk_create(rows[i:i + batch], batch_size=batch)
    return created


def choices(model_choices, *, exclude=()) -> list[str]:
    return [value for value in model_choices.values if value not in exclude]


def load() -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from candidates.models import Candidate
    from companies import search
    from companies.models import Company, JobFamily, JobPosting, Skill
    from events.models import Edition, Programme, Registration, Session
    from prospecting.models import Meeting, Prospect
    from showroom import search as showroom_search
    from showroom.models import Sector, Technology, UseCase
    from tescforce.reference_data import OCCITANIE_CITIES

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(2026)  # noqa: S311 - fictional data, reproducible
    now = timezone.now()
    cities = [(name, postcode) for name, postcode, _dept in OCCITANIE_CITIES]
    # Most of the sector is in the two metropolises.
    weighted_cities = [c for c in cities if c[0] in ("Toulouse", "Montpellier")] * 12 + cities
    skills = list(Skill.objects.values_list("id", flat=True))
    skill_names = dict(Skill.objects.values_list("id", "name"))
    families = list(JobFamily.objects.values_list("id", flat=True))
    sectors = list(Sector.objects.values_list("id", flat=True))
    technologies = list(Technology.objects.values_list("id", flat=True))
    if not (skills and families and sectors):
        sys.exit("Reference data missing: migrations should have loaded skills, ROME codes and sectors.")

    # Companies
    missing = TARGETS["companies"] - Company.objects.count()
    done = step("companies", missing)
    if missing > 0:
        start = Company.objects.count()
        rows = []
        for i in range(start, start + missing):
            city, postcode = rng.choice(weighted_cities)
            name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_SUFFIXES)} {i + 1}"
            rows.append(Company(
                name=name, slug=f"bench-entreprise-{i + 1}", kind=rng.choice(choices(Company.Kind)),
                size=rng.choice(choices(Company.Size)), city=city, postcode=postcode,
                is_member=rng.random() < 0.3, website=f"https://entreprise-{i + 1}.example.com",
                description=f"{name} conçoit des logiciels et services numériques depuis {city}.",
            ))
        bulk(Company, rows)
    done()
    company_ids = list(Company.objects.values_list("id", flat=True))

    # Job postings, with required and nice-to-have skills
    missing = TARGETS["postings"] - JobPosting.objects.count()
    done = step("job postings", missing)
    if missing > 0:
        start = JobPosting.objects.count()
        rows, picked = [], []
        statuses = ["published"] * 7 + ["filled", "closed", "draft"]
        for i in range(start, start + missing):
            required = rng.sample(skills, 4)
            nice = rng.sample([s for s in skills if s not in required], 2)
            title = rng.choice(TITLES).format(s=skill_names[required[0]])
            city, postcode = rng.choice(weighted_cities)
            status = rng.choice(statuses)
            published = now - timedelta(days=rng.randint(0, 180), minutes=rng.randint(0, 1440))
            salary = rng.randrange(28_000, 60_000, 1_000)
            rows.append(JobPosting(
                company_id=rng.choice(company_ids), title=title, slug=f"bench-offre-{i + 1}",
                job_family_id=rng.choice(families), contract=rng.choice(choices(JobPosting.Contract)),
                description=(f"Au sein d'une équipe de {rng.randint(3, 20)} personnes à {city}, vous travaillez "
                             f"avec {skill_names[required[0]]} et {skill_names[required[1]]}. "
                             "Accompagnement, formation continue et télétravail possible."),
                city=city, postcode=postcode, remote=rng.choice(choices(JobPosting.Remote)),
                level=rng.choice(choices(JobPosting.Level)), open_to_retraining=rng.random() < 0.35,
                salary_min=salary, salary_max=salary + rng.randrange(0, 15_000, 1_000),
                openings=rng.randint(1, 3), status=status,
                published_at=published if status != "draft" else None,
                closes_on=(now + timedelta(days=rng.randint(10, 120))).date() if rng.random() < 0.5 else None,
            ))
            picked.append((required, nice))
        with transaction.atomic():
            created = bulk(JobPosting, rows)
            required_rows, nice_rows = [], []
            for posting, (required, nice) in zip(created, picked, strict=True):
                required_rows += [JobPosting.skills_required.through(jobposting_id=posting.pk, skill_id=s)
                                  for s in required]
                nice_rows += [JobPosting.skills_nice.through(jobposting_id=posting.pk, skill_id=s) for s in nice]
            bulk(JobPosting.skills_required.through, required_rows, batch=20_000)
            bulk(JobPosting.skills_nice.through, nice_rows, batch=20_000)
        print(f"  search vectors: {search.refresh_all()} postings", flush=True)
    done()

    # Candidates, with skills and desired jobs
    missing = TARGETS["candidates"] - Candidate.objects.count()
    done = step("candidates", missing)
    if missing > 0:
        start = Candidate.objects.count()
        stages = ["registered"] * 10 + ["qualified"] * 5 + ["oriented"] * 3 + ["in_recruitment"] * 2 + \
                 ["hired", "withdrawn"]
        for chunk in range(start, start + missing, 20_000):
            rows, picked = [], []
            for i in range(chunk, min(chunk + 20_000, start + missing)):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                city, postcode = rng.choice(weighted_cities)
                if rng.random() < 0.08:  # people moving in from other regions
                    city, postcode = rng.choice([("Paris", "75011"), ("Lyon", "69003"), ("Nantes", "44000"),
                                                 ("Bordeaux", "33000"), ("Lille", "59000")])
                rows.append(Candidate(
                    first_name=first, last_name=last,
                    email=f"{first.lower()}.{last.lower()}.{i + 1}@example.org",
                    phone=f"+336{rng.randint(10_000_000, 99_999_999)}", city=city, postcode=postcode,
                    profile=rng.choice(choices(Candidate.Profile)),
                    education=rng.choice(choices(Candidate.Education)),
                    experience=rng.choice(choices(Candidate.Experience)),
                    contract_wanted=rng.choice(choices(Candidate.Contract)),
                    stage=rng.choice(stages), mobility_toulouse=rng.random() < 0.5,
                    mobility_montpellier=rng.random() < 0.3, mobility_remote=rng.random() < 0.4,
                    shown_to_recruiters=rng.random() < 0.7, from_other_region=not postcode.startswith(
                        ("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82")),
                    confirmed_at=now - timedelta(days=rng.randint(0, 700)) if rng.random() < 0.9 else None,
                ))
                picked.append((rng.sample(skills, rng.randint(2, 8)), rng.sample(families, rng.randint(1, 2))))
            with transaction.atomic():
                created = bulk(Candidate, rows)
                skill_rows, family_rows = [], []
                for candidate, (their_skills, their_families) in zip(created, picked, strict=True):
                    skill_rows += [Candidate.skills.through(candidate_id=candidate.pk, skill_id=s)
                                   for s in their_skills]
                    family_rows += [Candidate.desired_job_families.through(candidate_id=candidate.pk, jobfamily_id=f)
                                    for f in their_families]
                bulk(Candidate.skills.through, skill_rows, batch=20_000)
                bulk(Candidate.desired_job_families.through, family_rows, batch=20_000)
            print(f"  {min(chunk + 20_000, start + missing):,} candidates", flush=True)
        # Spread sign-up dates over two years (auto_now_add stamped them all with now).
        with connection.cursor() as cursor:
            cursor.execute("UPDATE candidates_candidate SET created_at = now() - random() * interval '730 days', "
                           "last_activity_at = now() - random() * interval '365 days' "
                           "WHERE email LIKE '%%@example.org'")
    done()
    candidate_ids = list(Candidate.objects.values_list("id", flat=True))

    # Sessions: half past, half upcoming, in the edition of their year
    missing = TARGETS["sessions"] - Session.objects.count()
    done = step("sessions", missing)
    if missing > 0:
        programme, _ = Programme.objects.get_or_create(slug="numeric-emploi", defaults={"name": "Numéric Emploi"})
        editions = {}
        for year in range(now.year - 2, now.year + 2):
            editions[year], _ = Edition.objects.get_or_create(
                programme=programme, number=year - 2020,
                defaults={"name": f"Édition {year}", "year": year, "starts_on": now.date().replace(year=year)})
        formats = choices(Session.Format, exclude=("online",))
        rows = []
        for i in range(missing):
            city, postcode = rng.choice(weighted_cities)
            starts = (now + timedelta(days=rng.randint(-540, 365))).replace(minute=0, second=0, microsecond=0)
            starts = starts.replace(hour=rng.choice([9, 10, 14, 18]))
            year = min(max(starts.year, now.year - 2), now.year + 1)
            session_format = rng.choice(formats)
            rows.append(Session(
                edition=editions[year], title=f"{Session.Format(session_format).label} {city} n°{i + 1}",
                city=city, postcode=postcode, venue=f"Espace numérique de {city}", format=session_format,
                starts_at=starts, ends_at=starts + timedelta(hours=3), capacity=rng.choice([60, 80, 100]),
                programme_text="Accueil, présentation des entreprises, entretiens.",
            ))
        bulk(Session, rows)
    done()

    # Registrations: 50 per session until the target is reached
    missing = TARGETS["registrations"] - Registration.objects.count()
    done = step("registrations", missing)
    if missing > 0:
        per_session = 50
        taken = set(Registration.objects.values_list("session_id", flat=True).distinct())
        sessions = list(Session.objects.exclude(pk__in=taken).values_list("id", "starts_at"))
        rows = []
        for session_id, starts_at in sessions[: -(-missing // per_session)]:
            past = starts_at < now
            for candidate_id in rng.sample(candidate_ids, per_session):
                status = (rng.choice(["attended"] * 6 + ["no_show", "cancelled"]) if past
                          else rng.choice(["confirmed"] * 9 + ["cancelled"]))
                rows.append(Registration(session_id=session_id, candidate_id=candidate_id, status=status))
        bulk(Registration, rows[:missing], batch=10_000)
    done()

    # Use cases
    missing = TARGETS["use_cases"] - UseCase.objects.count()
    done = step("use cases", missing)
    if missing > 0:
        start = UseCase.objects.count()
        created = []
        for i in range(start, start + missing):
            topic = rng.choice(["Jumeau numérique", "Maintenance prédictive", "Vision industrielle",
                                "Plateforme de données", "Cybersécurité OT", "IA pour le diagnostic"])
            use_case = UseCase(
                title_fr=f"{topic} n°{i + 1}", title_en=f"{topic} (EN) #{i + 1}", slug=f"bench-cas-{i + 1}",
                summary_fr=f"{topic} déployé pour un client d'Occitanie.",
                summary_en=f"{topic} deployed for a client in Occitanie.",
                body_fr="Contexte, solution et résultats mesurés. " * 20,
                body_en="Context, solution and measured results. " * 20,
                results_fr="Temps d'arrêt réduit de 30 %.", results_en="Downtime cut by 30%.",
                sector_id=rng.choice(sectors), client_type=rng.choice(choices(UseCase.ClientType)),
                is_published=True, is_featured=i < 6,
            )
            created.append(use_case)
        created = bulk(UseCase, created)
        for use_case in created:
            if technologies:
                use_case.technologies.set(rng.sample(technologies, min(3, len(technologies))))
            use_case.companies.set(rng.sample(company_ids, 2))
        print(f"  search vectors: {showroom_search.refresh_all()} use cases", flush=True)
    done()

    # Prospects and meetings
    missing = TARGETS["prospects"] - Prospect.objects.count()
    done = step("prospects", missing)
    if missing > 0:
        start = Prospect.objects.count()
        stages = [s for s in choices(Prospect.Stage) if s != "lost"]
        rows = [Prospect(
            name=f"{rng.choice(PROSPECT_WORDS)} {rng.choice(PROSPECT_SUFFIXES)} {i + 1}",
            country=rng.choice(COUNTRIES), sector_id=rng.choice(sectors), size=rng.choice(choices(Prospect.Size)),
            stage=rng.choice(stages), source=rng.choice(["Salon", "Ad'Occ", "Invest in Toulouse", "Réseau"]),
        ) for i in range(start, start + missing)]
        bulk(Prospect, rows)
    done()
    prospect_ids = list(Prospect.objects.values_list("id", flat=True))

    missing = TARGETS["meetings"] - Meeting.objects.count()
    done = step("meetings", missing)
    if missing > 0:
        rows = [Meeting(
            prospect_id=rng.choice(prospect_ids),
            starts_at=now - timedelta(days=rng.randint(-60, 1000), hours=rng.randint(0, 10)),
            is_online=(online := rng.random() < 0.4),
            place="" if online else rng.choice(["Toulouse", "Montpellier", "CES Las Vegas", "Computex Taipei",
                                                "Hannover Messe", "VivaTech Paris"]),
            online_url="https://visio.example.com/reunion" if online else "",
            notes="Présentation des cas d'usage et de l'écosystème régional.",
            outcome=rng.choice(choices(Meeting.Outcome)),
        ) for _ in range(missing)]
        bulk(Meeting, rows)
    done()

    load_candidate_activity(rng, now, candidate_ids)
    load_history(rng, now)

    # VACUUM, not only ANALYZE: the updates of the load (search vectors, stages) leave dead rows that a
    # fresh production database would not have, and the planner's statistics must see the final tables.
    print("vacuum analyze", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return counts()


def _new_pairs(model, count: int, candidate_ids: list, postings: list, rng) -> list[tuple[int, int]]:
    """`count` random (candidate, posting) pairs that `model` does not hold yet (one row per pair)."""
    taken = set(model.objects.values_list("candidate_id", "posting_id"))
    pairs = []
    while len(pairs) < count:
        pair = (rng.choice(candidate_ids), rng.choice(postings))
        if pair not in taken:
            taken.add(pair)
            pairs.append(pair)
    return pairs


def load_candidate_activity(rng: random.Random, now, candidate_ids: list[int]) -> None:
    """Consents, interests, orientations and hotline calls: the rows the staff pages and the dashboard read."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from candidates import wording
    from candidates.models import Candidate, Consent, JobInterest, Orientation
    from candidates.search import contact_key
    from companies.models import JobPosting
    from hotline.models import HotlineCall

    # Consents: every confirmed person agreed to the processing; those shown to recruiters to that too,
    # and some to being put forward on a match. Topped up per person who has none yet.
    without = list(Candidate.objects.filter(consents__isnull=True, confirmed_at__isnull=False)
                   .values_list("id", "confirmed_at", "shown_to_recruiters"))
    done = step("consents (people)", len(without))
    rows = []
    for candidate_id, confirmed_at, shown in without:
        kinds = [Consent.Kind.PROCESSING] + ([Consent.Kind.SHOWN_TO_RECRUITERS] if shown else [])
        if shown and rng.random() < 0.5:
            kinds.append(Consent.Kind.SHOWN_ON_MATCH)
        channel = rng.choice([Consent.Channel.WEB] * 8 + [Consent.Channel.PHONE, Consent.Channel.DESK])
        rows += [Consent(candidate_id=candidate_id, kind=kind, wording_version=wording.VERSIONS[kind],
                         channel=channel, given_at=confirmed_at) for kind in kinds]
    with transaction.atomic():
        bulk(Consent, rows, batch=20_000)
    done()

    posting_companies = dict(JobPosting.objects.filter(status="published").values_list("id", "company_id"))
    postings = list(posting_companies)
    started = now

    missing = TARGETS["interests"] - JobInterest.objects.count()
    done = step("interests", missing)
    if missing > 0 and postings:
        statuses = ["new"] * 6 + ["to_contact", "interview", "offer", "hired", "declined"]
        rows = [JobInterest(candidate_id=candidate_id, posting_id=posting_id, status=rng.choice(statuses),
                            confirmed_at=now if rng.random() < 0.8 else None)
                for candidate_id, posting_id in _new_pairs(JobInterest, missing, candidate_ids, postings, rng)]
        with transaction.atomic():
            bulk(JobInterest, rows, batch=20_000)
    done()

    missing = TARGETS["orientations"] - Orientation.objects.count()
    done = step("orientations", missing)
    if missing > 0 and postings:
        statuses = ["proposed"] * 4 + ["to_contact", "interview", "offer", "hired", "declined"]
        rows = [Orientation(candidate_id=candidate_id, posting_id=posting_id, company_id=posting_companies[posting_id],
                            status=rng.choice(statuses))
                for candidate_id, posting_id in _new_pairs(Orientation, missing, candidate_ids, postings, rng)]
        with transaction.atomic():
            bulk(Orientation, rows, batch=20_000)
    done()

    missing = TARGETS["calls"] - HotlineCall.objects.count()
    done = step("hotline calls", missing)
    if missing > 0:
        people = {pk: (first, last, str(phone)) for pk, first, last, phone in Candidate.objects.filter(
            pk__in=rng.sample(candidate_ids, min(len(candidate_ids), missing))).values_list(
            "id", "first_name", "last_name", "phone")}
        known = list(people)
        topics = list(HotlineCall.Topic.values)
        agent, _ = get_user_model().objects.get_or_create(username="bench-hotline",
                                                          defaults={"is_staff": True, "first_name": "Agent"})
        rows = []
        for i in range(missing):
            if known and rng.random() < 0.7:  # most callers are registered people
                candidate_id = rng.choice(known)
                first, last, phone = people[candidate_id]
            else:
                candidate_id, first, last = None, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                phone = f"+337{rng.randint(10_000_000, 99_999_999)}"
            contact = phone if rng.random() < 0.8 else f"{first.lower()}.{last.lower()}.appel{i}@example.org"
            rows.append(HotlineCall(
                candidate_id=candidate_id, caller_name=f"{first} {last}", caller_contact=contact,
                caller_key=contact_key(contact), direction=rng.choice(["in"] * 4 + ["out"]),
                channel=rng.choice(["phone"] * 6 + ["email", "visit"]), topic=rng.choice(topics),
                summary="Questions sur les sessions et les offres ; rappel proposé.",
                follow_up_due=(due := (now + timedelta(days=rng.randint(-20, 20))).date() if rng.random() < 0.2
                               else None),
                follow_up_owner=agent if due else None, logged_by=agent,
            ))
        with transaction.atomic():
            bulk(HotlineCall, rows, batch=20_000)
    done()
    # auto_now_add stamped the new rows with now: spread them over the past year.
    with connection.cursor() as cursor:
        for table in ("candidates_hotlinecall", "candidates_jobinterest", "candidates_orientation"):
            cursor.execute(f"UPDATE {table} SET created_at = now() - random() * interval '365 days' "  # noqa: S608
                           "WHERE created_at >= %s", [started])


CAMPAIGNS = 12


def load_history(rng: random.Random, now) -> None:
    """Campaigns of origin and each person's stage history: what the dashboard's counts per campaign and its
    funnel (stages reached, median days in each) read."""
    from django.db import connection, transaction

    from candidates.models import Campaign, Candidate, StageChange
    from tescforce.site.dashboard import PIPELINE_ORDER

    # Each stage's path through the pipeline; a withdrawn person left after registering or after qualifying.
    paths = {stage: list(PIPELINE_ORDER[:i + 1]) for i, stage in enumerate(PIPELINE_ORDER)}
    existing = Campaign.objects.count()
    done = step("campaigns (a third of the people came through one)", CAMPAIGNS - existing)
    if existing < CAMPAIGNS:
        cities = ["Paris", "Lyon", "Nantes", "Bordeaux", "Lille", "Marseille"]
        channels = choices(Campaign.Channel)
        rows = []
        for i in range(existing, CAMPAIGNS):
            starts = (now - timedelta(days=60 * i)).date()
            rows.append(Campaign(name=f"Talents Occitanie {cities[i % len(cities)]} {i + 1}",
                                 code=f"bench-campagne-{i + 1}", city=cities[i % len(cities)],
                                 channel=channels[i % len(channels)], starts_on=starts,
                                 ends_on=starts + timedelta(days=45)))
        bulk(Campaign, rows)
        ids = list(Campaign.objects.values_list("id", flat=True))
        with connection.cursor() as cursor:
            # random() is drawn for each row: one statement, even for a million people.
            cursor.execute("UPDATE candidates_candidate SET source_campaign_id = (%s::bigint[])"
                           "[1 + floor(random() * %s)::int] WHERE source_campaign_id IS NULL AND random() < 0.35",
                           [ids, len(ids)])
    done()

    # Read before the COPY starts: the connection serves one command at a time.
    without = list(Candidate.objects.filter(stage_changes__isnull=True).order_by("pk")
                   .values_list("id", "stage", "created_at"))
    done = step("stage history", len(without))
    if without:
        with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {StageChange._meta.db_table} (candidate_id, from_stage, to_stage, changed_at, comment) "
                "FROM STDIN") as copy:
            for candidate_id, stage, created_at in without:
                path = paths.get(stage) or (["registered", "qualified", "withdrawn"] if rng.random() < 0.5
                                            else ["registered", "withdrawn"])
                at, before = created_at, ""
                for to_stage in path:
                    copy.write_row((candidate_id, before, to_stage, min(at, now), ""))
                    at, before = at + timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 23)), to_stage
    done()


def counts() -> dict:
    from candidates.models import Candidate, Consent, JobInterest, Orientation, StageChange
    from companies.models import Company, JobPosting
    from events.models import Registration, Session
    from hotline.models import HotlineCall
    from prospecting.models import Meeting, Prospect
    from showroom.models import UseCase

    models = {"companies": Company, "postings": JobPosting, "candidates": Candidate, "sessions": Session,
              "registrations": Registration, "use_cases": UseCase, "prospects": Prospect, "meetings": Meeting,
              "consents": Consent, "interests": JobInterest, "orientations": Orientation, "calls": HotlineCall,
              "stage changes": StageChange}
    return {key: model.objects.count() for key, model in models.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=DEFAULT_CANDIDATES,
                        help="candidates to load (default 100,000); postings, sessions, registrations, "
                             "prospects, meetings, interests, orientations and calls scale with it")
    args = parser.parse_args()
    set_targets(args.candidates)
    started = time.monotonic()
    setup_django()
    result = load()
    print(f"bench data ready in {time.monotonic() - started:.0f} s: "
          + ", ".join(f"{key}={value:,}" for key, value in result.items()))


if __name__ == "__main__":
    main()
