"""The API's endpoints (docs/api.md): open data without a key, an organisation's referrals and courses with it.

Every partner endpoint reads through its organisation's own rows (`partner_of(request)`): another
organisation's referral or course answers 404, as a row that does not exist. Writes go through the same
services as the partner space (`services.referral_create`, `courses.course_create`/`course_update`).
"""

import hashlib

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from companies.models import JobPosting, Skill
from companies.selectors import open_postings
from events.selectors import session_upcoming
from tescforce import page_cache

from .. import courses, selectors, services
from ..models import Course, Referral
from . import serializers as s
from .authentication import partner_of

# --- open data ------------------------------------------------------------------------------------------

class OpenData(generics.ListAPIView):
    """A public list: no key, throttled per address, cacheable (Cache-Control, and an ETag that moves when the
    data does: the page cache's version of its group, and the day)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    cache_group = ""
    max_age = 300

    def _etag(self, request) -> str | None:
        version = page_cache.versions(self.cache_group)
        if not version:
            return None
        seed = f"{version}|{request.get_host()}|{request.get_full_path()}"
        return quote_etag(hashlib.sha256(seed.encode()).hexdigest()[:32])

    def get(self, request, *args, **kwargs):
        etag = self._etag(request)
        if etag and etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            key = f"tescforce:api:{etag}" if etag else None
            data = page_cache.get(key)
            if data is None:
                data = super().get(request, *args, **kwargs).data
                page_cache.put(key, data)
            response = Response(data)
        if etag:
            response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=self.max_age)
        return response


class PostingFilter(django_filters.FilterSet):
    city = django_filters.CharFilter(field_name="city", lookup_expr="iexact", help_text="Town, e.g. Toulouse.")
    contract = django_filters.ChoiceFilter(choices=JobPosting.Contract.choices)
    skill = django_filters.CharFilter(method="filter_skill", help_text="A skill identifier, e.g. python.")

    class Meta:
        model = JobPosting
        fields = ["city", "contract", "skill"]

    def filter_skill(self, queryset, name, value):
        return queryset.filter(Q(skills_required__slug=value) | Q(skills_nice__slug=value)).distinct()


@extend_schema(tags=["open data"], summary="Published job postings still open")
class PostingList(OpenData):
    serializer_class = s.PostingSerializer
    filterset_class = PostingFilter
    cache_group = "board"

    def get_queryset(self):
        only = Skill.objects.only("id", "slug")
        return (open_postings().select_related("company", "job_family")
                .prefetch_related(Prefetch("skills_required", queryset=only), Prefetch("skills_nice", queryset=only))
                .defer("search_vector").order_by("-published_at", "-id"))


class SessionFilter(django_filters.FilterSet):
    city = django_filters.CharFilter(field_name="city", lookup_expr="iexact", help_text="Town, e.g. Montpellier.")

    class Meta:
        model = s.Session
        fields = ["city"]


@extend_schema(tags=["open data"], summary="Numéric Emploi sessions to come")
class SessionList(OpenData):
    serializer_class = s.SessionSerializer
    filterset_class = SessionFilter
    cache_group = "sessions"

    def get_queryset(self):
        return session_upcoming()


class CourseFilter(django_filters.FilterSet):
    skill = django_filters.CharFilter(method="filter_skill", help_text="A skill identifier, e.g. python.")
    city = django_filters.CharFilter(field_name="city", lookup_expr="iexact", help_text="Town, e.g. Albi.")
    online = django_filters.BooleanFilter(help_text="true: courses given (at least partly) online.")
    funding = django_filters.ChoiceFilter(choices=[(code, label) for code, _f, label in Course.FUNDINGS],
                                          method="filter_funding")
    starts_after = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte")

    class Meta:
        model = Course
        fields = ["skill", "city", "online", "funding", "starts_after", "starts_before"]

    def filter_skill(self, queryset, name, value):
        return queryset.filter(pk__in=Course.skills.through.objects.filter(skill__slug=value).values("course_id"))

    def filter_funding(self, queryset, name, value):
        return courses.with_funding(queryset, value)


@extend_schema(tags=["open data"], summary="Published courses, upcoming or running")
class CourseList(OpenData):
    serializer_class = s.CourseSerializer
    filterset_class = CourseFilter
    cache_group = "courses"

    def get_queryset(self):
        return courses.course_list()


@extend_schema(tags=["open data"], summary="The skills taxonomy (identifiers used by postings and courses)")
class SkillList(OpenData):
    serializer_class = s.SkillSerializer
    cache_group = "board"
    pagination_class = None

    def get_queryset(self):
        return Skill.objects.order_by("slug")


# --- an organisation's referrals ------------------------------------------------------------------------

def _refusal(exc) -> exceptions.APIException:
    """A service's refusal as the API answers it: 403 for who may not act, 400 for what was sent."""
    if exc.code == "not_a_training_body":
        return exceptions.PermissionDenied(exc.message)
    return exceptions.ValidationError({exc.field or "non_field_errors": [exc.message]})


