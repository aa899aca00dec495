"""Writes on companies, job postings and recruiters."""

import secrets

from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from tescforce import roles
from tescforce.errors import DomainError

from .models import Company, JobPosting, Recruiter

Status = JobPosting.Status

# The posting workflow: draft → published → filled / closed (a draft may also be dropped).
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.PUBLISHED, Status.CLOSED},
    Status.PUBLISHED: {Status.FILLED, Status.CLOSED},
    Status.FILLED: set(),
    Status.CLOSED: set(),
}

class CompaniesError(DomainError):
    """A refused operation on a company or a posting; the message is for people."""


def transition_allowed(*, from_status: str, to_status: str) -> bool:
    return from_status == to_status or to_status in TRANSITIONS.get(from_status, set())


def _save_with_unique_slug(posting: JobPosting, base: str) -> None:
    """Save `posting` under `base` or, when taken, `base` plus a random suffix; the unique index decides."""
    base = (slugify(base)[:160].strip("-")) or "offre"
    candidates = [base] + [f"{base}-{secrets.token_hex(3)}" for _ in range(8)]
    for slug in candidates:
        if JobPosting.objects.filter(slug=slug).exclude(pk=posting.pk).exists():
            continue
        posting.slug = slug
        try:
            with transaction.atomic():
                posting.save()
            return
        except IntegrityError:
            # Somebody took the slug between the check and the insert; try the next one.
            if not JobPosting.objects.filter(slug=slug).exclude(pk=posting.pk).exists():
                raise
    raise CompaniesError(_("Impossible de trouver un identifiant libre pour cette offre."))


def job_posting_save(*, posting: JobPosting, by: AbstractBaseUser | None, company: Company | None = None) -> JobPosting:
    """Create or update a posting from validated data; the status itself changes only through
    `job_posting_set_status`. A new posting gets a slug made from its title."""
    if company is not None:
        posting.company = company
    if posting.pk is None:
        wanted_status = posting.status
        posting.status = Status.DRAFT
        posting.published_at = None
        posting.created_by = by if by is not None and by.is_authenticated else None
        with transaction.atomic():
            _save_with_unique_slug(posting, posting.title)
        if wanted_status != Status.DRAFT:
            job_posting_set_status(posting=posting, status=wanted_status, by=by)
        return posting
    current = JobPosting.objects.filter(pk=posting.pk).values_list("status", flat=True).first()
    wanted_status = posting.status
    posting.status = current
    posting.save()
    if wanted_status != current:
        job_posting_set_status(posting=posting, status=wanted_status, by=by)
    return posting


def job_posting_set_status(*, posting: JobPosting, status: str, by: AbstractBaseUser | None) -> JobPosting:
    """Move a posting along its workflow; publishing stamps `published_at`.

    The UPDATE is conditional on the status read, so two people acting at once cannot both win.
    """
    current = posting.status
    if status == current:
        return posting
    if status not in TRANSITIONS.get(current, set()):
        raise CompaniesError(
            _("Une offre « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": Status(current).label, "to": Status(status).label}
        )
    changes: dict = {"status": status, "updated_at": timezone.now()}
    if status == Status.PUBLISHED:
        today = timezone.localdate()
        if posting.closes_on and posting.closes_on < today:
            raise CompaniesError(_("La date de clôture est passée : changez-la avant de publier."))
        changes["published_at"] = timezone.now()
    if status in (Status.FILLED, Status.CLOSED):
        changes["ended_at"] = timezone.now()
    with transaction.atomic():
        updated = JobPosting.objects.filter(pk=posting.pk, status=current).update(**changes)
        if updated != 1:
            raise CompaniesError(_("Cette offre a changé entre-temps ; rechargez la page."))
        for field, value in changes.items():
            setattr(posting, field, value)
        # The conditional UPDATE decided; saving the same values again lets post_save listeners
        # (the audit trail) record who changed the status.
        posting.save(update_fields=list(changes))
    return posting


def job_posting_publish(*, posting: JobPosting, by: AbstractBaseUser | None) -> JobPosting:
    """Publish a draft: it shows on the public board from now on."""
    return job_posting_set_status(posting=posting, status=Status.PUBLISHED, by=by)


def job_posting_duplicate(*, posting: JobPosting, by: AbstractBaseUser | None) -> JobPosting:
    """Return a new draft copied from `posting` (skills included), with its own slug and no dates."""
    copy = JobPosting(
        company_id=posting.company_id,
        title=posting.title,
        title_en=posting.title_en,
        job_family_id=posting.job_family_id,
        description=posting.description,
        description_en=posting.description_en,
        contract=posting.contract,
        city=posting.city,
        postcode=posting.postcode,
        remote=posting.remote,
        level=posting.level,
        open_to_retraining=posting.open_to_retraining,
        salary_min=posting.salary_min,
        salary_max=posting.salary_max,
        openings=posting.openings,
        start_date=None,
        status=Status.DRAFT,
    )
    with transaction.atomic():
        job_posting_save(posting=copy, by=by)
        copy.skills_required.set(posting.skills_required.all())
        copy.skills_nice.set(posting.skills_nice.all())
    return copy


def recruiter_save(*, recruiter: Recruiter) -> Recruiter:
    """Save a recruiter profile and give its user what a recruiter needs: staff access and the
    Recruteurs group (whose permissions tescforce/roles.py lists)."""
    with transaction.atomic():
        recruiter.save()
        user = recruiter.user
        if not user.is_staff:
            type(user).objects.filter(pk=user.pk).update(is_staff=True)
            user.is_staff = True
        user.groups.add(Group.objects.get(name=roles.RECRUITERS))
    return recruiter


def recruiter_profile_set(*, user, company: Company, language: str) -> Recruiter:
    """Tie a staff account to the company it recruits for (a new profile takes `language`): the recruiter
    role's profile, which tescforce.accounts.staff_account_save asks for (registered in CompaniesConfig)."""
    recruiter, _created = Recruiter.objects.update_or_create(
        user=user, defaults={"company": company}, create_defaults={"company": company, "language": language})
    return recruiter
