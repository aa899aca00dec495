"""The demo's courses: a dozen from fictional training bodies, teaching the skills the demo's postings ask for.

The organisations join the partners' directory (`data.PARTNERS` has the first two); a course's natural key is
its organisation and French title. Dates follow the day of the first run: most courses start in the weeks to
come, two are running, one is a draft its organisation has not published.
"""

import datetime as dt

from django.apps import apps
from django.utils.text import slugify

from tescforce.reference_data import skill_slug

from . import data as D

ACADEMIE = "Académie du Code Occitanie (démo)"
LEZ = "Campus Numérique du Lez (démo)"
CYBER = "École Cyber Garonne (démo)"
PYRENEES = "Pyrénées Numérique Formation (démo)"
OUVERTE = "Formation Ouverte Occitanie (démo)"
NIMES = "École du Numérique de Nîmes (démo)"  # in data.PARTNERS too, with a member (partenaire-ecole)

PARTNERS = [
    {"name": CYBER, "kind": "school", "city": "Toulouse"},
    {"name": PYRENEES, "kind": "training", "city": "Tarbes"},
    {"name": OUVERTE, "kind": "training", "city": "Albi"},
]

LINK = "https://formation.example/"  # fictional addresses, on a domain reserved for examples

# start: days from today; days: how long it lasts; funding: codes of Course.FUNDINGS.
COURSES = [
    {"partner": ACADEMIE, "title": "Développeur·se web Python et Django", "title_en": "Python and Django web developer",
     "summary": "Quatre mois pour passer de débutant·e à développeur·se back-end : Python, Django, SQL et Git, "
                "avec un projet mené en équipe et un stage en entreprise.",
     "summary_en": "Four months from beginner to back-end developer: Python, Django, SQL and Git, with a team "
                   "project and a placement in a company.",
     "skills": ["Python", "Django", "SQL", "Git"], "city": "Toulouse", "start": 21, "days": 120,
     "funding": ["cpf", "france_travail", "region"]},
    {"partner": ACADEMIE, "title": "Docker et intégration continue en cinq jours",
     "title_en": "Docker and continuous integration in five days",
     "summary": "Conteneuriser une application, écrire une chaîne d'intégration continue, déployer sous Linux.",
     "skills": ["Docker", "CI/CD", "Linux"], "city": "Toulouse", "online": True, "start": 10, "days": 5,
     "funding": ["cpf", "employer"]},
    {"partner": ACADEMIE, "title": "Java et Spring Boot pour une reconversion",
     "title_en": "Java and Spring Boot for career changers",
     "summary": "Le socle Java puis les services web avec Spring Boot, en petit groupe.",
     "skills": ["Java", "Spring"], "city": "Toulouse", "start": -20, "days": 80,
     "funding": ["france_travail", "region"]},
    {"partner": LEZ, "title": "Développeur·se front-end React", "title_en": "Front-end React developer",
     "summary": "JavaScript moderne, TypeScript et React, et l'accessibilité dès la première maquette.",
     "summary_en": "Modern JavaScript, TypeScript and React, with accessibility from the first mock-up.",
     "skills": ["JavaScript", "React", "TypeScript"], "city": "Montpellier", "start": 30, "days": 90,
     "funding": ["cpf", "france_travail", "region"]},
    {"partner": LEZ, "title": "Data analyst : SQL, Pandas et Power BI",
     "title_en": "Data analyst: SQL, Pandas and Power BI",
     "summary": "Interroger une base, nettoyer des données avec Pandas, construire des tableaux de bord.",
     "skills": ["SQL", "Pandas", "Power BI"], "city": "Montpellier", "online": True, "start": 45, "days": 70,
     "funding": ["cpf", "region"]},
    {"partner": LEZ, "title": "Découvrir Flutter en dix jours", "title_en": "Flutter in ten days",
     "summary": "Une première application mobile pour Android et iOS, entièrement à distance.",
     "skills": ["Flutter"], "city": "", "online": True, "start": 14, "days": 10, "funding": ["free"]},
    {"partner": LEZ, "title": "Anglais professionnel pour le numérique", "title_en": "Professional English for tech",
     "skills": ["Anglais professionnel"], "city": "Montpellier", "start": -10, "days": 40, "funding": ["free"]},
    {"partner": CYBER, "title": "Analyste SOC", "title_en": "SOC analyst",
     "summary": "Surveiller, détecter et répondre aux incidents : SIEM, réseaux, sécurité des systèmes d'information.",
     "skills": ["SOC / SIEM", "Réseaux TCP/IP", "Sécurité des systèmes d'information"], "city": "Toulouse",
     "start": 40, "days": 150, "funding": ["region", "france_travail"]},
    {"partner": CYBER, "title": "Préparation ISO 27001 Lead Implementer",
     "skills": ["ISO 27001", "Sécurité des systèmes d'information"], "city": "", "online": True, "start": 25,
     "days": 5, "funding": ["employer", "cpf"]},
    {"partner": PYRENEES, "title": "Développement embarqué en C et temps réel",
     "title_en": "Embedded development in C and real time",
     "summary": "C et C++ sur microcontrôleur, noyau temps réel, bancs de test, aux portes de l'aéronautique.",
     "skills": ["C", "C++", "Systèmes embarqués", "Temps réel (RTOS)"], "city": "Tarbes", "start": 35,
     "days": 100, "funding": ["region", "france_travail"]},
    {"partner": PYRENEES, "title": "Capteurs connectés : IoT et LoRaWAN",
     "title_en": "Connected sensors: IoT and LoRaWAN",
     "skills": ["IoT", "LoRaWAN"], "city": "Tarbes", "online": True, "start": 60, "days": 15,
     "funding": ["cpf", "employer"]},
    {"partner": OUVERTE, "title": "Data engineering avec Spark", "title_en": "Data engineering with Spark",
     "summary": "Pipelines de données en Python et Spark, du fichier brut à l'entrepôt, à distance.",
     "skills": ["Spark", "Data engineering", "Python"], "city": "", "online": True, "start": 20, "days": 60,
     "funding": ["cpf", "employer"]},
    {"partner": OUVERTE, "title": "Consultant·e SAP FICO", "title_en": "SAP FICO consultant",
     "skills": ["SAP", "SAP FICO"], "city": "Albi", "online": True, "start": 50, "days": 80,
     "funding": ["france_travail", "region"]},
    {"partner": NIMES, "title": "Développeur·se web et web mobile (titre professionnel)",
     "title_en": "Web and mobile web developer (professional title)",
     "summary": "Sept mois pour concevoir et développer des applications web : JavaScript, SQL et Git, avec un "
                "stage en entreprise.",
     "summary_en": "Seven months to design and build web applications: JavaScript, SQL and Git, with a placement "
                   "in a company.",
     "skills": ["JavaScript", "SQL", "Git"], "city": "Nîmes", "start": 28, "days": 210,
     "funding": ["cpf", "france_travail", "region"]},
    {"partner": NIMES, "title": "Linux et réseaux : les bases", "title_en": "Linux and networks: the basics",
     "skills": ["Linux", "Réseaux TCP/IP"], "city": "Nîmes", "online": True, "start": 12, "days": 20,
     "funding": ["free"]},
    # A draft: its organisation sees it in "Mes formations"; nobody else does.
    {"partner": OUVERTE, "title": "Power BI pour les métiers", "skills": ["Power BI"], "city": "Albi", "start": 90,
     "days": 3, "funding": ["employer"], "published": False},
]


