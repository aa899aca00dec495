"""Rows the courses' and the API's tests make: skills, courses, members of an organisation."""

import datetime as dt

from django.utils import timezone
from django.utils.text import slugify

from companies.models import Skill
from partners.models import Course, Member
from tescforce import roles
from tests import factories


def skill(name: str, slug: str | None = None) -> Skill:
    return Skill.objects.get_or_create(slug=slug or name.lower(),
                                       defaults={"name": name, "category": Skill.Category.LANGUAGE})[0]


def course(partner, *, title="Développeur·se Python", skills=("Python",), city="Toulouse", online=False, start=10,
           days=60, published=True, **fields) -> Course:
    today = timezone.localdate()
    row = Course.objects.create(partner=partner, title=title, city=city, online=online,
                                starts_on=today + dt.timedelta(days=start),
                                ends_on=today + dt.timedelta(days=start + days),
                                link="https://formation.example/" + slugify(title),
                                is_published=published, **fields)
    row.skills.set([skill(name) for name in skills])
    return row


def member(partner, username: str, **user) -> Member:
    account = factories.UserFactory(username=username, is_staff=False, groups=[roles.PARTNERS], **user)
    return Member.objects.create(user=account, partner=partner)
