"""What the API reads and writes. Open data carries no personal data: no recruiter, no contact, no candidate;
postings name their company, courses their organisation. Texts come in French and, when written, English
(`title`, `title_en`); choices as their codes (documented in the schema)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from candidates.models import Candidate
from companies.models import JobPosting, Skill
from events.models import Session
from tescforce.reference_data import OCCITANIE_CITIES
from tescforce.text import fold

from .. import courses, selectors
from ..models import Course, Referral

CITY_OF = {fold(name): name for name, _postcode, _department in OCCITANIE_CITIES}


def public_url(name: str, **kwargs) -> str:
    """The French page's address (the x-default of the sitemap): the same whatever the request's language."""
    with translation.override("fr"):
        return settings.SITE_URL + reverse(name, kwargs=kwargs)


class SkillSlugsField(serializers.SlugRelatedField):
    """Skills by their identifier ("python", "cpp"); the list is in GET /api/v1/open/skills/."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", queryset=Skill.objects.all(), **kwargs)

    default_error_messages = {
        "does_not_exist": _("Compétence inconnue : « {value} » (voir /api/v1/open/skills/)."),
        "invalid": _("Identifiant de compétence non valide."),
    }

    def to_internal_value(self, data):
        try:
            return self.get_queryset().get(slug=str(data).strip().lower())
        except Skill.DoesNotExist:
            self.fail("does_not_exist", value=str(data)[:80])
        except (TypeError, ValueError):
            self.fail("invalid")


class SkillListField(serializers.ListField):
    """Skills as a list of identifiers, read from and written to a many-to-many field."""

    def __init__(self, **kwargs):
        super().__init__(child=SkillSlugsField(), max_length=50, **kwargs)

    def to_representation(self, data):
        return [skill.slug for skill in data.all()]


# --- open data -----------------------------------------------------------------------------------------

class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["slug", "name", "category"]


class PostingSerializer(serializers.ModelSerializer):
    company = serializers.CharField(source="company.name")
    job_family = serializers.SerializerMethodField()
    skills_required = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    skills_nice = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    url = serializers.SerializerMethodField()

    class Meta:
        model = JobPosting
        fields = ["slug", "title", "title_en", "company", "job_family", "description", "description_en",
                  "skills_required", "skills_nice", "contract", "city", "postcode", "remote", "level",
                  "open_to_retraining", "salary_min", "salary_max", "openings", "start_date", "published_at",
                  "closes_on", "url"]

    @extend_schema_field({"type": "object", "properties": {"code": {"type": "string"}, "label": {"type": "string"},
                                                           "label_en": {"type": "string"}}})
    def get_job_family(self, obj) -> dict:
        family = obj.job_family
        return {"code": family.code, "label": family.label, "label_en": family.label_en}

    def get_url(self, obj) -> str:
        return public_url("companies:posting_detail", slug=obj.slug)


class SessionSerializer(serializers.ModelSerializer):
    seats_left = serializers.IntegerField(read_only=True)
    cancelled = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = ["id", "title", "title_en", "format", "city", "venue", "address", "postcode", "starts_at",
                  "ends_at", "capacity", "seats_left", "registration_opens_at", "registration_closes_at",
                  "cancelled", "url"]

    def get_cancelled(self, obj) -> bool:
        return obj.cancelled_at is not None

    def get_url(self, obj) -> str:
        return public_url("events:session_detail", pk=obj.pk)


FUNDING_CODES = [code for code, _field, _label in Course.FUNDINGS]


class CourseSerializer(serializers.ModelSerializer):
    """A course as the open data and its organisation read it, and as the organisation writes it."""

    organisation = serializers.CharField(source="partner.name", read_only=True)
    skills = serializers.SerializerMethodField()
    funding = serializers.ListField(child=serializers.ChoiceField(choices=FUNDING_CODES), source="fundings",
                                    required=False,
                                    max_length=len(FUNDING_CODES),
                                    help_text="cpf, france_travail, region, employer, free")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = ["id", "organisation", "title", "title_en", "summary", "summary_en", "skills", "city", "online",
                  "starts_on", "ends_on", "funding", "link", "url"]
        read_only_fields = ["id"]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_skills(self, obj) -> list[str]:
        return [skill.slug for skill in obj.skills.all()]

    def get_url(self, obj) -> str:
        return public_url("courses:course_list") + f"#formation-{obj.pk}"


