"""The business side of the dashboard against a hand-built year of prospecting.

The dashboard and `prospecting.selectors.figures` share one definition (a meeting counts once held,
a settlement is credited to the prospect's owner); both are checked here against the same answers.
"""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.html import escape
from django_countries import countries

from prospecting.models import Meeting, Prospect, ProspectingCampaign, Settlement
from prospecting.selectors import figures as prospecting_figures
from tescforce.models import YearTarget
from tescforce.site.dashboard import Filters, build
from tests import factories

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
YEAR = timezone.localdate().year
LAST = YEAR - 1  # wholly past, so every meeting of it has been held whatever today's date


def _paris(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def _figure(figures, key):
    return next(f for f in figures if f.key == key)


@pytest.fixture
def business(prospecting_officer):
    """Last year: five meetings held, two settlements, one meeting to come. Answers in ANSWERS."""
    prospecting_officer.first_name, prospecting_officer.last_name = "Léa", "Martin"
    prospecting_officer.save()
    colleague = factories.UserFactory(username="collegue", first_name="Hugo", last_name="Bernard",
                                      groups=["Chargés de prospection"])
    computex = ProspectingCampaign.objects.create(name="Computex Taipei", countries=["TW"],
                                                  starts_on=dt.date(LAST, 5, 30), ends_on=dt.date(LAST, 6, 3))
    formosa = Prospect.objects.create(name="Formosa IoT", country="TW", owner=prospecting_officer, campaign=computex)
    lone_star = Prospect.objects.create(name="Lone Star SAP", country="US", owner=colleague, stage="settled")
    wattnow = Prospect.objects.create(name="Wattnow", country="TN", owner=prospecting_officer, stage="settled")
    use_case = factories.UseCaseFactory(title="Jumeau numérique")

    def meeting(prospect, starts_at, officer, campaign=None):
        return Meeting.objects.create(prospect=prospect, starts_at=starts_at, officer=officer, campaign=campaign)

    meeting(formosa, _paris(LAST, 2, 10), prospecting_officer, computex).use_cases_shown.add(use_case)
    meeting(formosa, _paris(LAST, 5, 31), prospecting_officer, computex)
    # Led by Léa, but the prospect is Hugo's: the meeting is Léa's, the settlement Hugo's.
    meeting(lone_star, _paris(LAST, 5, 12), prospecting_officer)
    meeting(wattnow, _paris(LAST, 12, 31, 23, 30), colleague)  # 22:30 UTC: still last year in Paris
    meeting(wattnow, _paris(YEAR, 1, 1, 0, 30), colleague)  # 31 December in UTC, this year in Paris
    meeting(formosa, timezone.now() + dt.timedelta(days=1), prospecting_officer,
            computex).use_cases_shown.add(use_case)  # planned: counts nowhere yet
    Settlement.objects.create(prospect=lone_star, settled_on=dt.date(LAST, 6, 1), site_city="Toulouse",
                              jobs_planned=12)
    Settlement.objects.create(prospect=wattnow, settled_on=dt.date(LAST, 9, 15), site_city="Montpellier",
                              jobs_planned=5)
    YearTarget.objects.update_or_create(year=LAST, defaults={"meetings": 24, "settlements": 4})
    return {"computex": computex, "officer": prospecting_officer, "colleague": colleague}


# The hand count for LAST: meetings by (label) -> (meetings held, settlements).
ANSWERS = {
    "meetings": 4, "settlements": 2, "meetings_pct": 16.7, "settlements_pct": 50.0,
    "by_month": {2: 1, 5: 2, 12: 1},
    "by_country": {"TW": (2, 0), "US": (1, 1), "TN": (1, 1)},
    "by_campaign": {"Computex Taipei": (2, 0), None: (2, 2)},
    "by_officer": {"Léa Martin": (3, 1), "Hugo Bernard": (1, 1)},
}
COMPUTEX_ANSWERS = {"meetings": 2, "settlements": 0, "by_country": {"TW": (2, 0)}}


def _pairs(rows, key="label"):
    return {row[key]: (row["meetings"], row["settlements"]) for row in rows}


def test_selector_gives_the_hand_counted_figures(business):
    result = prospecting_figures(LAST)
    for key in ("meetings", "settlements", "meetings_pct", "settlements_pct"):
        assert result[key] == ANSWERS[key], key
    assert result["by_month"] == [ANSWERS["by_month"].get(m, 0) for m in range(1, 13)]
    assert _pairs(result["by_country"], "id") == ANSWERS["by_country"]
    assert _pairs(result["by_campaign"]) == ANSWERS["by_campaign"]
    assert _pairs(result["by_officer"]) == ANSWERS["by_officer"]
    assert (result["target_meetings"], result["target_settlements"]) == (24, 4)
    computex = prospecting_figures(LAST, campaign=business["computex"])
    assert (computex["meetings"], computex["settlements"]) == (2, 0)
    assert _pairs(computex["by_country"], "id") == COMPUTEX_ANSWERS["by_country"]
    # This year so far: the meeting of 1 January 00:30 in Paris; tomorrow's is not held yet.
    assert prospecting_figures(YEAR)["meetings"] == 1


def test_dashboard_gives_the_hand_counted_figures(business):
    figures, _ = build(Filters(year=LAST), talent=False, business=True, fresh=True)
    targets = {str(r[0]): r[1:4] for r in _figure(figures, "targets").rows}
    assert targets["Rendez-vous de prospection tenus"] == (4, 24, 16.7)
    assert targets["Implantations"] == (2, 4, 50.0)
    months = {r[0]: r[1:4] for r in _figure(figures, "meetings_by_month").rows}
    assert months[f"{LAST}-02"] == (1, 1, 4)
    assert months[f"{LAST}-05"] == (2, 3, 10)
    assert months[f"{LAST}-12"] == (1, 4, 24)
    by_country = {r[0]: r[1:] for r in _figure(figures, "meetings_by_country").rows}
    assert by_country == {countries.name(c): v for c, v in ANSWERS["by_country"].items()}
    by_campaign = {str(r[0]): r[1:] for r in _figure(figures, "meetings_by_campaign").rows}
    assert by_campaign == {"Computex Taipei": (2, 0), "Hors campagne": (2, 2)}
    assert {r[0]: r[1:] for r in _figure(figures, "meetings_by_officer").rows} == ANSWERS["by_officer"]
    assert _figure(figures, "use_cases_shown").rows == [("Jumeau numérique", 1)]
    assert [r[:2] for r in _figure(figures, "settlements").rows] == [("Lone Star SAP", 12), ("Wattnow", 5)]
    stages = dict((str(a), b) for a, b in _figure(figures, "prospect_stages").rows)
    assert stages["Implantée"] == 2 and stages["Identifiée"] == 1

    this_year, _ = build(Filters(year=YEAR), talent=False, business=True, fresh=True)
    assert _figure(this_year, "targets").rows[0][1] == 1
    assert _figure(this_year, "use_cases_shown").rows == []


def test_dashboard_campaign_filter_keeps_the_campaign(business):
    figures, _ = build(Filters(year=LAST, prospecting_campaign=business["computex"]), talent=False,
                       business=True, fresh=True)
    targets = {str(r[0]): r[1] for r in _figure(figures, "targets").rows}
    assert targets["Rendez-vous de prospection tenus"] == COMPUTEX_ANSWERS["meetings"]
    assert targets["Implantations"] == COMPUTEX_ANSWERS["settlements"]
    assert _figure(figures, "settlements").rows == []


def _page_numbers(client, params) -> dict:
    """Read the business numbers off the dashboard page and its CSV downloads."""
    page = client.get("/pilotage/tableau-de-bord/", params)
    assert page.status_code == 200
    html = page.content.decode()
    shown = {f.key: f for f in page.context["figures"]}
    tables = {}
    for key in ("targets", "meetings_by_month", "meetings_by_country", "meetings_by_campaign",
                "meetings_by_officer"):
        response = client.get("/pilotage/tableau-de-bord/", params | {"export": key})
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))[1:]
        assert rows == [["" if v is None else str(v).replace(".", ",") for v in r] for r in shown[key].rows]
        for row in rows:
            assert f'<th scope="row">{escape(row[0])}</th>' in html
        tables[key] = {row[0]: row[1:] for row in rows}
    targets = tables["targets"]
    return {
        "meetings": int(targets["Rendez-vous de prospection tenus"][0]),
        "settlements": int(targets["Implantations"][0]),
        "meetings_pct": float(targets["Rendez-vous de prospection tenus"][2].replace(",", ".")),
        "settlements_pct": float(targets["Implantations"][2].replace(",", ".")),
        "by_month": [int(v[0]) for v in tables["meetings_by_month"].values()],
        "by_country": {k: (int(a), int(b)) for k, (a, b) in tables["meetings_by_country"].items()},
        "by_campaign": {k: (int(a), int(b)) for k, (a, b) in tables["meetings_by_campaign"].items()},
        "by_officer": {k: (int(a), int(b)) for k, (a, b) in tables["meetings_by_officer"].items()},
    }


