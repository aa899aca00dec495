"""Reference data that ships with the platform: digital jobs of the ROME, skills, sectors, technologies, cities.

A data migration (tescforce/migrations/0003_reference_data.py) loads it into every database, test ones
included; nothing is fetched at run time. To change an entry, edit it here and add a migration that calls
`load_reference_data` again: loading is idempotent (update_or_create on each natural key).
"""

from django.utils import timezone
from django.utils.text import slugify

from .text import fold

# Digital jobs of the ROME (France Travail's job directory), with their official French labels.
ROME_JOB_FAMILIES: list[tuple[str, str]] = [
    # Information systems: the core of the digital sector.
    ("M1801", "Administration de systèmes d'information"),
    ("M1802", "Expertise et support en systèmes d'information"),
    ("M1803", "Direction des systèmes d'information"),
    ("M1804", "Études et développement de réseaux de télécoms"),
    ("M1805", "Études et développement informatique"),
    ("M1806", "Conseil et maîtrise d'ouvrage en systèmes d'information"),
    ("M1808", "Information géographique"),
    ("M1810", "Production et exploitation de systèmes d'information"),
    # Other jobs digital firms hire for.
    ("M1402", "Conseil en organisation et management d'entreprise"),
    ("M1403", "Études et prospectives socio-économiques"),
    ("M1703", "Management et gestion de produit"),
    ("M1705", "Marketing"),
    ("D1407", "Relation technico-commerciale"),
    ("E1101", "Animation de site multimédia"),
    ("E1104", "Conception de contenus multimédias"),
    ("E1205", "Réalisation de contenus multimédias"),
    ("H1101", "Assistance et support technique client"),
    ("H1202", "Conception et dessin de produits électriques et électroniques"),
    ("H1206", "Management et ingénierie études, recherche et développement industriel"),
    ("H1207", "Rédaction technique"),
    ("H1208", "Intervention technique en études et conception en automatisme"),
    ("H1209", "Intervention technique en études et développement électronique"),
    ("H1210", "Intervention technique en études, recherche et développement"),
    ("I1307", "Installation et maintenance télécoms et courants faibles"),
    ("I1401", "Maintenance informatique et bureautique"),
    ("K2111", "Formation professionnelle"),
]

# The same jobs in English, for the site's English pages (France Travail publishes the ROME in French only).
ROME_JOB_FAMILIES_EN: dict[str, str] = {
    "M1801": "Information systems administration",
    "M1802": "Information systems expertise and support",
    "M1803": "Information systems management (CIO)",
    "M1804": "Telecom network design and development",
    "M1805": "Software design and development",
    "M1806": "Information systems consulting and project ownership",
    "M1808": "Geographic information",
    "M1810": "Information systems production and operations",
    "M1402": "Business organisation and management consulting",
    "M1403": "Socio-economic studies and foresight",
    "M1703": "Product management",
    "M1705": "Marketing",
    "D1407": "Technical sales",
    "E1101": "Multimedia website management",
    "E1104": "Multimedia content design",
    "E1205": "Multimedia content production",
    "H1101": "Customer technical support",
    "H1202": "Electrical and electronic product design and drafting",
    "H1206": "Industrial R&D engineering and management",
    "H1207": "Technical writing",
    "H1208": "Automation design technician",
    "H1209": "Electronics design and development technician",
    "H1210": "Research and development technician",
    "I1307": "Telecom and low-voltage installation and maintenance",
    "I1401": "IT and office equipment maintenance",
    "K2111": "Vocational training",
}

LANGUAGE = "language"
FRAMEWORK = "framework"
DATA = "data"
CLOUD = "cloud"
SECURITY = "security"
EMBEDDED = "embedded"
ERP = "erp"
METHOD = "method"
DESIGN = "design"
SOFT = "soft"

