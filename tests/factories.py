import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from candidates import wording
from candidates.models import Candidate, Consent
from companies.models import Company, JobFamily, JobPosting, Partner, Recruiter, Skill
from events.models import Edition, Programme, Registration, Session
from prospecting.models import Meeting, Prospect
from showroom.models import Sector, UseCase

# Valid SIRETs (Luhn) for factories: 732 829 320 00074 is a public example of the INSEE docs.
VALID_SIRETS = ["73282932000074", "55208131766522", "44306184100047", "35600000000048"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@tescforce.example")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Agent{n}")
    is_staff = True
    password = factory.django.Password("correct-horse-battery-staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get(name=name))


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")
    category = Skill.Category.LANGUAGE


class JobFamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobFamily
        django_get_or_create = ("code",)

    code = "M1805"
    label = "Études et développement informatique"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Entreprise {n}")
    slug = factory.Sequence(lambda n: f"entreprise-{n}")
    kind = Company.Kind.ESN
    city = "Toulouse"
    postcode = "31000"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partenaire {n}")
    kind = Partner.Kind.TRAINING


class RecruiterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recruiter

    user = factory.SubFactory(UserFactory, groups=["Recruteurs"])
    company = factory.SubFactory(CompanyFactory)


class JobPostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobPosting

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Développeur·se Python {n}")
    slug = factory.Sequence(lambda n: f"developpeur-python-{n}")
    job_family = factory.SubFactory(JobFamilyFactory)
    description = "Vous rejoignez une équipe produit à Toulouse."
    contract = JobPosting.Contract.CDI
    city = "Toulouse"
    status = JobPosting.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    first_name = "Hélène"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.org")
    phone = "+33612345678"
    postcode = "31000"
    city = "Toulouse"
    profile = Candidate.Profile.RETRAINING
    confirmed_at = factory.LazyFunction(timezone.now)


def give_consent(candidate, kind=Consent.Kind.SHOWN_ON_MATCH, *, version=None) -> Consent:
    """Record an active consent of `kind` (the current wording unless `version` says otherwise)."""
    return Consent.objects.create(candidate=candidate, kind=kind, given_at=timezone.now(),
                                  wording_version=version or wording.VERSIONS[kind])


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    name = "Numéric Emploi"
    slug = "numeric-emploi"


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        django_get_or_create = ("programme", "number")

    programme = factory.SubFactory(ProgrammeFactory)
    number = 2
    name = "2e édition"
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    starts_on = factory.LazyFunction(timezone.localdate)


def today_from_now(offset: dt.timedelta) -> dt.datetime:
    """Now plus `offset`, kept within today's date in Paris: the check-in desk opens on the session's day only,
    so a session "in a minute" at 23:59 or "half an hour ago" at 00:10 would fall on a closed day."""
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return min(max(now + offset, midnight), midnight + dt.timedelta(days=1) - dt.timedelta(seconds=1))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    edition = factory.SubFactory(EditionFactory)
    title = factory.Sequence(lambda n: f"Job dating {n}")
    city = "Toulouse"
    venue = "La Cantine"
    format = Session.Format.JOB_DATING
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    capacity = 25


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    candidate = factory.SubFactory(CandidateFactory)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    name = "Aéronautique"
    slug = "aeronautique"


class UseCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UseCase

    title = factory.Sequence(lambda n: f"Cas d'usage {n}")
    slug = factory.Sequence(lambda n: f"cas-usage-{n}")
    summary = "Un jumeau numérique pour la maintenance."
    body = "Description détaillée."
    sector = factory.SubFactory(SectorFactory)
    client_type = UseCase.ClientType.INDUSTRY
    is_published = True


class ProspectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prospect

    name = factory.Sequence(lambda n: f"Prospect {n}")
    country = "TW"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    prospect = factory.SubFactory(ProspectFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "candidates.Campaign"
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Campagne {n}")
    code = factory.Sequence(lambda n: f"campagne-{n}")
    city = "Paris"
    channel = "social"
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


def partner_member(partner=None, *, username: str, language: str = "fr", **user_fields):
    """A member of a partner organisation (a non-staff account with the Partenaires role), with a password."""
    from partners.models import Member

    user = UserFactory(username=username, is_staff=False, groups=["Partenaires"], **user_fields)
    return Member.objects.create(user=user, partner=partner or PartnerFactory(kind=Partner.Kind.FRANCE_TRAVAIL),
                                 language=language)