def _selector_numbers(year, campaign=None) -> dict:
    result = prospecting_figures(year, campaign=campaign)
    return {
        "meetings": result["meetings"], "settlements": result["settlements"],
        "meetings_pct": result["meetings_pct"], "settlements_pct": result["settlements_pct"],
        "by_month": result["by_month"],
        "by_country": _pairs(result["by_country"]),
        "by_campaign": {(k or "Hors campagne"): v for k, v in _pairs(result["by_campaign"]).items()},
        "by_officer": _pairs(result["by_officer"]),
    }


@pytest.mark.parametrize("who", ["coordinator", "prospecting_officer"])
@pytest.mark.parametrize("year, with_campaign", [(LAST, False), (LAST, True), (YEAR, False)])
def test_dashboard_page_shows_the_prospecting_figures_for_the_same_filters(
        request, client_for, business, who, year, with_campaign):
    campaign = business["computex"] if with_campaign else None
    params = {"year": year} | ({"prospecting_campaign": campaign.pk} if campaign else {})
    shown = _page_numbers(client_for(request.getfixturevalue(who)), params)
    assert shown == _selector_numbers(year, campaign)
    if year == LAST and not with_campaign:
        assert shown["meetings"] == ANSWERS["meetings"]
        assert shown["by_officer"] == ANSWERS["by_officer"]


