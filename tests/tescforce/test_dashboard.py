import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.models import Candidate, Orientation, StageChange
from events.models import Registration, SessionCompany
from hotline.models import HotlineCall, RelocationRequest
from tescforce import page_cache, roles
from tescforce.models import YearTarget
from tescforce.site import dashboard
from tescforce.site.dashboard import Filters, build, median_days_in_stage
from tests import factories

pytestmark = pytest.mark.django_db

DASHBOARD = "/pilotage/tableau-de-bord/"
YEAR = timezone.localdate().year


def _at(month: int, day: int = 10) -> dt.datetime:
    return dt.datetime(YEAR, month, day, 12, tzinfo=dt.UTC)


def _figure(figures, key):
    return next(f for f in figures if f.key == key)


@pytest.fixture
def dataset(coordinator, prospecting_officer):
    """Six candidates, two sessions: every figure below is counted by hand (the business side's data set
    is in test_dashboard_business.py)."""
    campaign = factories.CampaignFactory(name="Paris 2026", code="paris")
    people = [
        ("retraining", "female", "31000", "hired", None),
        ("retraining", "male", "75011", "oriented", campaign),
        ("young_graduate", "female", "34000", "qualified", None),
        ("job_seeker", "undisclosed", "69001", "registered", campaign),
        ("experienced", "", "31400", "withdrawn", None),
        ("young_graduate", "female", "31000", "registered", None),
    ]
    candidates = []
    for i, (profile, gender, postcode, stage, source) in enumerate(people):
        c = factories.CandidateFactory(profile=profile, gender=gender, postcode=postcode, stage=stage,
                                       source_campaign=source)
        Candidate.objects.filter(pk=c.pk).update(created_at=_at(1 + i))
        candidates.append(c)
    # History: the hired one stayed registered 10 days, qualified 4, oriented 20, then was hired.
    hired = candidates[0]
    for to_stage, day in (("registered", 1), ("qualified", 11), ("oriented", 15), ("hired", 35)):
        change = StageChange.objects.create(candidate=hired, from_stage="", to_stage=to_stage)
        StageChange.objects.filter(pk=change.pk).update(changed_at=_at(1, 1) + dt.timedelta(days=day - 1))
    # The withdrawn one had been qualified for 6 days, the oriented one qualified for 2.
    for cand, qualified_for in ((candidates[4], 6), (candidates[1], 2)):
        q = StageChange.objects.create(candidate=cand, to_stage="qualified")
        nxt = StageChange.objects.create(candidate=cand, to_stage="withdrawn" if cand.stage == "withdrawn"
                                         else "oriented")
        StageChange.objects.filter(pk=q.pk).update(changed_at=_at(3, 1))
        StageChange.objects.filter(pk=nxt.pk).update(changed_at=_at(3, 1) + dt.timedelta(days=qualified_for))
    company = factories.CompanyFactory(name="Gamma")
    Orientation.objects.create(candidate=hired, company=company, status=Orientation.Status.HIRED)
    Orientation.objects.create(candidate=candidates[1], company=company)

    toulouse = factories.SessionFactory(city="Toulouse", capacity=4, starts_at=_at(3),
                                        ends_at=_at(3) + dt.timedelta(hours=2))
    montpellier = factories.SessionFactory(city="Montpellier", capacity=10, starts_at=_at(4),
                                           ends_at=_at(4) + dt.timedelta(hours=2))
    SessionCompany.objects.create(session=toulouse, company=company)
    for cand, status in ((candidates[0], "attended"), (candidates[1], "attended"), (candidates[2], "no_show")):
        Registration.objects.create(session=toulouse, candidate=cand, status=status)
    Registration.objects.create(session=montpellier, candidate=candidates[3], status="confirmed")
    Registration.objects.create(session=montpellier, candidate=candidates[5], status="cancelled")

    HotlineCall.objects.create(candidate=hired, topic="relocation", summary="Logement")
    HotlineCall.objects.create(topic="relocation", summary="Écoles")
    HotlineCall.objects.create(topic="session", summary="Horaires", follow_up_owner=coordinator,
                               follow_up_due=timezone.localdate() - dt.timedelta(days=1))
    RelocationRequest.objects.create(candidate=hired, target_city="Toulouse", need_housing=True, need_schools=True)

    YearTarget.objects.update_or_create(year=YEAR, defaults={"candidates": 12, "hires": 2})
    return candidates


