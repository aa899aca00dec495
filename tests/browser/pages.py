"""The pages a browser test can open: every public page (found in the URL configuration) and the staff pages.

A page whose URL needs an argument gets it from a builder below that creates the object with the
factories; add one when a new page with an argument lands.
"""

from collections.abc import Callable

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError

from alerts.services import unsubscribe_token
from candidates.models import Orientation
from events.models import SessionCompany
from matching.sheet_links import sheet_link_issue, sheet_link_token
from tescforce import roles
from tests import factories
from tests.matching.sheet_data import job_dating_day


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name, bool(entry.pattern.converters)


def _routes(staff: bool) -> list[tuple[str, bool]]:
    routes = []
    for entry in get_resolver().url_patterns:
        localized = isinstance(entry, URLResolver) and isinstance(entry.pattern, LocalePrefixPattern)
        if localized and not staff:
            routes += _walk(entry.url_patterns)
        elif staff and isinstance(entry, URLResolver) and str(entry.pattern) == "pilotage/":
            routes += _walk([entry])
    return routes


def _posting():
    company = factories.CompanyFactory(name="Occitanie Logiciels",
                                       description="Éditeur de logiciels pour les collectivités.")
    return factories.JobPostingFactory(company=company, title="Développeuse Python")


def _session():
    return factories.SessionFactory(title="Job dating Toulouse", city="Toulouse")


def _session_under_way():
    """A session that began a minute ago: its check-in desk is open, with the ticket scanner."""
    import datetime as dt

    from django.utils import timezone

    start = timezone.now() - dt.timedelta(minutes=1)
    return factories.SessionFactory(title="Job dating Toulouse", city="Toulouse", starts_at=start,
                                    ends_at=start + dt.timedelta(hours=3))


def _session_with_company():
    """A session a company attends, with one person it will meet (oriented to it, shown to recruiters)."""
    participation = SessionCompany.objects.create(session=_session(), company=factories.CompanyFactory())
    person = factories.CandidateFactory(shown_to_recruiters=True)
    Orientation.objects.create(candidate=person, company=participation.company)
    factories.RegistrationFactory(session=participation.session, candidate=person)
    return participation


def _usecase():
    return factories.UseCaseFactory(title="Jumeau numérique d'atelier")


def _agenda_pk() -> int:
    from django.utils import timezone

    from matching.models import JobDatingAgenda

    return JobDatingAgenda.objects.create(session=_session(), published_at=timezone.now()).pk


def _registration_token(purpose: str, **fields) -> str:
    from events.links import make_link_token

    registration = factories.RegistrationFactory(session=_session(), **fields)
    return make_link_token(purpose=purpose, registration_id=registration.pk)


def _candidate_token(purpose: str, confirmed: bool = True, **data) -> str:
    from candidates.tokens import make_token

    candidate = factories.CandidateFactory(**({} if confirmed else {"confirmed_at": None}))
    return make_token(candidate_public_id=candidate.public_id, purpose=purpose, data=data)


def _sheet_link_token() -> str:
    """A recruiter's signed link to the interview sheet of today's job dating, with two interviews."""
    users = [factories.RecruiterFactory(company=factories.CompanyFactory(name=name)).user
             for name in ("Garonne Numérique", "Canal Data")]
    day = job_dating_day(users[0].recruiter.company, users[1].recruiter.company, *users)
    return sheet_link_token(sheet_link_issue(agenda=day.agenda, recruiter=users[0].recruiter))