def test_cached_figures_follow_the_filters(client_for, coordinator, business):
    client = client_for(coordinator)
    assert _page_numbers(client, {"year": LAST})["meetings"] == 4
    assert _page_numbers(client, {"year": LAST, "prospecting_campaign": business["computex"].pk})["meetings"] == 2
    assert _page_numbers(client, {"year": LAST})["meetings"] == 4


def test_english_dashboard_shows_the_business_side_in_english(client_for, coordinator, business):
    response = client_for(coordinator).get("/pilotage/tableau-de-bord/", {"year": LAST}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Prospecting meetings held" in html
    assert "Meetings and settlements by prospecting officer" in html
    assert "A meeting counts once held: its start has passed." in html
    assert "Rendez-vous de prospection tenus" not in html


def test_business_query_count_does_not_grow_with_rows(client_for, prospecting_officer, business,
                                                      django_assert_max_num_queries):
    client = client_for(prospecting_officer)
    with django_assert_max_num_queries(30):
        client.get("/pilotage/tableau-de-bord/", {"year": LAST, "fresh": "1"})
    for i in range(20):
        prospect = Prospect.objects.create(name=f"P{i}", country="DE", owner=business["colleague"])
        Meeting.objects.create(prospect=prospect, starts_at=_paris(LAST, 3, 1 + i), officer=prospecting_officer)
    with django_assert_max_num_queries(30):
        client.get("/pilotage/tableau-de-bord/", {"year": LAST, "fresh": "1"})


def test_meetings_per_month_sit_beside_last_years(client_for, coordinator, business):
    figures, _ = build(Filters(year=YEAR), talent=False, business=True, fresh=True)
    months = {r[0]: r for r in _figure(figures, "meetings_by_month").rows}
    # Last year's meetings, counted by hand in ANSWERS: February 1, May 2, December 1 (cumulated 1, 3, 4).
    assert [months[f"{YEAR}-{m:02d}"][4] for m in (2, 5, 12)] == [1, 2, 1]
    assert [months[f"{YEAR}-{m:02d}"][5] for m in (2, 5, 12)] == [1, 3, 4]
    targets = {str(r[0]): r for r in _figure(figures, "targets").rows}
    assert targets["Rendez-vous de prospection tenus"][4] == ANSWERS["meetings"]
    assert targets["Implantations"][4:] == (ANSWERS["settlements"], -100.0)  # none yet this year
    html = client_for(coordinator).get("/pilotage/tableau-de-bord/", {"year": YEAR}).content.decode()
    assert f'<span class="lbl">{YEAR}-05</span>' in html
    assert "<small>(2)</small>" in html
