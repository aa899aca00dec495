"""A recruiter walks every admin URL with a candidate shared with another company: nothing of that company shows.

The other company ("Zorglub") has a posting, an orientation, an interest, a match and an interview with the
shared candidate, a seat at a session, and coordinators' log entries that name it. Every URL of every
registered ModelAdmin (each object id of each model), the admin index and app pages, autocompletes, popups,
"view on site" redirects, jsi18n and the exports are opened as the recruiter of the first company.
"""

import datetime as dt
import json
import re

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from candidates.models import JobInterest, Orientation, Qualification
from companies.models import JobPosting
from events.models import SessionCompany
from hotline.models import HotlineCall
from matching.models import Interview, JobDatingAgenda, Match
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "zorglub"  # in every name and text of the other company, and in coordinators' notes
CONVERTER = re.compile(r"<(?:\w+:)?\w+>")


@pytest.fixture
def shared(coordinator, company_a, recruiter_a):
    """Return the candidate both companies meet, after a coordinator's work that names the other company."""
    other = factories.CompanyFactory(name="Zorglub Conseil", slug="zorglub-conseil", city="Zorglubville")
    other_recruiter = factories.RecruiterFactory(company=other, user__username="zorglub-recruteur",
                                                 user__last_name="Zorglub").user
    own_posting = factories.JobPostingFactory(company=company_a, title="Développeuse Python Alpha", slug="alpha-py")
    secret_posting = factories.JobPostingFactory(company=other, title="Poste Zorglub confidentiel",
                                                 slug="poste-zorglub-confidentiel", status=JobPosting.Status.DRAFT,
                                                 published_at=None, city="Zorglubville")
    public_posting = factories.JobPostingFactory(company=other, title="Architecte Zorglub", slug="architecte-zorglub")
    candidate = factories.CandidateFactory(first_name="Hélène", last_name="Partagée", email="helene.p@example.org",
                                           shown_to_recruiters=True)
    Orientation.objects.create(candidate=candidate, company=company_a, posting=own_posting)
    Orientation.objects.create(candidate=candidate, company=other, posting=secret_posting, created_by=coordinator)
    JobInterest.objects.create(candidate=candidate, posting=public_posting, confirmed_at=timezone.now())
    Match.objects.create(candidate=candidate, posting=public_posting, score=91)
    Match.objects.create(candidate=candidate, posting=own_posting, score=80)
    Qualification.objects.create(candidate=candidate, level="ready", motivation=5,
                                 notes="Entretien chez Zorglub Conseil prévu", qualified_by=coordinator)
    HotlineCall.objects.create(candidate=candidate, topic="other", summary="A parlé de son entretien Zorglub")
    session = factories.SessionFactory(title="Job dating de mars", starts_at=timezone.now() + dt.timedelta(days=5))
    SessionCompany.objects.create(session=session, company=other).recruiters.add(other_recruiter.recruiter)
    SessionCompany.objects.create(session=session, company=company_a)
    agenda = JobDatingAgenda.objects.create(session=session)
    start = session.starts_at
    Interview.objects.create(agenda=agenda, company=other, candidate=candidate, posting=public_posting,
                             starts_at=start, ends_at=start + dt.timedelta(minutes=20))
    Interview.objects.create(agenda=agenda, company=company_a, candidate=candidate, posting=own_posting,
                             starts_at=start + dt.timedelta(minutes=30), ends_at=start + dt.timedelta(minutes=50))
    # The audit trail (simple-history) of the candidate, written by a coordinator.
    candidate.utm_campaign = "zorglub-salon"
    candidate._history_user = coordinator
    candidate.save()
    # The admin's own log: what the History pages and the index's "recent actions" print.
    for obj in (candidate, session, company_a, own_posting, other, secret_posting):
        LogEntry.objects.create(
            user=coordinator, content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk),
            object_repr=str(obj), action_flag=CHANGE,
            change_message=json.dumps([{"added": {"name": "orientation",
                                                  "object": f"{candidate} → Zorglub Conseil"}}]))
    return candidate


def _ids(model) -> list[str]:
    return [str(pk) for pk in model._default_manager.order_by("-pk").values_list("pk", flat=True)[:8]]