# (name, category); the slug is derived from the name.
SKILLS: list[tuple[str, str]] = [
    ("Python", LANGUAGE), ("Java", LANGUAGE), ("JavaScript", LANGUAGE), ("TypeScript", LANGUAGE),
    ("C", LANGUAGE), ("C++", LANGUAGE), ("C#", LANGUAGE), ("Go", LANGUAGE), ("Rust", LANGUAGE),
    ("PHP", LANGUAGE), ("Kotlin", LANGUAGE), ("Swift", LANGUAGE), ("SQL", LANGUAGE), ("Ada", LANGUAGE),
    ("Bash", LANGUAGE),
    ("Django", FRAMEWORK), ("Flask", FRAMEWORK), ("FastAPI", FRAMEWORK), ("Spring", FRAMEWORK),
    ("React", FRAMEWORK), ("Angular", FRAMEWORK), ("Vue.js", FRAMEWORK), ("Node.js", FRAMEWORK),
    (".NET", FRAMEWORK), ("Symfony", FRAMEWORK), ("Flutter", FRAMEWORK), ("Android", FRAMEWORK),
    ("iOS", FRAMEWORK),
    ("Machine learning", DATA), ("Deep learning", DATA), ("Data engineering", DATA), ("Power BI", DATA),
    ("Pandas", DATA), ("Spark", DATA), ("PostgreSQL", DATA), ("MongoDB", DATA), ("TensorFlow", DATA),
    ("PyTorch", DATA), ("Vision par ordinateur", DATA), ("Traitement du langage naturel", DATA),
    ("AWS", CLOUD), ("Azure", CLOUD), ("Google Cloud", CLOUD), ("Docker", CLOUD), ("Kubernetes", CLOUD),
    ("Terraform", CLOUD), ("Linux", CLOUD), ("Réseaux TCP/IP", CLOUD), ("CI/CD", CLOUD), ("Ansible", CLOUD),
    ("Sécurité des systèmes d'information", SECURITY), ("Pentest", SECURITY), ("SOC / SIEM", SECURITY),
    ("ISO 27001", SECURITY), ("Gestion des identités (IAM)", SECURITY), ("Cryptographie", SECURITY),
    ("Systèmes embarqués", EMBEDDED), ("Temps réel (RTOS)", EMBEDDED), ("IoT", EMBEDDED),
    ("Électronique numérique", EMBEDDED), ("FPGA / VHDL", EMBEDDED), ("DO-178C", EMBEDDED),
    ("LoRaWAN", EMBEDDED), ("Automatisme industriel", EMBEDDED),
    ("SAP", ERP), ("ABAP", ERP), ("SAP S/4HANA", ERP), ("SAP FICO", ERP), ("Salesforce", ERP),
    ("Microsoft Dynamics", ERP), ("Odoo", ERP),
    ("Agile / Scrum", METHOD), ("Git", METHOD), ("Tests automatisés", METHOD), ("DevOps", METHOD),
    ("Gestion de projet", METHOD), ("ITIL", METHOD), ("Architecture logicielle", METHOD),
    ("UX design", DESIGN), ("UI design", DESIGN), ("Figma", DESIGN), ("Accessibilité numérique (RGAA)", DESIGN),
    ("Product management", DESIGN),
    ("Travail en équipe", SOFT), ("Communication", SOFT), ("Anglais professionnel", SOFT),
    ("Autonomie", SOFT), ("Relation client", SOFT), ("Pédagogie", SOFT),
]

# Close skills, counted partly by the matching engine; each pair is stored in both directions.
SKILL_RELATIONS: list[tuple[str, str]] = [
    ("Python", "Django"), ("Python", "Flask"), ("Python", "FastAPI"), ("Python", "Pandas"),
    ("Django", "Flask"), ("Flask", "FastAPI"),
    ("Java", "Spring"), ("Java", "Kotlin"), ("Kotlin", "Android"), ("Swift", "iOS"),
    ("JavaScript", "TypeScript"), ("JavaScript", "React"), ("JavaScript", "Vue.js"), ("JavaScript", "Node.js"),
    ("TypeScript", "Angular"), ("React", "Vue.js"), ("React", "Angular"),
    ("C", "C++"), ("C++", "Rust"), ("C#", ".NET"), ("PHP", "Symfony"), ("Flutter", "Android"),
    ("Flutter", "iOS"),
    ("SQL", "PostgreSQL"), ("PostgreSQL", "MongoDB"), ("Pandas", "Spark"), ("Spark", "Data engineering"),
    ("Machine learning", "Deep learning"), ("Deep learning", "TensorFlow"), ("Deep learning", "PyTorch"),
    ("TensorFlow", "PyTorch"), ("Deep learning", "Vision par ordinateur"),
    ("Deep learning", "Traitement du langage naturel"), ("Power BI", "SQL"),
    ("AWS", "Azure"), ("Azure", "Google Cloud"), ("AWS", "Google Cloud"),
    ("Docker", "Kubernetes"), ("Terraform", "Ansible"), ("Terraform", "AWS"), ("Linux", "Bash"),
    ("CI/CD", "DevOps"), ("DevOps", "Docker"), ("Git", "CI/CD"),
    ("Sécurité des systèmes d'information", "ISO 27001"), ("Pentest", "SOC / SIEM"),
    ("Sécurité des systèmes d'information", "Gestion des identités (IAM)"),
    ("Cryptographie", "Sécurité des systèmes d'information"),
    ("Systèmes embarqués", "C"), ("Systèmes embarqués", "Temps réel (RTOS)"), ("Systèmes embarqués", "IoT"),
    ("Systèmes embarqués", "DO-178C"), ("Ada", "DO-178C"), ("IoT", "LoRaWAN"),
    ("Électronique numérique", "FPGA / VHDL"), ("Automatisme industriel", "Systèmes embarqués"),
    ("SAP", "ABAP"), ("SAP", "SAP S/4HANA"), ("SAP", "SAP FICO"), ("ABAP", "SAP S/4HANA"),
    ("Salesforce", "Microsoft Dynamics"), ("Microsoft Dynamics", "Odoo"),
    ("Agile / Scrum", "Gestion de projet"), ("Gestion de projet", "Product management"),
    ("UX design", "UI design"), ("UI design", "Figma"), ("UX design", "Accessibilité numérique (RGAA)"),
    ("UX design", "Product management"), ("Tests automatisés", "CI/CD"),
    ("Communication", "Relation client"), ("Communication", "Pédagogie"),
]