def test_targets_show_done_against_target(dataset):
    figures, _ = build(Filters(year=YEAR), talent=True, business=False, fresh=True)
    rows = {str(r[0]): r[1:4] for r in _figure(figures, "targets").rows}
    assert rows["Candidats"] == (6, 12, 50.0)
    assert rows["Sessions"] == (2, 8, 25.0)
    assert rows["Entreprises mobilisées"] == (1, 40, 2.5)
    assert rows["Recrutements"] == (1, 2, 50.0)
    assert set(rows) == {"Candidats", "Sessions", "Entreprises mobilisées", "Recrutements"}


def test_profiles_and_campaigns_are_counted(dataset):
    figures, _ = build(Filters(year=YEAR), talent=True, business=False, fresh=True)
    profiles = {str(r[0]): (r[1], r[2]) for r in _figure(figures, "registrations_by_profile").rows}
    assert profiles["Personnes en reconversion"] == (2, 33.3)
    assert profiles["Femmes"] == (3, 50.0)
    assert profiles["Jeunes diplômé·es"] == (2, 33.3)
    assert profiles["Venus d'autres régions"] == (2, 33.3)  # Paris and Lyon postcodes
    campaigns = dict((str(a), b) for a, b in _figure(figures, "registrations_by_campaign").rows)
    assert campaigns == {"Paris 2026": 2, "Sans campagne": 4}
    months = dict(_figure(figures, "registrations_by_month").rows)
    assert months == {f"{YEAR}-{m:02d}": 1 for m in range(1, 7)}


def test_months_add_up_across_campaigns_and_campaigns_across_months():
    """Campaigns and months come from one grouped query: each figure must still add up its own way."""
    paris, lyon = (factories.CampaignFactory(name=name, code=name.lower()) for name in ("Paris", "Lyon"))
    for month, source in ((2, paris), (2, lyon), (2, None), (5, paris), (5, paris), (7, lyon), (7, None),
                          (7, None)):
        candidate = factories.CandidateFactory(source_campaign=source, stage="hired" if month == 5 else "registered")
        Candidate.objects.filter(pk=candidate.pk).update(created_at=_at(month))
    figures, _ = build(Filters(year=YEAR), talent=True, business=False, fresh=True)
    assert dict(_figure(figures, "registrations_by_month").rows) == {f"{YEAR}-02": 3, f"{YEAR}-05": 2,
                                                                     f"{YEAR}-07": 3}
    assert [(str(a), b) for a, b in _figure(figures, "registrations_by_campaign").rows] == [
        ("Paris", 3), ("Sans campagne", 3), ("Lyon", 2)]
    targets = {str(r[0]): r[1] for r in _figure(figures, "targets").rows}
    assert targets["Candidats"] == 8 and targets["Recrutements"] == 2


def test_a_stage_reached_counts_once_whether_held_now_or_only_in_the_history():
    """Reached by standing at it or beyond, or by the history alone (moved back, withdrawn), each person once,
    however many times their history went through it."""
    paris = factories.CampaignFactory(name="Paris", code="paris")
    people = {
        "oriented now": ("oriented", ["qualified", "oriented"], paris),
        "moved back twice": ("registered", ["qualified", "registered", "qualified", "registered"], paris),
        "withdrawn after orienting": ("withdrawn", ["qualified", "oriented", "withdrawn"], None),
        "hired with no history": ("hired", [], None),
        "registered": ("registered", [], None),
    }
    for stage, history, source in people.values():
        candidate = factories.CandidateFactory(stage=stage, source_campaign=source)
        Candidate.objects.filter(pk=candidate.pk).update(created_at=_at(3))
        for to_stage in history:
            StageChange.objects.create(candidate=candidate, to_stage=to_stage)
    figures, _ = build(Filters(year=YEAR), talent=True, business=False, fresh=True)
    funnel = {str(r[0]): r[1] for r in _figure(figures, "pipeline_funnel").rows}
    assert list(funnel.values()) == [5, 4, 3, 1]  # registered, qualified, oriented, hired
    figures, _ = build(Filters(year=YEAR, campaign=paris), talent=True, business=False, fresh=True)
    assert [r[1] for r in _figure(figures, "pipeline_funnel").rows] == [2, 2, 1, 0]


