"""Write the demo data set of `data.py` into the database, idempotently.

Rows are written directly with the ORM (this is demo data, not a business flow), but kept consistent:
stage history matches each candidate's stage, confirmed registrations never exceed a session's capacity,
a settled prospect has its settlement. Every row is found by a natural key first and only created when
missing, so a second run changes nothing. Dates are relative to the day of the first run.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone, translation
from django.utils.text import slugify
from stdnum import luhn

from candidates.wording import MATCHED_VERSION
from partners.selectors import candidate_step_dates
from tescforce.reference_data import postcode_for, skill_slug
from tescforce.text import fold

from . import data as D
from .calendar import working_day
from .courses import seed_courses

PARIS = ZoneInfo("Europe/Paris")


@dataclass
class Context:
    now: dt.datetime
    users: dict = field(default_factory=dict)
    user_notes: dict = field(default_factory=dict)
    partners: dict = field(default_factory=dict)
    companies: dict = field(default_factory=dict)
    skills: dict = field(default_factory=dict)
    families: dict = field(default_factory=dict)
    postings: list = field(default_factory=list)
    campaigns: dict = field(default_factory=dict)
    candidates: list = field(default_factory=list)
    sectors: dict = field(default_factory=dict)
    technologies: dict = field(default_factory=dict)
    use_cases: dict = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    def days(self, offset: float, hour: int = 10) -> dt.datetime:
        """Return the aware datetime `offset` days from today at `hour` (Paris time)."""
        day = self.today + dt.timedelta(days=int(offset))
        return dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS)

    def working_days(self, offset: int, hour: int, *, avoid: set) -> dt.datetime:
        """Return `days(offset, hour)` moved, away from today, to a working day not in `avoid`."""
        day = working_day(self.today + dt.timedelta(days=offset), step=-1 if offset < 0 else 1, avoid=avoid)
        avoid.add(day)
        return dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS)


def _model(label: str):
    """Return a model by label, or None when it does not exist (yet) in this code base."""
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _known_fields(model, values: dict) -> dict:
    """Keep only the fields the model has (for models that other parts of the code are still shaping)."""
    names = {f.name for f in model._meta.get_fields()} | {f.attname for f in model._meta.concrete_fields}
    return {k: v for k, v in values.items() if k in names}


_pending_dates: dict[tuple, dict] = {}


def _backdate(obj, **values) -> None:
    """Queue the demo's dates for auto_now_add fields, which save() always overwrites (see _write_dates)."""
    for name, value in values.items():
        _pending_dates.setdefault((type(obj), name), {})[obj.pk] = value


def _write_dates() -> None:
    """Write the queued dates with one UPDATE per model and field, in chunks."""
    for (model, name), by_pk in _pending_dates.items():
        items = list(by_pk.items())
        for start in range(0, len(items), 400):
            chunk = items[start:start + 400]
            model.objects.filter(pk__in=[pk for pk, _v in chunk]).update(**{name: Case(
                *[When(pk=pk, then=Value(value)) for pk, value in chunk], output_field=model._meta.get_field(name))})
    _pending_dates.clear()


def _ascii(text: str) -> str:
    return fold(text).replace(" ", "-")


def demo_siret(index: int) -> str:
    """Return a fictional SIRET with valid Luhn keys (SIREN and SIRET), stable for a given index."""
    siren8 = f"9{(index * 7919 + 1234567) % 10_000_000:07d}"  # leading 9: no real-looking prefix clash
    siren = siren8 + luhn.calc_check_digit(siren8)
    nic4 = f"{(index % 90) + 10:04d}"
    return siren + nic4 + luhn.calc_check_digit(siren + nic4)


def is_demo_user(user) -> bool:
    """Return True for an account that seed_demo created (only those get their password reset)."""
    return user.last_name == D.DEMO_LAST_NAME and user.email.lower().endswith("@" + D.DEMO_EMAIL_DOMAIN)


# ---------------------------------------------------------------------------------------------------------
def seed_users(ctx: Context) -> None:
    User = get_user_model()
    for spec in D.STAFF_USERS:
        username = spec["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=spec["first_name"], last_name=D.DEMO_LAST_NAME,
                        email=f"{username}@{D.DEMO_EMAIL_DOMAIN}", is_staff=True,
                        is_superuser=bool(spec.get("superuser")))
            user.set_password(D.DEMO_PASSWORD)
            user.save()
            ctx.user_notes[username] = "créé"
        elif is_demo_user(user):
            if not user.check_password(D.DEMO_PASSWORD) or not user.is_active or not user.is_staff:
                user.set_password(D.DEMO_PASSWORD)
                user.is_active = user.is_staff = True
                user.save()
                ctx.user_notes[username] = "mot de passe rétabli"
            else:
                ctx.user_notes[username] = "inchangé"
        else:
            # Someone else's account with this name: never touch it.
            ctx.user_notes[username] = "compte existant non modifié (mot de passe inconnu)"
            ctx.users[username] = user
            continue
        if spec.get("role"):
            user.groups.add(Group.objects.get(name=spec["role"]))
        ctx.users[username] = user


def seed_partners(ctx: Context) -> None:
    Partner = _model("companies.Partner")
    for spec in D.PARTNERS:
        defaults = {"kind": spec["kind"], "city": spec.get("city", ""), "website": spec.get("website", "")}
        if "(démo)" in spec["name"]:
            defaults |= {"contact_name": "Accueil (démo)",
                         "contact_email": f"contact-{slugify(spec['name'])}@{D.DEMO_EMAIL_DOMAIN}"}
        ctx.partners[spec["name"]], _ = Partner.objects.get_or_create(name=spec["name"], defaults=defaults)


def seed_companies(ctx: Context) -> None:
    Company = _model("companies.Company")
    CompanySite = _model("companies.CompanySite")
    Recruiter = _model("companies.Recruiter")
    other_city = {"Toulouse": "Montpellier", "Montpellier": "Toulouse"}
    for index, spec in enumerate(D.COMPANIES):
        what_fr, what_en = spec["what"]
        postcode = postcode_for(spec["city"])
        member_since = None
        if spec["member"]:
            member_since = dt.date(ctx.today.year - 1 - index % 6, 1 + index % 12, 1)
        company, created = Company.objects.get_or_create(slug=spec["slug"], defaults={
            "name": spec["name"], "siret": demo_siret(index), "kind": spec["kind"], "size": spec["size"],
            "website": f"https://{spec['slug']}.example.com", "city": spec["city"], "postcode": postcode,
            "is_member": spec["member"], "member_since": member_since,
            "description": f"{D.DEMO_MARK} : entreprise fictive. {what_fr}",
            "description_fr": f"{D.DEMO_MARK} : entreprise fictive. {what_fr}",
            "description_en": f"{D.DEMO_MARK_EN}: a fictional company. {what_en}",
        })
        ctx.companies[spec["slug"]] = company
        if created:
            CompanySite.objects.create(company=company, city=spec["city"], postcode=postcode,
                                       address=f"{10 + index} rue du Numérique (adresse fictive)",
                                       is_headquarters=True, headcount=[8, 35, 120, 400][index % 4])
            if spec["size"] in ("medium", "large") and spec["city"] in other_city:
                city = other_city[spec["city"]]
                CompanySite.objects.create(company=company, city=city, postcode=postcode_for(city),
                                           address="Agence (adresse fictive)", headcount=25)
    for spec in D.STAFF_USERS:
        user = ctx.users.get(spec["username"])
        if spec.get("company") and user is not None and is_demo_user(user):
            Recruiter.objects.get_or_create(user=user, defaults={
                "company": ctx.companies[spec["company"]], "job_title": spec.get("job_title", ""),
                "phone": "+33 5 00 00 00 00"})


