"""Courses that close skill gaps: their writes (a training partner's members, its API key, coordinators) and
their reads (the public list, a partner's own courses, the courses that teach what a match lacks).

Only training bodies and schools publish courses; a course belongs to one organisation, which alone changes
it (coordinators change any in the admin). What a course shows is public: no person is named in it.
"""

from collections.abc import Hashable, Iterable

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.learning import Gap, Hint
from companies.models import Partner, Skill
from tescforce.reference_data import MONTPELLIER, OCCITANIE_CITIES, TOULOUSE, place_key
from tescforce.text import Fold, fold

from .models import TEACHING_KINDS, Course
from .services import PartnerError

# What a course's form and the API write; the partner and the author are set by the service.
COURSE_FIELDS = ("title", "title_en", "summary", "summary_en", "city", "online", "starts_on", "ends_on", "link",
                 "is_published", *(field for _code, field, _label in Course.FUNDINGS))


def may_publish_courses(partner: Partner) -> bool:
    return partner.kind in TEACHING_KINDS


# --- writes ------------------------------------------------------------------------------------------

def course_check_partner(partner: Partner) -> None:
    """Refuse an organisation that does not teach (PartnerError)."""
    if not may_publish_courses(partner):
        raise PartnerError(_("Seuls les organismes de formation et les écoles publient des formations."),
                           code="not_a_training_body")


def _write(course: Course, data: dict, skills) -> Course:
    for field in COURSE_FIELDS:
        if field in data:
            value = data[field]
            setattr(course, field, value.strip() if isinstance(value, str) else value)
    course.full_clean(exclude=["partner", "created_by"])
    with transaction.atomic():
        course.save()
        if skills is not None:
            course.skills.set(skills)
    return course


def course_create(*, partner: Partner, data: dict, skills: Iterable[Skill], by=None) -> Course:
    """Record a course of `partner` (a training body or a school); `data` holds COURSE_FIELDS."""
    course_check_partner(partner)
    if not skills:
        raise PartnerError(_("Indiquez au moins une compétence enseignée."), field="skills", code="no_skill")
    return _write(Course(partner=partner, created_by=by if getattr(by, "pk", None) else None), data, skills)


def course_update(*, course: Course, data: dict, skills: Iterable[Skill] | None = None) -> Course:
    """Change a course (the caller has checked it belongs to the organisation); `skills` None keeps them."""
    course_check_partner(course.partner)
    if skills is not None and not skills:
        raise PartnerError(_("Indiquez au moins une compétence enseignée."), field="skills", code="no_skill")
    return _write(course, data, skills)


# --- reads -------------------------------------------------------------------------------------------

def published_courses(*, today=None) -> QuerySet[Course]:
    """Published courses not over yet (upcoming or running)."""
    return Course.objects.filter(is_published=True, ends_on__gte=today or timezone.localdate())


def with_funding(queryset: QuerySet[Course], code: str) -> QuerySet[Course]:
    """The courses of `queryset` that a funding (a code of Course.FUNDINGS) may pay for."""
    field = {c: f for c, f, _label in Course.FUNDINGS}[code]
    return queryset.filter(**{field: True})


def course_list() -> QuerySet[Course]:
    """The public list: published courses not over, soonest first, with what a card shows (three queries)."""
    return (published_courses().select_related("partner")
            .prefetch_related(Prefetch("skills", queryset=Skill.objects.only("id", "name", "slug")))
            .order_by("starts_on", "pk"))


def course_cities() -> list[str]:
    """The towns of the courses on the list, sorted as a reader expects (accents in place)."""
    cities = set(published_courses().exclude(city="").values_list("city", flat=True).distinct())
    return sorted(cities, key=lambda c: (fold(c), c))


def partner_courses(partner: Partner) -> QuerySet[Course]:
    """One organisation's courses, published or not, newest change first: the only way its members and its
    API key reach courses."""
    return (Course.objects.filter(partner=partner).select_related("partner")
            .prefetch_related(Prefetch("skills", queryset=Skill.objects.only("id", "name", "slug")))
            .order_by("-updated_at", "-pk"))