@extend_schema_view(
    get=extend_schema(tags=["referrals"], summary="Your organisation's referrals, newest first"),
    post=extend_schema(
        tags=["referrals"], summary="Refer a person",
        description="The person receives an e-mail in their language to confirm and complete their registration "
                    "and give their consents; nothing about them reaches a recruiter before.",
        request=s.ReferralCreateSerializer,
        responses={201: s.ReferralSerializer,
                   409: OpenApiResponse(OpenApiTypes.OBJECT, description="Your organisation already referred "
                                                                        "this person.")}),
)
class ReferralList(generics.ListCreateAPIView):
    serializer_class = s.ReferralSerializer
    queryset = Referral.objects.none()  # what the schema reads; get_queryset scopes every request

    def get_queryset(self):
        return (Referral.objects.filter(partner=partner_of(self.request))
                .prefetch_related(Prefetch("skills", queryset=Skill.objects.only("id", "slug")))
                .order_by("-created_at", "-pk"))

    def get_serializer_class(self):
        return s.ReferralCreateSerializer if self.request.method == "POST" else s.ReferralSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        if page is None:
            page = list(self.get_queryset())
        # The page's follow-ups at once, read as the partner space reads them (shared paths only).
        follow_ups = {item.referral.pk: item for item in selectors.follow_ups(page)}
        serializer = s.ReferralSerializer(page, many=True,
                                          context={**self.get_serializer_context(), "follow_ups": follow_ups})
        return self.get_paginated_response(serializer.data) if self.paginator else Response(serializer.data)

    def create(self, request, *args, **kwargs):
        incoming = s.ReferralCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        skills = data.pop("skills", [])
        try:
            referral, _known = services.referral_create(partner=partner_of(request), data=data, skills=skills)
        except services.PartnerError as exc:
            raise _refusal(exc) from exc
        if referral is None:
            return Response({"detail": _("Votre organisation a déjà orienté cette personne : retrouvez-la dans "
                                         "la liste de vos orientations.")}, status=status.HTTP_409_CONFLICT)
        return Response(s.ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["referrals"], summary="One of your organisation's referrals and its status")
class ReferralDetail(generics.RetrieveAPIView):
    serializer_class = s.ReferralSerializer
    queryset = Referral.objects.none()
    lookup_field = "public_id"
    lookup_url_kwarg = "id"

    def get_queryset(self):
        return Referral.objects.filter(partner=partner_of(self.request)).prefetch_related("skills")


# --- an organisation's courses --------------------------------------------------------------------------

def _course_written(call):
    try:
        return call()
    except services.PartnerError as exc:
        raise _refusal(exc) from exc
    except DjangoValidationError as exc:
        raise exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc


@extend_schema_view(
    get=extend_schema(tags=["courses"], summary="Your organisation's courses, published or not"),
    post=extend_schema(tags=["courses"], summary="Publish a course (training bodies and schools)"),
)
class PartnerCourseList(generics.ListCreateAPIView):
    serializer_class = s.PartnerCourseSerializer
    queryset = Course.objects.none()

    def get_queryset(self):
        return courses.partner_courses(partner_of(self.request))

    def perform_create(self, serializer):
        serializer.instance = _course_written(lambda: courses.course_create(
            partner=partner_of(self.request), data=serializer.course_data(),
            skills=serializer.validated_data["skills"]))


@extend_schema_view(
    get=extend_schema(tags=["courses"], summary="One of your organisation's courses"),
    put=extend_schema(tags=["courses"], summary="Replace one of your organisation's courses"),
    patch=extend_schema(tags=["courses"], summary="Change some fields of one of your organisation's courses"),
)
class PartnerCourseDetail(generics.RetrieveUpdateAPIView):
    serializer_class = s.PartnerCourseSerializer
    queryset = Course.objects.none()

    def get_queryset(self):
        return courses.partner_courses(partner_of(self.request))

    def perform_update(self, serializer):
        serializer.instance = _course_written(lambda: courses.course_update(
            course=serializer.instance, data=serializer.course_data(),
            skills=serializer.validated_data.get("skills")))