def test_funnel_counts_conversion_and_median_stays(dataset):
    figures, _ = build(Filters(year=YEAR), talent=True, business=False, fresh=True)
    funnel = [r[1:] for r in _figure(figures, "pipeline_funnel").rows]
    # registered 6; qualified: hired, oriented, qualified, withdrawn(history) = 4; oriented: 2; hired: 1
    assert [r[0] for r in funnel] == [6, 4, 2, 1]
    assert [r[1] for r in funnel] == [None, 66.7, 50.0, 50.0]
    # Stays in "qualified": 4, 6 and 2 days → median 4; "oriented": 20 days; "registered": 10 days.
    assert funnel[1][2] == 4.0
    assert funnel[2][2] == 20.0
    assert funnel[0][2] == 10.0


def test_median_of_even_count_is_the_mean_of_the_middle_two(dataset):
    ids = Candidate.objects.filter(pk__in=[dataset[1].pk, dataset[4].pk]).values("pk")
    assert median_days_in_stage(ids_queryset=ids)["qualified"] == 4.0


def test_sessions_hotline_relocation_and_hires(dataset):
    figures, _ = build(Filters(year=YEAR), talent=True, business=False, fresh=True)
    sessions = _figure(figures, "sessions_fill").rows
    assert [r[1:] for r in sessions] == [(75.0, 4, 3, 2, 66.7), (10.0, 10, 1, 0, None)]
    assert dict((str(a), b) for a, b in _figure(figures, "calls_by_topic").rows) == {
        "Installation en Occitanie": 2, "Une session": 1}
    assert _figure(figures, "follow_ups_overdue").rows[0][1] == 1
    needs = dict((str(a), b) for a, b in _figure(figures, "relocation_by_need").rows)
    assert needs["Logement"] == 1 and needs["Scolarité"] == 1 and needs["Transports"] == 0
    assert _figure(figures, "hires_by_company").rows == [("Gamma", 1)]


def test_city_filter_keeps_one_city(dataset):
    figures, _ = build(Filters(year=YEAR, city="Montpellier"), talent=True, business=False, fresh=True)
    assert len(_figure(figures, "sessions_fill").rows) == 1
    assert _figure(figures, "sessions_fill").rows[0][2] == 10


def test_erased_candidates_still_count(dataset):
    Candidate.objects.filter(pk=dataset[0].pk).update(first_name="", last_name="", email="erased@invalid",
                                                      anonymised_at=timezone.now())
    figures, _ = build(Filters(year=YEAR), talent=True, business=False, fresh=True)
    assert _figure(figures, "targets").rows[0][1] == 6


def test_empty_year_renders(client_for, coordinator):
    response = client_for(coordinator).get(DASHBOARD, {"year": 2031})
    assert response.status_code == 200
    assert "Aucune donnée pour ces filtres." in response.content.decode()


