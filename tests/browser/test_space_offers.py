"""Mon espace with offers and job-dating interviews, in a phone's browser: no serious accessibility
violation, nothing wider than the screen, the interviews' .ics reachable, in French and English."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from candidates import tokens
from companies.models import Skill
from matching import services as matching_services
from matching.models import Interview, JobDatingAgenda
from tests import factories

from .journey_steps import LANGUAGES, tr


def _person_with_offers_and_interviews():
    python = factories.SkillFactory(name="Python", slug="python", category=Skill.Category.LANGUAGE)
    docker = factories.SkillFactory(name="Docker", slug="docker", category=Skill.Category.CLOUD)
    person = factories.CandidateFactory(first_name="Nadia", city="Toulouse", mobility_toulouse=True)
    person.skills.set([python])
    factories.give_consent(person)
    for n in range(3):
        posting = factories.JobPostingFactory(title=f"Développeuse Python {n}", city="Toulouse")
        posting.skills_required.set([python, docker])
    matching_services.matches_recompute_all()
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=4)
    session = factories.SessionFactory(title="Job dating Blagnac", starts_at=start,
                                       ends_at=start + dt.timedelta(hours=1))
    agenda = JobDatingAgenda.objects.create(session=session, published_at=timezone.now())
    Interview.objects.create(agenda=agenda, company=factories.CompanyFactory(name="Aéro Logiciel"), candidate=person,
                             starts_at=start, ends_at=start + dt.timedelta(minutes=15))
    return person


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mon_espace_with_offers_and_interviews_reads_well_on_a_phone(phone_journey, lang):
    person = _person_with_offers_and_interviews()
    page = phone_journey.page
    token = tokens.make_token(candidate_public_id=str(person.public_id), purpose="space")
    phone_journey.open(f"/{lang}/mon-espace/lien/{token}/", "signed in")
    phone_journey.open(f"/{lang}/mon-espace/accueil/", "mon espace")
    offers = page.get_by_role("region", name=tr("Offres pour vous", lang))
    assert offers.get_by_role("article").count() == 3
    assert page.get_by_role("region", name=tr("Mes entretiens de job dating", lang)).is_visible()
    violations = [v for v in Axe().run(page, options={"resultTypes": ["violations"]}).response["violations"]
                  if v["impact"] in {"serious", "critical"}]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    link = page.get_by_role("link", name=tr("Ajouter à mon agenda (.ics)", lang) + " : Job dating Blagnac")
    response = page.request.get(phone_journey.url(link.get_attribute("href")))
    assert response.status == 200 and b"BEGIN:VEVENT" in response.body()