def skills_taught() -> list[tuple[int, str]]:
    """The skills some listed course teaches, for the list's filter."""
    return list(Skill.objects.filter(courses__in=published_courses()).distinct()
                .order_by(Fold("name"), "name").values_list("pk", "name"))


# --- courses for the skills a match lacks (companies.learning) ----------------------------------------

_DEPARTMENT = {fold(name): department for name, _postcode, department in OCCITANIE_CITIES}
SAME_CITY, SAME_DEPARTMENT, ONLINE, REGION = "city", "department", "online", "region"
_RANK = {SAME_CITY: 0, SAME_DEPARTMENT: 1, ONLINE: 2, REGION: 3}
# More than enough courses for a page of offers, whatever the catalogue's size.
GAP_QUERY_LIMIT = 300


def _accepted(gap: Gap, key: str) -> bool:
    """Whether the person said they would go to this place (matching's mobility rule)."""
    if key == TOULOUSE:
        return gap.toulouse_area
    if key == MONTPELLIER:
        return gap.montpellier_area
    return gap.elsewhere_in_region


def _where(course: Course, gap: Gap) -> str | None:
    """How near the course is to the person: their own town or metro area, their department, online, a place
    they said they would go to; None when it is out of reach."""
    found = []
    if course.city:
        here, there = place_key(gap.city) if gap.city else "", place_key(course.city)
        department = _DEPARTMENT.get(fold(gap.city)) if gap.city else None
        if here and here == there:
            found.append(SAME_CITY)
        elif department and department == _DEPARTMENT.get(fold(course.city)):
            found.append(SAME_DEPARTMENT)
        elif _accepted(gap, there):
            found.append(REGION)
    if course.online:
        found.append(ONLINE)
    return min(found, key=_RANK.__getitem__) if found else None


def gap_courses(gaps: list[Gap], limit: int) -> dict[Hashable, list[Hint]]:
    """For each gap, up to `limit` courses that teach its skills and are within reach, upcoming or running.

    Two queries for all the gaps of a page: the courses teaching any of their skills (with their
    organisation), and which of those skills each teaches. Best first: the course teaching more of the
    gap's skills, then the nearest (the person's town or metro area, their department, online, a place they
    said they would go to), then the soonest to start.
    """
    wanted = {skill for gap in gaps for skill in gap.skill_ids}
    courses = list(
        published_courses().filter(_teaching(wanted)).select_related("partner")
        .only("id", "title", "title_en", "city", "online", "starts_on", "ends_on", "link", "partner__name",
              "funding_cpf", "funding_france_travail", "funding_region", "funding_employer", "funding_free")
        .order_by("starts_on", "pk")[:GAP_QUERY_LIMIT])
    if not courses:
        return {}
    taught: dict[int, set[int]] = {course.pk: set() for course in courses}
    for course_id, skill_id in Course.skills.through.objects.filter(
            course_id__in=list(taught), skill_id__in=wanted).values_list("course_id", "skill_id"):
        taught[course_id].add(skill_id)
    names = dict(Skill.objects.filter(pk__in=wanted).values_list("pk", "name"))
    result: dict[Hashable, list[Hint]] = {}
    for gap in gaps:
        lacking = set(gap.skill_ids)
        ranked = []
        for course in courses:
            teaches = taught[course.pk] & lacking
            where = _where(course, gap) if teaches else None
            if where is not None:
                ranked.append((-len(teaches), _RANK[where], course.starts_on, course.pk, course, where, teaches))
        ranked.sort(key=lambda row: row[:4])
        if ranked:
            result[gap.key] = [Hint(course=course, where=where,
                                    taught=sorted((names[s] for s in teaches), key=lambda n: (fold(n), n)))
                               for *_order, course, where, teaches in ranked[:limit]]
    return result


def _teaching(skill_ids) -> Q:
    """Courses teaching at least one of these skills, without a join that repeats rows."""
    return Q(pk__in=Course.skills.through.objects.filter(skill_id__in=list(skill_ids)).values("course_id"))