def seed_courses(ctx) -> None:
    Partner = apps.get_model("companies.Partner")
    Course = apps.get_model("partners.Course")
    fields = {code: field for code, field, _label in Course.FUNDINGS}
    for spec in PARTNERS:
        ctx.partners[spec["name"]], _created = Partner.objects.get_or_create(name=spec["name"], defaults={
            "kind": spec["kind"], "city": spec["city"], "contact_name": "Accueil (démo)",
            "contact_email": f"contact-{slugify(spec['name'])}@{D.DEMO_EMAIL_DOMAIN}"})
    for spec in COURSES:
        partner = ctx.partners[spec["partner"]]
        starts = ctx.today + dt.timedelta(days=spec["start"])
        course, created = Course.objects.get_or_create(partner=partner, title=spec["title"], defaults={
            "title_en": spec.get("title_en", ""), "summary": spec.get("summary", ""),
            "summary_en": spec.get("summary_en", ""), "city": spec["city"], "online": spec.get("online", False),
            "starts_on": starts, "ends_on": starts + dt.timedelta(days=spec["days"]),
            "link": f"{LINK}{slugify(spec['partner'])}/{slugify(spec['title'])}",
            "is_published": spec.get("published", True),
            **{fields[code]: True for code in spec["funding"]}})
        if created:
            course.skills.set([ctx.skills[skill_slug(name)] for name in spec["skills"]])