def test_page_and_csv_agree(client_for, coordinator, dataset):
    client = client_for(coordinator)
    page = client.get(DASHBOARD, {"year": YEAR})
    assert page.status_code == 200
    response = client.get(DASHBOARD, {"year": YEAR, "export": "sessions_fill"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    figures, _ = build(Filters(year=YEAR), talent=True, business=True)
    table = _figure(figures, "sessions_fill")
    assert rows[0] == [str(c) for c in table.columns]
    # French spreadsheets read a decimal comma.
    assert rows[1:] == [["" if v is None else str(v).replace(".", ",") for v in r] for r in table.rows]
    assert rows[1][1] == "75,0"
    for row in rows[1:]:
        assert row[0] in page.content.decode()


def test_unknown_export_is_404(client_for, coordinator):
    assert client_for(coordinator).get(DASHBOARD, {"export": "nope"}).status_code == 404


def test_bad_filters_fall_back_to_defaults(client_for, coordinator):
    response = client_for(coordinator).get(DASHBOARD, {"year": "abc", "edition": "999999"})
    assert response.status_code == 200


def test_recruiter_and_hotline_cannot_open_dashboard(client_for, recruiter_a, hotline_agent):
    assert client_for(recruiter_a).get(DASHBOARD).status_code == 403
    assert client_for(hotline_agent).get(DASHBOARD).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_prospecting_officer_sees_only_business_side(client_for, prospecting_officer, dataset):
    response = client_for(prospecting_officer).get(DASHBOARD, {"year": YEAR})
    keys = {f.key for f in response.context["figures"]}
    assert "meetings_by_month" in keys
    assert not keys & {"pipeline_funnel", "registrations_by_profile", "calls_by_topic", "sessions_fill"}
    assert client_for(prospecting_officer).get(DASHBOARD, {"export": "pipeline_funnel"}).status_code == 404


def _queries(client, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD, params).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_rows(client_for, coordinator, dataset):
    client = client_for(coordinator)
    client.get(DASHBOARD, {"year": YEAR})  # a first request does one-off work (session, the years' list)
    cold, warm = _queries(client, {"year": YEAR, "fresh": "1"}), _queries(client, {"year": YEAR})
    assert cold <= 45 and warm < cold
    for i in range(20):
        c = factories.CandidateFactory(stage="qualified", source_campaign=factories.CampaignFactory())
        StageChange.objects.create(candidate=c, to_stage="qualified")
        # Editions of other programmes: the filter's choices name them.
        programme = factories.ProgrammeFactory(slug=f"programme-{i}", name=f"Programme {i}")
        session = factories.SessionFactory(edition=factories.EditionFactory(programme=programme, number=i),
                                           starts_at=_at(5), ends_at=_at(5) + dt.timedelta(hours=2))
        factories.RegistrationFactory(candidate=c, session=session)
    assert _queries(client, {"year": YEAR, "fresh": "1"}) == cold
    assert _queries(client, {"year": YEAR}) == warm


# ---- the page a person reads: year selector, sections, numbers in the page's language, last year -----------

def _last_year_candidates(n: int) -> None:
    for _i in range(n):
        c = factories.CandidateFactory(stage="registered")
        Candidate.objects.filter(pk=c.pk).update(created_at=dt.datetime(YEAR - 1, 6, 1, 12, tzinfo=dt.UTC))


def test_year_selector_lists_the_years_with_data(client_for, coordinator, dataset):
    old = factories.CandidateFactory()
    Candidate.objects.filter(pk=old.pk).update(created_at=dt.datetime(YEAR - 3, 5, 1, 12, tzinfo=dt.UTC))
    response = client_for(coordinator).get(DASHBOARD)
    html = response.content.decode()
    assert '<select name="year"' in html
    years = [value for value, _label in response.context["form"].fields["year"].choices]
    assert years == [YEAR, YEAR - 3]  # latest first; no year without data
    assert f'<option value="{YEAR}" selected>' in html

    picked = client_for(coordinator).get(DASHBOARD, {"year": YEAR - 3})
    assert picked.context["filters"].year == YEAR - 3
    assert _figure(picked.context["figures"], "targets").rows[0][1] == 1
    assert f'<option value="{YEAR - 3}" selected>' in picked.content.decode()


def test_year_selector_finds_a_year_between_others_in_paris_time(client_for, coordinator, dataset):
    for created in (dt.datetime(YEAR - 4, 5, 1, 12, tzinfo=dt.UTC),
                    # 31 December in UTC, already New Year's Day in Paris: a candidate of YEAR - 2.
                    dt.datetime(YEAR - 3, 12, 31, 23, 30, tzinfo=dt.UTC)):
        person = factories.CandidateFactory()
        Candidate.objects.filter(pk=person.pk).update(created_at=created)
    response = client_for(coordinator).get(DASHBOARD)
    years = [value for value, _label in response.context["form"].fields["year"].choices]
    assert years == [YEAR, YEAR - 2, YEAR - 4]


def test_a_year_outside_the_list_shows_an_error_and_this_year(client_for, coordinator, dataset):
    response = client_for(coordinator).get(DASHBOARD, {"year": YEAR - 7})
    assert response.status_code == 200
    assert response.context["filters"].year == YEAR
    assert response.context["form"].errors["year"]


def test_other_filters_without_a_year_keep_this_year_selected(client_for, coordinator, dataset):
    response = client_for(coordinator).get(DASHBOARD, {"city": "Toulouse"})
    assert response.context["filters"].year == YEAR
    assert f'<option value="{YEAR}" selected>' in response.content.decode()


def test_targets_compare_with_the_previous_year(client_for, coordinator, dataset):
    _last_year_candidates(3)
    figures, _ = build(Filters(year=YEAR), talent=True, business=False, fresh=True)
    rows = {str(r[0]): r for r in _figure(figures, "targets").rows}
    # 6 candidates this year against 3 last year: +100 %; no session last year: no change to show.
    assert rows["Candidats"][4:] == (3, 100.0)
    assert rows["Sessions"][4:] == (0, None)
    last_year, _ = build(Filters(year=YEAR - 1), talent=True, business=False, fresh=True)
    assert _figure(last_year, "targets").rows[0][1] == 3

    html = client_for(coordinator).get(DASHBOARD, {"year": YEAR}).content.decode().replace("&#x27;", "'")
    assert f"{YEAR - 1} : 3 (+100,0\xa0%)" in html
    assert f"Comparaison avec l'année {YEAR - 1} entière." in html


def test_numbers_follow_the_language_in_charts_tables_and_csv(client_for, coordinator, dataset):
    client = client_for(coordinator)
    french = client.get(DASHBOARD, {"year": YEAR}).content.decode()
    assert '<span class="val">75,0\xa0%</span>' in french  # the session chart
    assert "<td class=\"text-end\">66,7\xa0%</td>" in french  # its table
    french_csv = client.get(DASHBOARD, {"year": YEAR, "export": "sessions_fill"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(french_csv), delimiter=";"))
    assert rows[1][1:] == ["75,0", "4", "3", "2", "66,7"]

    english = client.get(DASHBOARD, {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span class="val">75.0%</span>' in english
    assert "75,0" not in english
    english_csv = client.get(DASHBOARD, {"year": YEAR, "export": "sessions_fill"},
                             HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(english_csv), delimiter=","))
    assert rows[0][1] == "Fill rate (%)"
    assert rows[1][1:] == ["75.0", "4", "3", "2", "66.7"]


def test_chart_labels_are_written_whole(client_for, coordinator, dataset):
    factories.SessionFactory(title="Job dating données, intelligence artificielle et cybersécurité industrielle",
                             city="Montpellier", starts_at=_at(5), ends_at=_at(5) + dt.timedelta(hours=2))
    html = client_for(coordinator).get(DASHBOARD, {"year": YEAR}).content.decode()
    label = "Job dating données, intelligence artificielle et cybersécurité industrielle – Montpellier"
    assert f'<span class="lbl">{label}' in html.replace("&#x27;", "'")


def test_sections_are_listed_in_the_index_for_what_the_role_sees(client_for, coordinator, prospecting_officer,
                                                                  dataset):
    html = client_for(coordinator).get(DASHBOARD, {"year": YEAR}).content.decode()
    for key in ("targets", "candidates", "sessions", "hires", "hotline", "prospecting"):
        assert f'href="#section-{key}"' in html and f'id="section-{key}"' in html
    officer = client_for(prospecting_officer).get(DASHBOARD, {"year": YEAR}).content.decode()
    assert 'href="#section-prospecting"' in officer
    assert 'href="#section-candidates"' not in officer and 'id="section-hotline"' not in officer


def test_a_chart_of_zeros_gives_way_to_a_sentence(client_for, coordinator, dataset):
    html = client_for(coordinator).get(DASHBOARD, {"year": YEAR}).content.decode()
    # No relocation request this year asked for transport: the chart still shows, with its zero row.
    assert '<span class="lbl">Transports</span>' in html
    Candidate.objects.filter(pk__in=[c.pk for c in dataset]).update(created_at=_at(1).replace(year=YEAR - 1))
    figures, _ = build(Filters(year=YEAR), talent=True, business=False, fresh=True)
    profiles = _figure(figures, "registrations_by_profile")
    assert profiles.rows and not profiles.has_values
    html = client_for(coordinator).get(DASHBOARD, {"year": YEAR, "fresh": "1"}).content.decode()
    assert "Aucune valeur non nulle pour ces filtres." in html
    assert '<span class="lbl">Personnes en reconversion</span>' not in html


# ---- the page's HTML is kept with the figures it shows ------------------------------------------------------

BODY = "staff/_dashboard_body.html"


def _main(response) -> str:
    # The page's own content; the layout around it holds per-request tokens (CSRF, CSP nonce).
    return response.content.decode().split('<main', 1)[1].split('</main>', 1)[0]


def _drawn(response) -> bool:
    return BODY in [template.name for template in response.templates]


def _candidates_done(response) -> int:
    rows = {str(r[0]): r[1] for r in _figure(response.context["figures"], "targets").rows}
    return rows["Candidats"]


def test_the_page_is_drawn_once_per_computation_of_its_figures(client_for, coordinator, dataset):
    client = client_for(coordinator)
    first = client.get(DASHBOARD, {"year": YEAR})
    again = client.get(DASHBOARD, {"year": YEAR})
    assert _drawn(first) and not _drawn(again)
    assert _main(again) == _main(first)
    assert _candidates_done(first) == 6
    # A new person counts once the figures are computed again, and the next visit shows that page.
    Candidate.objects.filter(pk=factories.CandidateFactory().pk).update(created_at=_at(2))
    fresh = client.get(DASHBOARD, {"year": YEAR, "fresh": "1"})
    assert _drawn(fresh) and _candidates_done(fresh) == 7
    later = client.get(DASHBOARD, {"year": YEAR})
    assert not _drawn(later)
    assert _main(later) == _main(fresh) != _main(first)


def test_a_kept_page_is_shown_only_to_the_role_language_and_filters_it_was_drawn_for(
        client_for, coordinator, prospecting_officer, dataset, monkeypatch):
    # Every computation at the same moment: only the rest of the key can keep the pages apart.
    build_figures, moment = dashboard.build, timezone.now()
    monkeypatch.setattr(dashboard, "build", lambda *args, **kwargs: (build_figures(*args, **kwargs)[0], moment))
    client = client_for(coordinator)
    talent = _main(client.get(DASHBOARD, {"year": YEAR}))
    assert 'id="section-candidates"' in talent and "Modifier les objectifs" in talent
    # An officer who may set the targets: the coordinator's page has the same link, not the same sections.
    setter = factories.UserFactory(username="prospection-objectifs", groups=[roles.PROSPECTING])
    setter.user_permissions.add(Permission.objects.get(codename="change_yeartarget"))
    business = client_for(setter).get(DASHBOARD, {"year": YEAR})
    assert _drawn(business) and "Modifier les objectifs" in _main(business)
    assert 'id="section-candidates"' not in _main(business) and 'id="section-prospecting"' in _main(business)
    # Same role, without the permission: the link is not kept for them.
    officer = client_for(prospecting_officer).get(DASHBOARD, {"year": YEAR})
    assert _drawn(officer) and "Modifier les objectifs" not in _main(officer)
    assert 'id="section-candidates"' not in _main(officer)
    client = client_for(coordinator)
    english = client.get(DASHBOARD, {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en")
    assert _drawn(english) and "Edit the targets" in _main(english) and "Modifier les objectifs" not in _main(english)
    toulouse = client.get(DASHBOARD, {"year": YEAR, "city": "Toulouse"})
    assert _drawn(toulouse) and '<option value="Toulouse" selected>' in _main(toulouse)
    assert _main(client.get(DASHBOARD, {"year": YEAR})) == talent


@pytest.mark.parametrize("params", [
    {"year": "abc"},  # refused by the form: an error shown, this year's figures
    {"year": str(YEAR), "utm": "x"},  # a parameter the page does not know
    {"year": str(YEAR), "city": "T" * page_cache.MAX_QUERY_LENGTH},  # longer than the page cache keeps
])
def test_made_up_queries_are_drawn_but_not_kept(client_for, coordinator, dataset, params):
    client = client_for(coordinator)
    first, again = client.get(DASHBOARD, params), client.get(DASHBOARD, params)
    assert first.status_code == again.status_code == 200
    assert _drawn(first) and _drawn(again)
    assert _main(again) == _main(first)