# Showroom sectors and technologies: (slug, French name, English name).
SECTORS: list[tuple[str, str, str]] = [
    ("aeronautique", "Aéronautique", "Aerospace"),
    ("spatial", "Spatial", "Space"),
    ("sante", "Santé", "Health"),
    ("batiments-intelligents", "Bâtiments intelligents", "Smart buildings"),
    ("energie", "Énergie", "Energy"),
    ("agriculture", "Agriculture et agroalimentaire", "Agriculture and food"),
    ("mobilite", "Mobilité et transports", "Mobility and transport"),
    ("industrie", "Industrie", "Manufacturing"),
    ("services-publics", "Services publics", "Public services"),
    ("finance", "Banque, finance et assurance", "Banking, finance and insurance"),
    ("commerce", "Commerce et distribution", "Retail"),
    ("tourisme", "Tourisme", "Tourism"),
]

TECHNOLOGIES: list[tuple[str, str, str]] = [
    ("iot", "Internet des objets", "Internet of Things"),
    ("ia", "Intelligence artificielle", "Artificial intelligence"),
    ("cloud", "Cloud", "Cloud"),
    ("sap", "SAP", "SAP"),
    ("embarque", "Systèmes embarqués", "Embedded systems"),
    ("cybersecurite", "Cybersécurité", "Cybersecurity"),
    ("donnees", "Données et analytique", "Data and analytics"),
    ("jumeau-numerique", "Jumeau numérique", "Digital twin"),
    ("5g", "5G et réseaux", "5G and networks"),
    ("blockchain", "Blockchain", "Blockchain"),
    ("realite-etendue", "Réalité virtuelle et augmentée", "Virtual and augmented reality"),
    ("robotique", "Robotique", "Robotics"),
    ("mobile", "Applications mobiles", "Mobile apps"),
    ("geomatique", "Géomatique et imagerie satellite", "Geospatial and satellite imagery"),
]

# Cities offered in forms: (name, postcode, département).
OCCITANIE_CITIES: list[tuple[str, str, str]] = [
    ("Toulouse", "31000", "31"),
    ("Montpellier", "34000", "34"),
    ("Labège", "31670", "31"),
    ("Blagnac", "31700", "31"),
    ("Colomiers", "31770", "31"),
    ("Ramonville-Saint-Agne", "31520", "31"),
    ("Castanet-Tolosan", "31320", "31"),
    ("Balma", "31130", "31"),
    ("Tournefeuille", "31170", "31"),
    ("Muret", "31600", "31"),
    ("Saint-Gaudens", "31800", "31"),
    ("Castelnau-le-Lez", "34170", "34"),
    ("Lattes", "34970", "34"),
    ("Pérols", "34470", "34"),
    ("Mauguio", "34130", "34"),
    ("Sète", "34200", "34"),
    ("Béziers", "34500", "34"),
    ("Nîmes", "30000", "30"),
    ("Alès", "30100", "30"),
    ("Perpignan", "66000", "66"),
    ("Narbonne", "11100", "11"),
    ("Carcassonne", "11000", "11"),
    ("Albi", "81000", "81"),
    ("Castres", "81100", "81"),
    ("Montauban", "82000", "82"),
    ("Tarbes", "65000", "65"),
    ("Auch", "32000", "32"),
    ("Rodez", "12000", "12"),
    ("Millau", "12100", "12"),
    ("Cahors", "46000", "46"),
    ("Figeac", "46100", "46"),
    ("Foix", "09000", "09"),
    ("Pamiers", "09100", "09"),
    ("Mende", "48000", "48"),
]