class PartnerCourseSerializer(CourseSerializer):
    """An organisation's own course: the open fields, whether it is published, when it was written."""

    skills = SkillListField(allow_empty=False, help_text="Skill identifiers (GET /api/v1/open/skills/); at least one.")

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "is_published", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_city(self, value):
        value = " ".join((value or "").split())
        return CITY_OF.get(fold(value), value)  # "toulouse" is written as the list writes it

    def validate(self, attrs):
        current = self.instance
        starts = attrs.get("starts_on", getattr(current, "starts_on", None))
        ends = attrs.get("ends_on", getattr(current, "ends_on", None))
        if starts and ends and ends < starts:
            raise serializers.ValidationError({"ends_on": _("La fin ne peut pas précéder le début.")})
        city = attrs.get("city", getattr(current, "city", ""))
        online = attrs.get("online", getattr(current, "online", False))
        if not city and not online:
            raise serializers.ValidationError({"city": _("Indiquez une ville, ou « online »: true.")})
        return attrs

    def course_data(self) -> dict:
        """What the service writes (partners.courses.COURSE_FIELDS), from the validated fields sent."""
        data = {key: value for key, value in self.validated_data.items()
                if key in courses.COURSE_FIELDS}
        if "fundings" in self.validated_data:
            chosen = set(self.validated_data["fundings"])
            data.update({field: code in chosen for code, field, _label in Course.FUNDINGS})
        return data


# --- referrals ------------------------------------------------------------------------------------------

class ReferralSerializer(serializers.ModelSerializer):
    """A referral as its organisation reads it: what it typed (blank once erased) and what became of it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    skills = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = Referral
        fields = ["id", "created_at", "first_name", "last_name", "email", "profile", "language", "skills",
                  "proposed_session", "proposed_track", "match", "status", "status_label", "steps"]
        read_only_fields = fields

    def _follow_up(self, obj) -> selectors.FollowUp:
        """The partner space's follow-up: the steps after "confirmed" only for a person who shares their path.
        A list passes them all in the context (a few queries for the page, not per referral)."""
        item = self.context.get("follow_ups", {}).get(obj.pk) or getattr(obj, "_follow_up", None)
        if item is None:
            (item,) = selectors.follow_ups([obj])
            obj._follow_up = item
        return item

    def get_status(self, obj) -> str:
        return self._follow_up(obj).status

    def get_status_label(self, obj) -> str:
        return str(selectors.STATUS_LABELS[self.get_status(obj)])

    @extend_schema_field({"type": "array", "items": {"type": "object", "properties": {
        "status": {"type": "string"}, "label": {"type": "string"}, "at": {"type": "string", "format": "date-time"}}}})
    def get_steps(self, obj) -> list[dict]:
        return [{"status": key, "label": str(label), "at": timezone.localtime(when).isoformat()}
                for key, label, when in self._follow_up(obj).steps]


class ReferralCreateSerializer(serializers.ModelSerializer):
    """What a partner's system sends about the person it refers (they confirm and consent themselves)."""

    phone = PhoneNumberField(required=False, allow_blank=True)
    profile = serializers.ChoiceField(choices=Candidate.Profile.choices)
    language = serializers.ChoiceField(choices=[code for code, _name in settings.LANGUAGES], default="fr")
    skills = SkillListField(required=False)
    proposed_session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.none(), required=False, allow_null=True,
        help_text="A session still to come (GET /api/v1/open/sessions/).")

    class Meta:
        model = Referral
        fields = ["first_name", "last_name", "email", "phone", "postcode", "profile", "language", "skills",
                  "proposed_session", "proposed_track", "note"]
        extra_kwargs = {"note": {"help_text": "For the Tesc Force team only: never shown to the person nor to "
                                              "recruiters."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_session"].queryset = Session.objects.filter(
            is_published=True, cancelled_at__isnull=True, starts_at__gt=timezone.now())
        self.fields["proposed_session"].error_messages["does_not_exist"] = _(
            "Session inconnue, passée ou fermée : choisissez une session à venir.")

    def validate_email(self, value):
        return value.strip()

    def validate_postcode(self, value):
        value = (value or "").strip().upper()
        if value and not (value.isdigit() and len(value) == 5):
            raise serializers.ValidationError(_("Saisissez un code postal valide (5 chiffres en France)."))
        return value