# Pages whose URL takes arguments: how to make the object and the arguments.
BUILDERS: dict[str, Callable[[], dict]] = {
    "companies:posting_detail": lambda: {"slug": _posting().slug},
    "companies:company_detail": lambda: {"slug": _posting().company.slug},
    "events:session_detail": lambda: {"pk": _session().pk},
    "events:session_ics": lambda: {"pk": _session().pk},
    "events:session_book": lambda: {"pk": _session().pk},
    "events:book_sent": lambda: {"pk": _session().pk},
    "events:book_confirm": lambda: {"token": _candidate_token("action", action="book_session",
                                                             session=_session().pk)},
    "events:booking_cancel": lambda: {"token": _registration_token("cancel")},
    "events:survey": lambda: {"token": _registration_token("survey", status="attended")},
    "events:messages_stop": lambda: {"token": _registration_token("stop")},
    "showroom:usecase_detail": lambda: {"slug": _usecase().slug},
    "showroom:usecase_sheet": lambda: {"slug": _usecase().slug},
    "showroom:usecase_sheet_pdf": lambda: {"slug": _usecase().slug},
    "showroom:usecase_contact": lambda: {"slug": _usecase().slug},
    "candidates:posting_interest": lambda: {"slug": _posting().slug},
    "candidates:interest_sent": lambda: {"slug": _posting().slug},
    "candidates:space_interest": lambda: {"slug": _posting().slug},
    "matching:space_interviews_ics": lambda: {"pk": _agenda_pk()},
    "candidates:interest_confirm": lambda: {"token": _candidate_token("action", action="job_interest",
                                                                     posting=_posting().pk)},
    "candidates:confirm": lambda: {"token": _candidate_token("confirm", confirmed=False)},
    "candidates:action_confirm": lambda: {"token": _candidate_token(
        "action", a={"name": "book_session", "id": str(_session().pk)})},
    # Signs the visitor in to "Mon espace" and lands on its home page.
    "candidates:space_enter": lambda: {"token": _candidate_token("space")},
    "candidates:campaign_link": lambda: {"code": "printemps-toulouse"},
    "hotline:relocation_space_enter": lambda: {"token": _candidate_token("space")},
    "alerts:unsubscribe": lambda: {"token": unsubscribe_token(candidate=factories.CandidateFactory(), kind="offers")},
    "staff:events_staff:checkin": lambda: {"pk": factories.RegistrationFactory(
        session=_session_under_way()).session.pk},
    "staff:events_staff:session_badges": lambda: {"pk": factories.RegistrationFactory(session=_session()).session.pk},
    "staff:events_staff:session_lists": lambda: {"pk": _session_with_company().session_id},
    "staff:events_staff:company_list": lambda: (lambda p: {"pk": p.session_id, "company_pk": p.company_id})(
        _session_with_company()),
    "staff:matching_sheet_link": lambda: {"token": _sheet_link_token()},
}

# Staff pages checked like the public ones (logged in as a coordinator); add new staff tools here.
STAFF_PAGES = ["staff:desk", "staff:dashboard", "staff:events_staff:desk_sessions", "staff:events_staff:checkin",
               "staff:prospecting:calendar", "staff:events_staff:session_badges", "staff:events_staff:session_lists",
               "staff:events_staff:company_list", "staff:matching_sheet_link"]


def public_pages() -> list[str]:
    return sorted({name for name, _has_args in _routes(staff=False)})


def has_arguments(name: str) -> bool:
    return dict(_routes(staff=False) + _routes(staff=True))[name]


def page_path(name: str, language: str) -> str | None:
    """Create what the page needs and return its path in `language`, or None if no builder knows it."""
    kwargs = {}
    if has_arguments(name):
        if name not in BUILDERS:
            return None
        kwargs = BUILDERS[name]()
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def staff_user():
    """A coordinator: the role that sees every staff page."""
    return factories.UserFactory(username="coordinatrice-a11y", groups=[roles.COORDINATORS])


def open_page(page, url: str) -> str | None:
    """Open `url` in the browser; return why it is not a page to check there, or None when it is one.

    The browser's answer says it: a form's address answers our 405 page, a data export is not HTML, a
    calendar file is a download (Chromium then ends the navigation with an error and stays on its page).
    """
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in error.message:
            return "is a download"
        raise
    content_type = response.headers.get("content-type", "")
    if response.status != 200 or not content_type.startswith("text/html"):
        return f"answers {response.status} {content_type} to a plain GET"
    return None