def _load_reference(ctx: Context) -> None:
    Skill = _model("companies.Skill")
    JobFamily = _model("companies.JobFamily")
    ctx.skills = {s.slug: s for s in Skill.objects.all()}
    ctx.families = {f.code: f for f in JobFamily.objects.all()}
    ctx.sectors = {s.slug: s for s in _model("showroom.Sector").objects.all()}
    ctx.technologies = {t.slug: t for t in _model("showroom.Technology").objects.all()}


def _skills(ctx: Context, names: list[str]) -> list:
    return [ctx.skills[skill_slug(name)] for name in names]


def seed_postings(ctx: Context) -> None:
    JobPosting = _model("companies.JobPosting")
    recruiter_of = {spec["company"]: ctx.users.get(spec["username"]) for spec in D.STAFF_USERS
                    if spec.get("company")}
    counter = 0
    for template in D.POSTING_TEMPLATES:
        for company_slug in template["companies"]:
            company = ctx.companies[company_slug]
            slug = slugify(f"{template['title']}-{company_slug}")[:180]
            rng = random.Random(slug)
            bucket = counter % 12
            counter += 1
            status = {0: "draft", 5: "filled", 9: "closed", 11: "draft" if counter > 40 else "published"}.get(
                bucket, "published")
            published_at = None
            closes_on = None
            if status == "published":
                published_at = ctx.now - dt.timedelta(days=rng.randint(1, 75), hours=rng.randint(0, 8))
                closes_on = timezone.localdate(published_at) + dt.timedelta(days=90)
            elif status in ("filled", "closed"):
                published_at = ctx.now - dt.timedelta(days=rng.randint(100, 200))
                closes_on = timezone.localdate(published_at) + dt.timedelta(days=60)
            salary = template.get("salary")
            city = company.city
            remote = rng.choice(["partial", "partial", "none", "full"])
            description = (
                f"{D.DEMO_MARK} : offre fictive.\n\n{company.name} recrute un·e {template['title']} à {city}. "
                f"Vous rejoignez une équipe de 5 à 10 personnes et travaillez sur les projets de nos clients "
                f"en Occitanie.\n\nVos missions : concevoir, développer et maintenir les solutions de l'équipe ; "
                f"participer aux choix techniques ; partager vos connaissances.\n\nVotre profil : "
                f"{', '.join(template['required'])}."
                + (" Les personnes en reconversion sont les bienvenues : une formation interne est prévue."
                   if template["retraining"] else "")
            )
            # Some companies wrote their posting in English too; the others show the French text, marked.
            title_en = template.get("title_en", "")
            description_en = (
                f"{D.DEMO_MARK_EN}: a fictional posting.\n\n{company.name} is hiring a {title_en} in {city}. "
                f"You join a team of 5 to 10 people working on our clients' projects in Occitanie.\n\n"
                f"Your role: design, build and maintain the team's solutions; take part in technical choices; "
                f"share what you know.\n\nYour profile: {', '.join(template['required'])}."
                + (" People moving into a digital career are welcome: in-house training is planned."
                   if template["retraining"] else "")
            ) if title_en else ""
            posting, created = JobPosting.objects.get_or_create(slug=slug, defaults={
                "company": company, "title": template["title"], "job_family": ctx.families[template["rome"]],
                "title_en": title_en, "description_en": description_en,
                "description": description, "contract": template.get("contract", "cdi"), "city": city,
                "postcode": company.postcode, "remote": remote, "level": template["level"],
                "open_to_retraining": template["retraining"],
                "salary_min": salary[0] if salary else None, "salary_max": salary[1] if salary else None,
                "openings": rng.choice([1, 1, 1, 2, 3]), "status": status, "published_at": published_at,
                "closes_on": closes_on, "start_date": ctx.today + dt.timedelta(days=rng.randint(20, 90)),
                "created_by": recruiter_of.get(company_slug) or ctx.users.get("coordinatrice"),
            })
            if created:
                posting.skills_required.set(_skills(ctx, template["required"]))
                posting.skills_nice.set(_skills(ctx, template["nice"]))
            ctx.postings.append(posting)


def seed_talent_campaigns(ctx: Context) -> None:
    Campaign = _model("candidates.Campaign")
    CampaignFunding = _model("candidates.CampaignFunding")
    for spec in D.TALENT_CAMPAIGNS:
        campaign, _ = Campaign.objects.get_or_create(code=spec["code"], defaults={
            "name": spec["name"], "city": spec["city"], "channel": spec["channel"],
            "starts_on": ctx.today + dt.timedelta(days=spec["start"]),
            "ends_on": ctx.today + dt.timedelta(days=spec["end"]), "budget": spec["budget"],
            "description": f"{spec['description']} ({D.DEMO_MARK.lower()})",
        })
        for partner_name, amount in spec["funders"]:
            CampaignFunding.objects.get_or_create(campaign=campaign, partner=ctx.partners[partner_name],
                                                  defaults={"amount": amount})
        ctx.campaigns[spec["code"]] = campaign


# ---------------------------------------------------------------------------------------------------------
TRACKS = {
    "dev": (["Python", "Django", "JavaScript", "React", "Java", "Spring", "SQL", "Git", "TypeScript", "PHP"],
            ["M1805"]),
    "data": (["Python", "SQL", "Pandas", "Machine learning", "Power BI", "Spark"], ["M1403", "M1805"]),
    "infra": (["Linux", "Docker", "Réseaux TCP/IP", "AWS", "Bash", "Kubernetes"], ["M1801", "M1810"]),
    "cyber": (["Sécurité des systèmes d'information", "SOC / SIEM", "Linux", "Réseaux TCP/IP", "Pentest"],
              ["M1802"]),
    "embedded": (["C", "C++", "Systèmes embarqués", "IoT", "Électronique numérique"], ["H1206", "H1209"]),
    "sap": (["SAP", "ABAP", "SAP FICO", "Gestion de projet"], ["M1806"]),
    "design": (["UX design", "Figma", "UI design", "Accessibilité numérique (RGAA)"], ["E1104"]),
    "support": (["Relation client", "ITIL", "Linux"], ["I1401", "H1101"]),
}
SOFT_SKILLS = ["Travail en équipe", "Communication", "Anglais professionnel", "Autonomie", "Pédagogie"]
STAGE_PATH = ["registered", "qualified", "oriented", "in_recruitment", "hired"]
# How long ago (days) candidates at each stage registered.
STAGE_AGE = {"registered": (1, 60), "qualified": (20, 150), "oriented": (40, 200), "in_recruitment": (60, 300),
             "hired": (200, 500), "withdrawn": (30, 500)}
