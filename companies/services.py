"""Writes on companies, job postings and the interest candidates show in them."""

import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, JobInterest, Orientation
from candidates.services import (
    CandidateError,
    candidate_move,
    candidate_touch,
    link_email_claim,
    orientation_set_status,
)
from tescforce.errors import DomainError
from tescforce.tasks import enqueue_on_commit

from .models import Company, JobPosting, Recruiter

Status = JobPosting.Status

# The posting workflow: draft → published → filled / closed (a draft may also be dropped).
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.PUBLISHED, Status.CLOSED},
    Status.PUBLISHED: {Status.FILLED, Status.CLOSED},
    Status.FILLED: set(),
    Status.CLOSED: set(),
}

# What a recruiter may set on a shortlisted candidate.
SHORTLIST_STATUSES = ("to_contact", "interview", "offer", "hired", "declined")


class CompaniesError(DomainError):
    """A refused operation on a company, a posting or an interest; the message is for people."""


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
        job_family_id=posting.job_family_id,
        description=posting.description,
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
    from django.contrib.auth.models import Group

    from tescforce import roles

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


# --- Interest -------------------------------------------------------------------------------------


def job_interest_create(*, candidate: Candidate, posting: JobPosting, confirmed: bool = True) -> JobInterest:
    """Record (once) that `candidate` is interested in `posting`; return the interest.

    Asking twice returns the existing interest; the unique constraint settles concurrent requests.
    """
    if candidate.anonymised_at is not None or candidate.confirmed_at is None:
        raise CompaniesError(_("Ce profil ne peut pas manifester d'intérêt."))
    if not posting.is_open:
        raise CompaniesError(_("Cette offre n'est plus ouverte."))
    now = timezone.now()
    try:
        with transaction.atomic():
            interest, _created = JobInterest.objects.get_or_create(
                candidate=candidate, posting=posting, defaults={"confirmed_at": now if confirmed else None}
            )
    except IntegrityError:
        interest = JobInterest.objects.get(candidate=candidate, posting=posting)
    if confirmed and interest.confirmed_at is None:
        JobInterest.objects.filter(pk=interest.pk, confirmed_at__isnull=True).update(confirmed_at=now, updated_at=now)
        interest.refresh_from_db()
    candidate_touch(candidate=candidate)  # retention counts from the last thing the person did
    return interest


def job_interest_request(*, posting: JobPosting, email: str, language: str) -> None:
    """Handle an "I'm interested" form: e-mail a confirmation link when the address is a confirmed
    candidate's. Returns nothing, so that callers cannot tell a known address from an unknown one."""
    if not posting.is_open:
        raise CompaniesError(_("Cette offre n'est plus ouverte."))
    candidate = (
        Candidate.objects.filter(email__iexact=email.strip(), confirmed_at__isnull=False, anonymised_at__isnull=True)
        .only("pk")
        .first()
    )
    if candidate is None:
        return
    if not link_email_claim(candidate=candidate, purpose=f"job_interest:{posting.pk}"):
        return
    from .tasks import send_interest_link

    enqueue_on_commit(send_interest_link, candidate.pk, posting.pk, language)


def _move_candidate_to_hired(*, candidate: Candidate, by: AbstractBaseUser | None, comment: str) -> str | None:
    """Move the candidate's pipeline to "hired" through the candidates app; return why not, if refused.

    The candidates app decides which moves make sense (e.g. a candidate nobody qualified or oriented
    cannot jump to "hired"); the recruiter's status is kept anyway and the refusal is shown to them.
    """
    candidate.refresh_from_db(fields=["stage"])
    if candidate.stage == Candidate.Stage.HIRED:
        return None
    try:
        with transaction.atomic():
            candidate_move(candidate=candidate, to_stage=Candidate.Stage.HIRED,
                           by=by if by is not None and by.is_authenticated else None, comment=comment)
    except CandidateError as exc:
        return str(exc)
    return None


def _hired_comment(posting: JobPosting) -> str:
    return gettext("Recruté·e sur l'offre « %(title)s » (%(company)s).") % {
        "title": posting.title, "company": posting.company.name,
    }


def job_interest_set_status(*, interest: JobInterest, status: str, by: AbstractBaseUser | None) -> str | None:
    """Set the recruiter's follow-up status on an interest; "hired" moves the candidate's pipeline.

    Return None, or why the pipeline could not follow (the status is recorded all the same).
    """
    if status not in SHORTLIST_STATUSES:
        raise CompaniesError(_("Statut inconnu."))
    with transaction.atomic():
        JobInterest.objects.filter(pk=interest.pk).update(status=status, updated_at=timezone.now())
        interest.status = status
        if status == JobInterest.Status.HIRED:
            return _move_candidate_to_hired(candidate=interest.candidate, by=by,
                                            comment=_hired_comment(interest.posting))
    return None


def shortlist_set_status(
    *, posting: JobPosting, candidate: Candidate, status: str, by: AbstractBaseUser | None
) -> str | None:
    """Set a shortlisted candidate's status for `posting`, on their interest and on the coordinator's
    orientation alike; the orientation moves the pipeline the candidates app's way, and "hired" moves it
    to hired. Return None, or why the pipeline could not follow (the status is recorded all the same)."""
    if status not in SHORTLIST_STATUSES:
        raise CompaniesError(_("Statut inconnu."))
    by = by if by is not None and by.is_authenticated else None
    with transaction.atomic():
        touched = JobInterest.objects.filter(
            posting=posting, candidate=candidate, confirmed_at__isnull=False
        ).update(status=status, updated_at=timezone.now())
        orientations = list(Orientation.objects.select_for_update().filter(posting=posting, candidate=candidate))
        refusal = None
        for orientation in orientations:
            try:
                with transaction.atomic():
                    orientation_set_status(orientation=orientation, status=status, by=by)
            except CandidateError as exc:
                # The pipeline refused to follow: keep the recruiter's status, say why.
                Orientation.objects.filter(pk=orientation.pk).update(status=status, updated_at=timezone.now())
                refusal = str(exc)
        if not touched and not orientations:
            raise CompaniesError(_("Cette personne ne figure pas parmi les candidat·es de cette offre."))
        if status == JobInterest.Status.HIRED:
            refusal = _move_candidate_to_hired(candidate=candidate, by=by, comment=_hired_comment(posting)) or refusal
    return refusal