def _admin_urls() -> list[str]:
    urls = ["/admin/", "/admin/jsi18n/", "/admin/password_change/"]
    urls += sorted({f"/admin/{model._meta.app_label}/" for model in admin.site._registry})
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        ids = _ids(model)
        for pattern in model_admin.get_urls():
            route = str(pattern.pattern)
            if CONVERTER.search(route):
                urls += [base + CONVERTER.sub(pk, route) for pk in ids]
            else:
                urls.append(base + route)
        urls += [base + "?q=Conseil", base + "?_popup=1&_to_field=id", base + "?q=Partag%C3%A9e"]
        content_type = ContentType.objects.get_for_model(model)
        urls += [f"/admin/r/{content_type.pk}/{pk}/" for pk in ids]
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and (field.many_to_one or field.many_to_many):
                urls.append(f"/admin/autocomplete/?app_label={model._meta.app_label}"
                            f"&model_name={model._meta.model_name}&field_name={field.name}&term=")
    return urls


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


# A paginated list or autocomplete without a set order may repeat or skip rows between pages.
@pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
def test_recruiter_walks_every_admin_url_without_meeting_the_other_company(client_for, recruiter_a, shared):
    client = client_for(recruiter_a)
    seen, opened = [], 0
    for url in _admin_urls():
        response = client.get(url)  # an exception in a view fails the test here: no 500
        assert response.status_code < 500, url
        text = _body(response).lower() + response.get("Location", "").lower()
        if SECRET in text:
            seen.append(url)
        opened += response.status_code == 200
    assert not seen, seen
    assert opened > 50  # the walk did open pages, the shared candidate's among them
    assert client.get(f"/admin/candidates/candidate/{shared.pk}/change/").status_code == 200


def test_recruiter_exports_never_name_the_other_company(client_for, recruiter_a, shared):
    client = client_for(recruiter_a)
    exported = 0
    for model, model_admin in admin.site._registry.items():
        if not hasattr(model_admin, "get_export_formats"):
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/export/"
        page = client.get(url)
        if page.status_code != 200:
            continue
        form = page.context["form"]
        for value, _label in form.fields["format"].choices:
            data = {"format": value, "resource": "0"}
            data |= {name: "on" for name, field in form.fields.items() if field.widget.input_type == "checkbox"}
            response = client.post(url, data)
            assert response.status_code == 200
            assert b"zorglub" not in response.content.lower()
            exported += 1
    assert exported >= 4  # candidates, companies and postings, in CSV and XLSX


def test_recruiter_gets_no_history_page_for_the_shared_candidate_nor_their_own_objects(
        client_for, recruiter_a, company_a, shared):
    client = client_for(recruiter_a)
    posting = company_a.postings.get(slug="alpha-py")
    for url in (f"/admin/candidates/candidate/{shared.pk}/", f"/admin/companies/company/{company_a.pk}/",
                f"/admin/companies/jobposting/{posting.pk}/",
                f"/admin/events/session/{shared.interviews.first().agenda.session_id}/"):
        assert client.get(url + "history/").status_code == 403, url
        page = client.get(url + "change/")
        assert page.status_code == 200 and "/history/" not in page.content.decode(), url


def test_coordinators_keep_the_history_page_and_its_link(client_for, coordinator, shared):
    client = client_for(coordinator)
    page = client.get(f"/admin/candidates/candidate/{shared.pk}/change/")
    assert f"/admin/candidates/candidate/{shared.pk}/history/" in page.content.decode()
    history = client.get(f"/admin/candidates/candidate/{shared.pk}/history/")
    assert history.status_code == 200 and "Zorglub Conseil" in history.content.decode()


def test_recent_actions_on_the_index_are_the_users_own(client_for, recruiter_a, coordinator, shared):
    assert "Zorglub" in client_for(coordinator).get("/admin/").content.decode()
    assert "Zorglub" not in client_for(recruiter_a).get("/admin/").content.decode()


def test_view_on_site_redirects_only_to_objects_the_user_may_see(client_for, recruiter_a, coordinator, shared):
    secret = JobPosting.objects.get(slug="poste-zorglub-confidentiel")
    own = JobPosting.objects.get(slug="alpha-py")
    content_type = ContentType.objects.get_for_model(JobPosting).pk
    recruiter = client_for(recruiter_a)
    assert recruiter.get(f"/admin/r/{content_type}/{secret.pk}/").status_code == 404
    assert recruiter.get(f"/admin/r/{content_type}/not-a-number/").status_code == 404
    assert recruiter.get(f"/admin/r/{content_type + 10_000}/{own.pk}/").status_code == 404
    assert recruiter.get(f"/admin/r/{content_type}/{own.pk}/")["Location"].endswith(own.get_absolute_url())
    assert client_for(coordinator).get(f"/admin/r/{content_type}/{secret.pk}/")["Location"].endswith(
        secret.get_absolute_url())