STAGE_COMMENTS = {
    "qualified": "Entretien de qualification réalisé.", "oriented": "Orienté·e vers une entreprise partenaire.",
    "in_recruitment": "Entretiens en cours avec l'entreprise.", "hired": "Contrat signé.",
    "withdrawn": "A trouvé une autre voie ou ne donne plus suite.",
}


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _candidate_specs(ctx: Context) -> list[dict]:
    """Build the candidates' data deterministically from the pools of data.py."""
    stages = [stage for stage, count in D.CANDIDATE_STAGE_PLAN for _ in range(count)]
    random.Random("stages").shuffle(stages)
    total = len(stages)
    campaign_slots = []
    for code, (city, postcodes, count) in D.CAMPAIGN_CANDIDATES.items():
        campaign_slots += [(code, city, postcodes)] * count
    first_campaign_index = total - len(campaign_slots) - 2  # the last candidates came through campaigns
    specs = []
    for i, stage in enumerate(stages):
        rng = random.Random(f"candidate-{i}")
        gender = _weighted(rng, D.GENDER_WEIGHTS)
        pool = {"female": D.FIRST_NAMES_FEMALE, "male": D.FIRST_NAMES_MALE}.get(gender, D.FIRST_NAMES_OTHER)
        first = rng.choice(pool)
        last = rng.choice(D.LAST_NAMES)
        domain = "example.org" if i % 2 == 0 else "example.com"
        spec = {"i": i, "stage": stage, "gender": gender, "first": first, "last": last,
                "email": f"{_ascii(first)}.{_ascii(last)}.{i:03d}@{domain}",
                "profile": _weighted(rng, D.PROFILE_WEIGHTS), "track": rng.choice(list(TRACKS)),
                "campaign": None}
        low, high = STAGE_AGE[stage]
        age = rng.randint(low, high)
        slot = i - first_campaign_index
        if 0 <= slot < len(campaign_slots):
            code, city, postcodes = campaign_slots[slot]
            campaign = next(c for c in D.TALENT_CAMPAIGNS if c["code"] == code)
            spec |= {"campaign": code, "city": city, "postcode": rng.choice(postcodes)}
            age = rng.randint(max(1, -campaign["end"]), -campaign["start"])
        else:
            city, postcode, _w = rng.choices(D.CANDIDATE_PLACES, weights=[p[2] for p in D.CANDIDATE_PLACES])[0]
            spec |= {"city": city, "postcode": postcode}
        spec["confirmed"] = not (stage == "registered" and i % 7 == 0)
        if not spec["confirmed"]:
            age = 1 + i % 3  # pending double opt-in: recent, before the 7-day purge
        spec["created_at"] = ctx.now - dt.timedelta(days=age, hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
        specs.append(spec)
    return specs


def _stage_steps(spec: dict, rng: random.Random) -> list[tuple[str, str]]:
    stage = spec["stage"]
    if stage == "withdrawn":
        reached = rng.choice(["registered", "qualified", "qualified", "oriented"])
        path = STAGE_PATH[: STAGE_PATH.index(reached) + 1] + ["withdrawn"]
    else:
        path = STAGE_PATH[: STAGE_PATH.index(stage) + 1]
    return list(zip([""] + path[:-1], path, strict=True))


def seed_candidates(ctx: Context) -> None:
    Candidate = _model("candidates.Candidate")
    Consent = _model("candidates.Consent")
    StageChange = _model("candidates.StageChange")
    Qualification = _model("candidates.Qualification")
    Orientation = _model("candidates.Orientation")
    JobInterest = _model("candidates.JobInterest")
    coordinator = ctx.users.get("coordinatrice")
    open_postings = [p for p in ctx.postings if p.status == "published"]
    placed_postings = [p for p in ctx.postings if p.status in ("published", "filled")]
    filled_postings = [p for p in ctx.postings if p.status == "filled"]
    showcase = {s["company"] for s in D.STAFF_USERS if s.get("company")}
    showcase_postings = [p for p in open_postings if p.company.slug in showcase]

    for spec in _candidate_specs(ctx):
        rng = random.Random(f"candidate-detail-{spec['i']}")
        skills, families = TRACKS[spec["track"]]
        profile = spec["profile"]
        experience = {"experienced": rng.choice(["confirmed", "senior"]),
                      "young_graduate": rng.choice(["none", "junior"]),
                      "job_seeker": rng.choice(["none", "junior"])}.get(profile, "none")
        education = {"young_graduate": rng.choice(["bac3", "bac5"]), "experienced": rng.choice(["bac2", "bac5"]),
                     }.get(profile, rng.choice(["bac", "bac2", "bac3", "cap"]))
        city = spec["city"]
        campaign = ctx.campaigns.get(spec["campaign"]) if spec["campaign"] else None
        created_at = spec["created_at"]
        shown = rng.random() < 0.8
        # A few people from abroad or other regions prefer English (e-mails go out in their language).
        extra = _known_fields(Candidate, {"language": "en" if spec["i"] % 17 == 5 else "fr"})
        candidate, created = Candidate.objects.get_or_create(email=spec["email"], defaults=extra | {
            "first_name": spec["first"], "last_name": spec["last"], "phone": f"+3363998{spec['i'] + 100:04d}",
            "postcode": spec["postcode"], "city": city, "profile": profile, "education": education,
            "experience": experience, "gender": spec["gender"],
            "mobility_toulouse": city in ("Toulouse", "Labège", "Blagnac", "Colomiers") or rng.random() < 0.4,
            "mobility_montpellier": city in ("Montpellier", "Castelnau-le-Lez") or rng.random() < 0.3,
            "mobility_occitanie": rng.random() < 0.3, "mobility_remote": rng.random() < 0.25,
            "contract_wanted": rng.choice(["any", "any", "cdi", "cdi", "apprenticeship", "cdd"]),
            "available_from": ctx.today + dt.timedelta(days=rng.randint(-30, 90)),
            "stage": spec["stage"], "source_campaign": campaign,
            "utm_source": "talents-occitanie" if campaign else "",
            "utm_medium": campaign.channel if campaign else "",
            "utm_campaign": campaign.code if campaign else "",
            "confirmed_at": created_at + dt.timedelta(minutes=12) if spec["confirmed"] else None,
            "shown_to_recruiters": shown,
        })
        ctx.candidates.append(candidate)
        if not created:
            continue
        candidate.skills.set(_skills(ctx, rng.sample(skills, k=min(len(skills), rng.randint(2, 4)))
                                     + rng.sample(SOFT_SKILLS, k=rng.randint(1, 2))))
        candidate.desired_job_families.set([ctx.families[code] for code in families])

        # Consents: processing always; being shown to recruiters for most, withdrawn by a few.
        Consent.objects.create(candidate=candidate, kind="processing", wording_version=D.CONSENT_WORDING_VERSION,
                               given_at=created_at)
        if shown or spec["i"] % 11 == 0:
            withdrawn_at = None if shown else created_at + dt.timedelta(days=3)
            Consent.objects.create(candidate=candidate, kind="shown", wording_version=D.CONSENT_WORDING_VERSION,
                                   given_at=created_at, withdrawn_at=withdrawn_at)
        # Being shown on a match: most of those shown agreed to the current text; a few only to an older
        # one, which no longer counts (Mon espace asks them again).
        if shown and spec["i"] % 4:
            version = MATCHED_VERSION if spec["i"] % 13 else D.CONSENT_WORDING_VERSION
            Consent.objects.create(candidate=candidate, kind="matched", wording_version=version, given_at=created_at)

        # Stage history spread between registration and yesterday, in pipeline order.
        steps = _stage_steps(spec, rng)
        span = max((ctx.now - created_at) - dt.timedelta(days=1), dt.timedelta(hours=1))
        times = [created_at + span * (n / max(len(steps) - 1, 1)) for n in range(len(steps))]
        times[0] = created_at
        for (from_stage, to_stage), when in zip(steps, times, strict=True):
            change = StageChange.objects.create(
                candidate=candidate, from_stage=from_stage, to_stage=to_stage,
                changed_by=None if not from_stage else coordinator,
                comment=STAGE_COMMENTS.get(to_stage, "Inscription en ligne." if not from_stage else ""))
            _backdate(change, changed_at=when)
        reached = {to for _f, to in steps}
        stage_time = {to: when for (_f, to), when in zip(steps, times, strict=True)}

        if "qualified" in reached:
            qualification = Qualification.objects.create(
                candidate=candidate, level=rng.choice(["ready", "short_training", "short_training", "long_training"]),
                motivation=rng.randint(3, 5), qualified_by=coordinator,
                training_needed=rng.choice(["", "Remise à niveau en développement web (3 mois)",
                                            "Formation courte cybersécurité", "Certification cloud"]),
                notes="Entretien de qualification mené lors d'une session (données de démonstration).")
            _backdate(qualification, qualified_at=stage_time["qualified"])

        if "oriented" in reached:
            if spec["stage"] == "hired" and filled_postings:
                posting = filled_postings[spec["i"] % len(filled_postings)]
            elif spec["i"] % 3 == 0 and showcase_postings:
                posting = showcase_postings[spec["i"] % len(showcase_postings)]
            else:
                posting = rng.choice(placed_postings)
            status = {"oriented": rng.choice(["proposed", "to_contact"]),
                      "in_recruitment": rng.choice(["interview", "offer"]), "hired": "hired",
                      "withdrawn": "declined"}[spec["stage"]]
            orientation = Orientation.objects.create(
                candidate=candidate, company=posting.company, posting=posting, status=status,
                created_by=coordinator,
                outcome="Contrat signé." if status == "hired" else ("Sans suite." if status == "declined" else ""))
            _backdate(orientation, created_at=stage_time["oriented"])

        if spec["confirmed"] and spec["stage"] not in ("withdrawn", "hired") and rng.random() < 0.4:
            choices = showcase_postings if spec["i"] % 2 == 0 and showcase_postings else open_postings
            for posting in rng.sample(choices, k=min(len(choices), rng.randint(1, 2))):
                interest, made = JobInterest.objects.get_or_create(candidate=candidate, posting=posting, defaults={
                    "status": "interview" if spec["stage"] == "in_recruitment" else rng.choice(["new", "to_contact"]),
                    "confirmed_at": created_at + dt.timedelta(days=1) if rng.random() < 0.85 else None,
                })
                if made:
                    _backdate(interest, created_at=created_at + dt.timedelta(hours=20))

        _backdate(candidate, created_at=created_at, last_activity_at=times[-1])


# ---------------------------------------------------------------------------------------------------------
def seed_events(ctx: Context) -> None:
    Programme = _model("events.Programme")
    Edition = _model("events.Edition")
    Session = _model("events.Session")
    SessionCompany = _model("events.SessionCompany")
    SessionPartner = _model("events.SessionPartner")
    Registration = _model("events.Registration")
    SurveyResponse = _model("events.SurveyResponse")
    Recruiter = _model("companies.Recruiter")

    programme, created = Programme.objects.get_or_create(slug=D.PROGRAMME["slug"], defaults={
        "name": D.PROGRAMME["name"], "description": D.PROGRAMME["description"]})
    if created:
        programme.partners.set([ctx.partners[name] for name in D.PROGRAMME["partners"]])

    editions = {}
    for spec in D.EDITIONS:
        year = ctx.today.year + spec["year_offset"]
        if "start" in spec:
            starts_on = dt.date(year, *spec["start"])
        else:
            starts_on = ctx.today + dt.timedelta(days=spec["start_offset"])
        editions[spec["number"]], _ = Edition.objects.get_or_create(programme=programme, number=spec["number"],
                                                                    defaults={
            "name": spec["name"], "year": starts_on.year, "starts_on": starts_on,
            "ends_on": starts_on + dt.timedelta(days=spec["length_days"]), "target_candidates": spec["target"]})

    confirmed = [c for c in ctx.candidates if c.confirmed_at is not None]
    published_by_company = {}
    for posting in ctx.postings:
        if posting.status == "published":
            published_by_company.setdefault(posting.company_id, []).append(posting)
    recruiters_by_company = {}
    for recruiter in Recruiter.objects.all():
        recruiters_by_company.setdefault(recruiter.company_id, []).append(recruiter)

    session_days: set[dt.date] = set()
    for number, spec in enumerate(D.SESSIONS):
        rng = random.Random(f"session-{spec['title']}")
        venue, address, postcode = D.VENUES[spec["city"]]
        starts_at = ctx.working_days(spec["day"], spec["hour"], avoid=session_days)
        ends_at = starts_at + dt.timedelta(hours=spec["hours"])
        session, created = Session.objects.get_or_create(edition=editions[spec["edition"]], title=spec["title"],
                                                         defaults={
            "city": spec["city"], "venue": venue, "address": address, "postcode": postcode,
            "format": spec["format"], "starts_at": starts_at, "ends_at": ends_at, "capacity": spec["capacity"],
            "registration_opens_at": starts_at - dt.timedelta(days=40),
            "registration_closes_at": starts_at - dt.timedelta(hours=2),
            "programme_text": (f"{D.DEMO_MARK}. Accueil, présentation des métiers du numérique, "
                               "rencontres avec les entreprises qui recrutent, échanges avec les partenaires "
                               "de l'emploi et de la formation."),
            "title_en": spec.get("title_en", ""),
            "programme_text_en": (f"{D.DEMO_MARK_EN}. Welcome, an overview of digital jobs, meetings with "
                                  "the companies that are hiring, talks with employment and training partners."
                                  if spec.get("title_en") else ""),
        })
        if not created:
            continue
        # Companies and partners taking part.
        company_slugs = D.SESSION_COMPANIES[spec["city"]]
        how_many = 5 if spec["format"] == "job_dating" else 2
        for k in range(how_many):
            company = ctx.companies[company_slugs[(number + k) % len(company_slugs)]]
            participation = SessionCompany.objects.create(session=session, company=company,
                                                          interview_slots=rng.choice([6, 8, 10, 12]))
            participation.recruiters.set(recruiters_by_company.get(company.pk, []))
            participation.postings.set(published_by_company.get(company.pk, [])[:2])
        for partner_name, role in D.SESSION_PARTNERS[spec["city"]]:
            SessionPartner.objects.create(session=session, partner=ctx.partners[partner_name], role=role)

        # Registrations: only people registered before the session; seats never oversold.
        is_past = ends_at < ctx.now
        eligible = [c for c in confirmed if c.confirmed_at < starts_at - dt.timedelta(days=1)
                    and (is_past or c.stage not in ("withdrawn", "hired"))]
        rng.shuffle(eligible)
        chosen = eligible[: spec["fill"]]
        seats = spec["capacity"]
        opens = starts_at - dt.timedelta(days=40)
        for k, candidate in enumerate(chosen):
            booked_at = max(opens, candidate.confirmed_at) + dt.timedelta(hours=rng.randint(1, 72))
            booked_at = min(booked_at, starts_at - dt.timedelta(hours=3), ctx.now - dt.timedelta(minutes=5))
            values = {"status": "confirmed"}
            if is_past:
                if seats <= 0:
                    break
                seats -= 1
                if rng.random() < 0.8:
                    arrived = starts_at + dt.timedelta(minutes=rng.randint(-10, 30))
                    values = {"status": "attended", "checked_in_at": arrived,
                              "outcome": rng.choice(["identified", "qualified", "oriented"]),
                              "walk_in": k == 0}
                else:
                    values = {"status": "no_show"}
            elif k % 9 == 4:
                values = {"status": "cancelled", "cancelled_at": booked_at + dt.timedelta(days=2)}
            elif seats > 0:
                seats -= 1
            else:
                values = {"status": "waitlisted"}
            registration = Registration.objects.create(session=session, candidate=candidate, **values)
            _backdate(registration, created_at=booked_at)
            if values["status"] == "attended" and spec["edition"] == 2 and k % 2 == 0:
                SurveyResponse.objects.create(registration=registration, rating=rng.choice([4, 4, 5, 5, 3]),
                                              useful=True, comment=rng.choice(
                                                  ["", "Très bon accueil, des entreprises vraiment à l'écoute.",
                                                   "J'aurais aimé plus de temps avec chaque recruteur."]))


# ---------------------------------------------------------------------------------------------------------
SECTOR_CONTEXT = {
    "aeronautique": ("la filière aéronautique toulousaine", "the Toulouse aerospace industry"),
    "spatial": ("la filière spatiale d'Occitanie", "the Occitanie space industry"),
    "sante": ("les établissements de santé de la région", "the region's healthcare providers"),
    "batiments-intelligents": ("les gestionnaires de bâtiments", "building managers"),
    "energie": ("les acteurs de l'énergie", "energy companies"),
    "agriculture": ("les exploitations agricoles et viticoles", "farms and vineyards"),
    "mobilite": ("les réseaux de transport", "transport networks"),
    "industrie": ("les industriels de la région", "the region's manufacturers"),
    "services-publics": ("les collectivités", "local authorities"),
    "finance": ("les banques et assureurs", "banks and insurers"),
    "commerce": ("le commerce de proximité", "local retail"),
    "tourisme": ("les acteurs du tourisme", "tourism operators"),
}


def seed_showroom(ctx: Context) -> None:
    UseCase = _model("showroom.UseCase")
    ContactRequest = _model("showroom.ContactRequest")
    for position, spec in enumerate(D.USE_CASES, start=1):
        title_fr, summary_fr, results_fr = spec["fr"]
        title_en, summary_en, results_en = spec["en"]
        where_fr, where_en = SECTOR_CONTEXT[spec["sector"]]
        names = ", ".join(ctx.companies[slug].name for slug in spec["companies"])
        body_fr = (f"{summary_fr}\n\nLe besoin : {where_fr} cherchaient une solution fiable, déployable vite et "
                   f"maintenue près de chez eux.\n\nLa solution : {names} ont conçu et déployé le projet avec "
                   f"l'équipe du client, par itérations courtes.\n\n{D.DEMO_MARK} : cas d'usage fictif.")
        body_en = (f"{summary_en}\n\nThe need: {where_en} wanted a reliable solution, quick to roll out and "
                   f"supported close to home.\n\nThe solution: {names} designed and rolled out the project with "
                   f"the client's team, in short iterations.\n\n{D.DEMO_MARK_EN}: a fictional use case.")
        use_case, created = UseCase.objects.get_or_create(slug=spec["slug"], defaults={
            "title": title_fr, "title_fr": title_fr, "title_en": title_en,
            "summary": summary_fr, "summary_fr": summary_fr, "summary_en": summary_en,
            "body": body_fr, "body_fr": body_fr, "body_en": body_en,
            "results": results_fr, "results_fr": results_fr, "results_en": results_en,
            "sector": ctx.sectors[spec["sector"]], "client_type": spec["client"],
            "is_published": spec.get("published", True), "is_featured": spec.get("featured", False),
            "position": position * 10,
        })
        if created:
            use_case.technologies.set([ctx.technologies[slug] for slug in spec["tech"]])
            use_case.companies.set([ctx.companies[slug] for slug in spec["companies"]])
        ctx.use_cases[spec["slug"]] = use_case
    for spec in D.SHOWROOM_CONTACT_REQUESTS:
        ContactRequest.objects.get_or_create(use_case=ctx.use_cases[spec["use_case"]], email=spec["email"],
                                             defaults=_known_fields(ContactRequest, {
            "name": spec["name"], "organisation": spec["organisation"], "country": spec["country"],
            "message": spec["message"]}))


# ---------------------------------------------------------------------------------------------------------
PROSPECT_PATH = ["identified", "contacted", "meeting_held", "project", "settled"]


def _offset(ctx: Context, when) -> int:
    """Return a data.py date as days from today: given as an offset, or as (year, month, day)."""
    return (dt.date(*when) - ctx.today).days if isinstance(when, tuple) else when


def _meeting_specs(ctx: Context, spec: dict, campaign_spec: dict | None) -> list[dict]:
    """Return the prospect's meetings in time order: past ones, then upcoming ones."""
    rng = random.Random(f"meetings-{spec['name']}")
    past, upcoming = spec["meetings"]
    tz = ZoneInfo(D.COUNTRY_TIMEZONES[spec["country"]])
    first = max(_offset(ctx, campaign_spec["start"]) if campaign_spec else -200, -300)
    last = -3
    if spec["stage"] == "settled":
        last = (dt.date(*spec["settlement"]["on"]) - ctx.today).days - 5
        first = min(first, last - 120)
    offsets = sorted(rng.sample(range(first, last), k=past)) if past else []
    offsets += sorted(rng.sample(range(3, 60), k=upcoming)) if upcoming else []
    meetings = []
    for n, offset in enumerate(offsets):
        in_toulouse = spec["stage"] == "settled" and n == past - 1
        zone = PARIS if in_toulouse else tz
        day = working_day(ctx.today + dt.timedelta(days=offset), step=-1 if offset < 0 else 1)
        local = dt.datetime.combine(day, dt.time(rng.choice([9, 10, 14, 16])), tzinfo=zone)
        online = not in_toulouse and rng.random() < 0.35
        place = ""
        if in_toulouse:
            place = "Toulouse, locaux de la Tesc Force (démo)"
        elif not online:
            place = f"{spec.get('city') or 'Sur place'}, bureaux de l'entreprise"
        meetings.append({"starts_at": local.astimezone(dt.UTC), "tz": zone, "online": online, "place": place,
                         "past": n < past, "last_past": n == past - 1})
    return meetings


def seed_prospecting(ctx: Context) -> None:
    ProspectingCampaign = _model("prospecting.ProspectingCampaign")
    Prospect = _model("prospecting.Prospect")
    ProspectContact = _model("prospecting.ProspectContact")
    Meeting = _model("prospecting.Meeting")
    Settlement = _model("prospecting.Settlement")
    ExportLead = _model("prospecting.ExportLead")
    ProspectStageChange = _model("prospecting.ProspectStageChange")
    officer = ctx.users.get("prospection")
    coordinator = ctx.users.get("coordinatrice")

    campaigns = {}
    for spec in D.HISTORY_CAMPAIGNS + D.PROSPECTING_CAMPAIGNS:
        campaign, created = ProspectingCampaign.objects.get_or_create(name=spec["name"], defaults={
            "countries": spec["countries"], "cities": spec["cities"], "trade_fairs": spec["trade_fairs"],
            "starts_on": ctx.today + dt.timedelta(days=_offset(ctx, spec["start"])),
            "ends_on": ctx.today + dt.timedelta(days=_offset(ctx, spec["end"])), "budget": spec["budget"],
            "notes": f"{D.DEMO_MARK}."})
        if created:
            campaign.partners.set([ctx.partners[name] for name in spec["partners"]])
        campaigns[spec["name"]] = campaign

    prospects = {}
    for index, spec in enumerate(D.PROSPECTS):
        rng = random.Random(f"prospect-{spec['name']}")
        campaign_spec = next((c for c in D.HISTORY_CAMPAIGNS + D.PROSPECTING_CAMPAIGNS
                              if c["name"] == spec.get("campaign")), None)
        prospect, created = Prospect.objects.get_or_create(name=spec["name"], defaults={
            "country": spec["country"], "city": spec.get("city", ""), "sector": ctx.sectors.get(spec["sector"]),
            "size": spec["size"], "source": spec.get("source", rng.choice(["Salon", "Recommandation d'Ad'Occ",
                                                                             "Invest in Toulouse", "Réseau"])),
            "campaign": campaigns.get(spec.get("campaign")), "owner": officer, "stage": spec["stage"],
            "lost_reason": spec.get("lost_reason", ""),
            "notes": spec.get("notes", f"{D.DEMO_MARK} : entreprise fictive."),
        })
        prospects[spec["name"]] = prospect
        if created:
            for k in range(1 if spec["stage"] == "identified" else 2):
                name = D.CONTACT_NAMES[(index + k * 3) % len(D.CONTACT_NAMES)]
                ProspectContact.objects.create(prospect=prospect, name=f"{name} (fictif)",
                                               role=D.CONTACT_ROLES[(index + k) % len(D.CONTACT_ROLES)],
                                               email=f"{_ascii(name)}@example.com")

        meeting_specs = _meeting_specs(ctx, spec, campaign_spec)
        existing = prospect.meetings.count()
        shown = [ctx.use_cases[slug] for slug in spec.get("use_cases", [])]
        for n, m in enumerate(meeting_specs):
            if n < existing:
                continue
            outcome = ""
            if m["past"]:
                outcome = {"settled": "positive", "project": "positive", "lost": "negative"}.get(
                    spec["stage"], "follow_up")
                if spec["stage"] == "meeting_held" and m["last_past"] and index % 3 == 0:
                    outcome = ""  # shows as "to complete" in the admin
            next_step = {}
            if m["last_past"] and spec["stage"] not in ("settled", "lost"):
                next_step = {"next_step": "Envoyer les fiches des cas d'usage présentés",
                             "next_step_due": ctx.today + dt.timedelta(days=-2 if index % 4 == 0 else 7),
                             "next_step_owner": officer}
            meeting = Meeting.objects.create(
                prospect=prospect, campaign=prospect.campaign, officer=officer, starts_at=m["starts_at"],
                timezone=m["tz"], is_online=m["online"], place=m["place"],
                online_url=f"https://visio.example.com/tescforce-{slugify(spec['name'])}-{n}" if m["online"] else "",
                notes=f"{D.DEMO_MARK}. Présentation de l'écosystème numérique d'Occitanie.",
                outcome=outcome, **next_step)
            attendees = [officer] + ([coordinator] if spec["stage"] in ("settled", "project") else [])
            meeting.attendees.set([u for u in attendees if u is not None])
            if m["past"] and shown:
                meeting.use_cases_shown.set(shown[: 1 + n % len(shown)])
            members = [ctx.companies[c] for c, p, _s in D.EXPORT_LEADS if p == spec["name"]]
            meeting.member_companies.set(members)

        # The last change of stage happened after the last meeting held (a settlement: on its day).
        history_end = ctx.now - dt.timedelta(days=2)
        if spec["stage"] == "settled":
            history_end = dt.datetime.combine(dt.date(*spec["settlement"]["on"]), dt.time(11), tzinfo=PARIS)
        first_contact = min([m["starts_at"] for m in meeting_specs if m["past"]] + [history_end]) \
            - dt.timedelta(days=30)
        if created:
            _backdate(prospect, created_at=first_contact)
        if created and ProspectStageChange is not None:
            target = spec["stage"]
            path = PROSPECT_PATH[: PROSPECT_PATH.index(target) + 1] if target != "lost" else \
                PROSPECT_PATH[:3] + ["lost"]
            for step, (from_stage, to_stage) in enumerate(zip(path, path[1:], strict=False)):
                change = ProspectStageChange.objects.create(**_known_fields(ProspectStageChange, {
                    "prospect": prospect, "from_stage": from_stage, "to_stage": to_stage, "changed_by": officer,
                    "note": D.DEMO_MARK}))
                if "changed_at" in _known_fields(ProspectStageChange, {"changed_at": 1}):
                    share = (step + 1) / (len(path) - 1)
                    _backdate(change, changed_at=first_contact + (history_end - first_contact) * share)

        if spec["stage"] == "settled":
            settlement_spec = spec["settlement"]
            settlement, made = Settlement.objects.get_or_create(prospect=prospect, defaults={
                "settled_on": dt.date(*settlement_spec["on"]),
                "site_city": settlement_spec["site"], "jobs_planned": settlement_spec["jobs"],
                "notes": "Cas réel cité par la presse régionale ; date et emplois prévus : données de démonstration."})
            if made:
                settlement.partners.set([ctx.partners[name] for name in settlement_spec["partners"]])

    for company_slug, prospect_name, status in D.EXPORT_LEADS:
        ExportLead.objects.get_or_create(company=ctx.companies[company_slug], prospect=prospects[prospect_name],
                                         defaults={"status": status, "notes": D.DEMO_MARK})


def seed_prospecting_history(ctx: Context) -> None:
    """Write the article's year: the fictional prospects met then, three meetings each, all held.

    Bulk-written (about 160 meetings); a prospect that already has meetings is left as it is.
    """
    Prospect = _model("prospecting.Prospect")
    Meeting = _model("prospecting.Meeting")
    campaigns = {c.name: c for c in _model("prospecting.ProspectingCampaign").objects.filter(
        name__in=[spec["name"] for spec in D.HISTORY_CAMPAIGNS])}
    officer = ctx.users.get("prospection")
    specs = [(country, city, campaign, f"{name} (fictive)")
             for country, city, campaign, names in D.HISTORY_PROSPECTS for name in names]
    existing = {p.name: p for p in Prospect.objects.filter(name__in=[spec[3] for spec in specs])}
    missing = [spec for spec in specs if spec[3] not in existing]
    sectors = [ctx.sectors[slug] for slug in sorted(ctx.sectors)]
    if missing:
        created = Prospect.objects.bulk_create([Prospect(
            name=name, country=country, city=city, size="sme", source="Salon", campaign=campaigns.get(campaign),
            sector=sectors[i % len(sectors)] if sectors else None,
            owner=officer, notes=f"{D.DEMO_MARK} : entreprise fictive.",
            **({"stage": "lost", "lost_reason": D.HISTORY_LOST_REASON} if i % 3 else {"stage": "meeting_held"}))
            for i, (country, city, campaign, name) in enumerate(missing)])
        existing |= {p.name: p for p in created}
    with_meetings = set(Meeting.objects.filter(prospect__in=existing.values()).values_list("prospect__name", flat=True))
    use_cases = list(ctx.use_cases.values())
    meetings, firsts = [], {}
    for country, _city, campaign, name in specs:
        if name in with_meetings:
            continue
        prospect = existing[name]
        rng = random.Random(f"history-{name}")
        zone = ZoneInfo(D.COUNTRY_TIMEZONES[country])
        spec = next((c for c in D.HISTORY_CAMPAIGNS if c["name"] == campaign), None)
        low, high = (dt.date(*spec["start"]), dt.date(*spec["end"])) if spec else \
            (dt.date(D.HISTORY_YEAR, 1, 15), dt.date(D.HISTORY_YEAR, 12, 10))
        days = sorted(rng.sample(range((high - low).days), k=D.HISTORY_MEETINGS_EACH))
        for n, offset in enumerate(days):
            day = working_day(low + dt.timedelta(days=offset))
            local = dt.datetime.combine(day, dt.time(rng.choice([9, 10, 14, 16])), tzinfo=zone)
            online = rng.random() < 0.4
            last = n == len(days) - 1
            meetings.append(Meeting(
                prospect=prospect, campaign=prospect.campaign, officer=officer, starts_at=local.astimezone(dt.UTC),
                timezone=zone, is_online=online, place="" if online else f"{prospect.city}, bureaux de l'entreprise",
                online_url=f"https://visio.example.com/tescforce-{slugify(name)}-{n}" if online else "",
                notes=f"{D.DEMO_MARK}. Présentation de l'écosystème numérique d'Occitanie.",
                outcome="negative" if last and prospect.stage == "lost" else "follow_up"))
        firsts[prospect.pk] = dt.datetime.combine(low, dt.time(9), tzinfo=PARIS) + dt.timedelta(days=days[0] - 30)
    created = Meeting.objects.bulk_create(meetings)
    Shown = Meeting.use_cases_shown.through
    Shown.objects.bulk_create([
        Shown(meeting_id=m.pk, usecase_id=use_cases[(k * 7) % len(use_cases)].pk)
        for k, m in enumerate(created) if use_cases])
    for pk, when in firsts.items():
        _backdate(Prospect(pk=pk), created_at=when)


def seed_targets(ctx: Context) -> None:
    """Set every target of the demo's years; a target a coordinator set (not zero) is kept."""
    YearTarget = _model("tescforce.YearTarget")
    years = {year: values for year, values in D.YEAR_TARGETS.items() if year != "current"}
    years.setdefault(ctx.today.year, D.YEAR_TARGETS["current"])
    for year, values in years.items():
        target, created = YearTarget.objects.get_or_create(year=year, defaults=values)
        unset = {name: value for name, value in values.items() if not getattr(target, name)}
        if unset and not created:
            YearTarget.objects.filter(pk=target.pk).update(**unset)


# ---------------------------------------------------------------------------------------------------------
def seed_hotline(ctx: Context) -> None:
    HotlineCall = _model("hotline.HotlineCall")
    CallbackRequest = _model("hotline.CallbackRequest")
    RelocationRequest = _model("hotline.RelocationRequest")
    agent = ctx.users.get("hotline")
    for spec in D.HOTLINE_CALLS:
        candidate = ctx.candidates[spec["candidate"]] if spec.get("candidate") is not None else None
        follow_up = {}
        if "due" in spec:
            follow_up = {"follow_up_due": ctx.today + dt.timedelta(days=spec["due"]), "follow_up_owner": agent}
            if spec.get("done"):
                follow_up["follow_up_done_at"] = ctx.now - dt.timedelta(days=1)
        call, created = HotlineCall.objects.get_or_create(summary=spec["summary"], defaults={
            "candidate": candidate, "caller_name": spec.get("caller_name", ""),
            "caller_contact": spec.get("caller_contact", ""), "direction": spec.get("direction", "in"),
            "channel": spec.get("channel", "phone"), "topic": spec["topic"], "logged_by": agent, **follow_up})
        if created:
            _backdate(call, created_at=ctx.now - dt.timedelta(days=spec["ago"], hours=2))
    for spec in D.CALLBACK_REQUESTS:
        handled = {"handled_at": ctx.now - dt.timedelta(hours=20), "handled_by": agent} if spec.get("handled") else {}
        request, created = CallbackRequest.objects.get_or_create(name=spec["name"], defaults={
            "phone": spec.get("phone", ""), "email": spec.get("email", ""), "topic": spec["topic"],
            "preferred_time": spec["preferred_time"], "message": spec["message"], **handled})
        if created:
            _backdate(request, created_at=ctx.now - dt.timedelta(days=2 if spec.get("handled") else 0, hours=3))
    for spec in D.RELOCATION_REQUESTS:
        RelocationRequest.objects.get_or_create(
            candidate=ctx.candidates[spec["candidate"]], target_city=spec["target_city"], defaults={
                "need_housing": spec.get("housing", False), "need_partner_job": spec.get("partner_job", False),
                "need_schools": spec.get("schools", False), "need_transport": spec.get("transport", False),
                "target_date": ctx.today + dt.timedelta(days=spec["days"]), "status": spec["status"],
                "notes": spec["notes"], "owner": agent,
                **_known_fields(RelocationRequest, {"message": spec.get("message", ""),
                                                    "origin": spec.get("origin", "staff")})})


# ---------------------------------------------------------------------------------------------------------
def seed_partner_members(ctx: Context) -> None:
    """The partner space's demo members: non-staff accounts with the Partenaires role and a membership."""
    User = get_user_model()
    Member = _model("partners.Member")
    role = Group.objects.get(name="Partenaires")
    for spec in D.PARTNER_MEMBERS:
        username = spec["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=spec["first_name"], last_name=D.DEMO_LAST_NAME,
                        email=f"{username}@{D.DEMO_EMAIL_DOMAIN}", is_staff=False)
            user.set_password(D.DEMO_PASSWORD)
            user.save()
            ctx.user_notes[username] = "créé"
        elif is_demo_user(user):
            if not user.check_password(D.DEMO_PASSWORD) or not user.is_active or user.is_staff:
                user.set_password(D.DEMO_PASSWORD)
                user.is_active, user.is_staff = True, False
                user.save()
                ctx.user_notes[username] = "mot de passe rétabli"
            else:
                ctx.user_notes[username] = "inchangé"
        else:
            ctx.user_notes[username] = "compte existant non modifié (mot de passe inconnu)"
            continue
        user.groups.add(role)
        Member.objects.update_or_create(user=user, defaults={
            "partner": ctx.partners[spec["partner"]], "language": spec.get("language", "fr"), "disabled_at": None})
        ctx.users[username] = user


def seed_referrals(ctx: Context) -> None:
    """Referrals at every status: people who confirmed (at each step of their path, read from their own rows),
    one who did not share their path, and per partner one waiting, one declined and one never answered."""
    Referral = _model("partners.Referral")
    prescribers = [ctx.partners[spec["partner"]] for spec in D.PARTNER_MEMBERS]
    if Referral.objects.filter(partner__in=prescribers).exists():
        return
    confirmed = [c for c in ctx.candidates if c.confirmed_at and not c.anonymised_at]
    dates = candidate_step_dates([c.pk for c in confirmed])
    by_status: dict[str, list] = {}
    for candidate in confirmed:
        reached = dates.get(candidate.pk, {})
        status = next((key for key in ("left", "hired", "oriented", "attended", "booked", "qualified")
                       if key in reached), "confirmed")
        by_status.setdefault(status, []).append(candidate)
    picked = [c for status in sorted(by_status) for c in by_status[status][:3]]
    members = {spec["partner"]: ctx.users.get(spec["username"]) for spec in D.PARTNER_MEMBERS}
    for i, candidate in enumerate(picked):
        partner = prescribers[i % len(prescribers)]
        referral = Referral.objects.create(
            partner=partner, created_by=members.get(partner.name), candidate=candidate,
            first_name=candidate.first_name, last_name=candidate.last_name, email=candidate.email,
            phone=candidate.phone, postcode=candidate.postcode, profile=candidate.profile,
            proposed_track="Reconversion vers le développement web" if i % 2 else "",
            note="Rencontré·e en atelier collectif ; très motivé·e." if i % 3 == 0 else "",
            linked_at=candidate.confirmed_at, share_progress=i % 6 != 5,
            consent_wording_version="" if i % 6 == 5 else "2026-12")
        # The candidate's own created_at is still the insert time here (its demo date is written at the end).
        _backdate(referral, created_at=candidate.confirmed_at - dt.timedelta(days=2))
    for i, partner in enumerate(prescribers):
        first, last = D.PENDING_REFERRALS[i]
        person = {"first_name": first, "last_name": last, "profile": "job_seeker", "postcode": "31000",
                  "email": f"{_ascii(first).lower()}.{_ascii(last).lower()}@{D.DEMO_EMAIL_DOMAIN}"}
        waiting = Referral.objects.create(partner=partner, created_by=members.get(partner.name),
                                          proposed_track="Découverte des métiers du numérique", **person)
        _backdate(waiting, created_at=ctx.days(-2 - i))
        declined = Referral.objects.create(partner=partner, created_by=members.get(partner.name),
                                           first_name="", last_name="", email="", profile="job_seeker",
                                           declined_at=ctx.days(-10 - i))
        _backdate(declined, created_at=ctx.days(-12 - i))
        expired = Referral.objects.create(partner=partner, created_by=members.get(partner.name),
                                          first_name="", last_name="", email="", profile="young_graduate",
                                          erased_at=ctx.days(-20 - i))
        _backdate(expired, created_at=ctx.days(-28 - i))


STEPS = [seed_users, seed_partners, seed_partner_members, seed_companies, _load_reference, seed_postings,
         seed_talent_campaigns, seed_candidates, seed_events, seed_showroom, seed_prospecting,
         seed_prospecting_history, seed_hotline, seed_referrals, seed_targets, seed_courses]


def seed_demo(*, now: dt.datetime | None = None) -> Context:
    """Load the demo data set and return what was loaded (users and their status for the logins table)."""
    ctx = Context(now=now or timezone.now())
    with translation.override("fr"), transaction.atomic():
        _pending_dates.clear()
        for step in STEPS:
            step(ctx)
        _write_dates()
    return ctx
