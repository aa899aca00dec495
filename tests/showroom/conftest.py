import io

import pytest
from PIL import Image

from showroom.models import Sector, Technology, UseCase

from .. import factories


@pytest.fixture
def catalogue(db, company_a, company_b):
    """Three published use cases in two sectors, bilingual, and one draft."""
    # Sectors and technologies come from the reference data migration; make the names certain.
    aero, _ = Sector.objects.update_or_create(slug="aeronautique", defaults={"name_fr": "Aéronautique",
                                                                             "name_en": "Aerospace"})
    health, _ = Sector.objects.update_or_create(slug="sante", defaults={"name_fr": "Santé", "name_en": "Health"})
    iot, _ = Technology.objects.update_or_create(slug="iot", defaults={"name_fr": "Internet des objets",
                                                                       "name_en": "Internet of Things"})
    ai, _ = Technology.objects.update_or_create(slug="ia", defaults={"name_fr": "Intelligence artificielle",
                                                                     "name_en": "Artificial intelligence"})
    twin = UseCase.objects.create(
        slug="jumeau-numerique", sector=aero, client_type=UseCase.ClientType.INDUSTRY, is_published=True,
        is_featured=True, position=1,
        title_fr="Jumeau numérique d'une ligne d'assemblage", title_en="Digital twin of an assembly line",
        summary_fr="Maintenance prédictive des robots grâce aux capteurs.",
        summary_en="Predictive maintenance of robots using sensors.",
        body_fr="Les capteurs remontent les vibrations des robots d'assemblage.",
        body_en="Sensors report the vibrations of the assembly robots.",
        results_fr="30 % d'arrêts en moins.", results_en="30% fewer stoppages.",
    )
    twin.technologies.set([iot, ai])
    twin.companies.set([company_a])
    drone = UseCase.objects.create(
        slug="inspection-drone", sector=aero, client_type=UseCase.ClientType.SME, is_published=True, position=2,
        title_fr="Inspection de fuselage par drone", title_en="Fuselage inspection by drone",
        summary_fr="Des drones inspectent les avions au hangar.", summary_en="Drones inspect aircraft in the hangar.",
        body_fr="Vision par ordinateur.", body_en="Computer vision.",
    )
    drone.technologies.set([ai])
    drone.companies.set([company_b])
    hospital = UseCase.objects.create(
        slug="hopital-connecte", sector=health, client_type=UseCase.ClientType.HEALTH, is_published=True, position=3,
        title_fr="Hôpital connecté", title_en="Connected hospital",
        summary_fr="Suivi des lits en temps réel.", summary_en="Real-time bed tracking.",
        body_fr="Des balises suivent les lits.", body_en="Beacons track the beds.",
    )
    hospital.technologies.set([iot])
    draft = factories.UseCaseFactory(slug="brouillon", title_fr="Projet secret", is_published=False, sector=health)
    return {"twin": twin, "drone": drone, "hospital": hospital, "draft": draft, "aero": aero, "health": health,
            "iot": iot, "ai": ai}


def image_bytes(fmt="JPEG", size=(64, 48), exif=True) -> bytes:
    image = Image.new("RGB", size, (120, 30, 140))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCameraMaker"  # Make
        data[0x8825] = {2: (43.0, 36.0, 0.0)}  # GPS info
        kwargs["exif"] = data
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()