TOULOUSE, MONTPELLIER = "toulouse", "montpellier"
# Communes of the two metropolitan areas: a job in Blagnac is "on Toulouse" for a candidate (matching's place
# criterion), and a course in Labège is in a Toulousain's own area (the courses under their offers).
METRO_AREAS = {
    TOULOUSE: {
        "toulouse", "blagnac", "colomiers", "labege", "ramonville saint agne", "balma", "l union",
        "tournefeuille", "castanet tolosan", "saint orens de gameville", "cugnaux", "portet sur garonne",
        "escalquens", "muret", "beauzelle", "cornebarrieu", "aucamville", "launaguet", "quint fonsegrives",
    },
    MONTPELLIER: {
        "montpellier", "castelnau le lez", "lattes", "perols", "saint jean de vedas", "juvignac", "grabels",
        "jacou", "le cres", "clapiers", "baillargues", "vendargues", "mauguio", "saint clement de riviere",
    },
}
_METRO_OF = {town: area for area, towns in METRO_AREAS.items() for town in towns}


def place_key(city: str) -> str:
    """Return a comparable key for a city name: the metro area, or the bare lower-case name."""
    text = fold(city)
    for char in "-'’_.,":
        text = text.replace(char, " ")
    text = " ".join(text.split())
    if text.startswith("st "):
        text = "saint " + text[3:]
    return _METRO_OF.get(text, text)


# The year's targets from the source article (Numéric Emploi 2nd edition, 400 prospecting meetings).
YEAR_TARGET_DEFAULTS = {"candidates": 200, "sessions": 8, "companies": 40, "meetings": 400, "settlements": 3}
YEAR_TARGET_FIRST_YEAR = 2023


def skill_slug(name: str) -> str:
    """Return the slug of a skill name ("C++" and "C#" need their own)."""
    special = {"C++": "cpp", "C#": "csharp", ".NET": "dotnet", "C": "c", "Go": "go", "SOC / SIEM": "soc-siem"}
    return special.get(name) or slugify(name)


def city_choices() -> list[tuple[str, str]]:
    """Return (value, label) pairs for a form's city field."""
    return [(name, f"{name} ({postcode})") for name, postcode, _dept in OCCITANIE_CITIES]


def postcode_for(city: str) -> str:
    """Return the postcode of an Occitanie city of the list, or an empty string."""
    return next((postcode for name, postcode, _dept in OCCITANIE_CITIES if name == city), "")


def load_reference_data(apps, schema_editor=None) -> None:
    """Create or update every reference row (callable from a migration with its historical `apps`)."""
    JobFamily = apps.get_model("companies", "JobFamily")
    Skill = apps.get_model("companies", "Skill")
    Sector = apps.get_model("showroom", "Sector")
    Technology = apps.get_model("showroom", "Technology")
    YearTarget = apps.get_model("tescforce", "YearTarget")

    # The English label exists from companies' migration 0008 on; an earlier migration's model lacks it.
    english = any(field.name == "label_en" for field in JobFamily._meta.get_fields())
    for code, label in ROME_JOB_FAMILIES:
        defaults = {"label": label, **({"label_en": ROME_JOB_FAMILIES_EN[code]} if english else {})}
        JobFamily.objects.update_or_create(code=code, defaults=defaults)

    skills = {}
    for name, category in SKILLS:
        skills[name], _created = Skill.objects.update_or_create(
            slug=skill_slug(name), defaults={"name": name, "category": category}
        )
    for left, right in SKILL_RELATIONS:
        # Historical models do not know that the relation is symmetrical: store both directions.
        skills[left].related.add(skills[right])
        skills[right].related.add(skills[left])

    for model, rows in ((Sector, SECTORS), (Technology, TECHNOLOGIES)):
        for slug, name_fr, name_en in rows:
            model.objects.update_or_create(slug=slug, defaults={"name": name_fr, "name_fr": name_fr,
                                                                "name_en": name_en})

    # Coordinators edit targets: create missing years, never overwrite an existing one.
    for year in sorted({YEAR_TARGET_FIRST_YEAR, timezone.now().year}):
        YearTarget.objects.get_or_create(year=year, defaults=YEAR_TARGET_DEFAULTS)
