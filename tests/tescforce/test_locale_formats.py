"""Numbers, money, dates and plurals written the way each language writes them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import formats, timezone, translation

from tescforce.site.dashboard import Figure
from tescforce.templatetags.dashboard import format_value, table_rows
from tescforce.templatetags.locale_formats import long_date, number, percent
from tests import factories

NBSP = "\xa0"


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", ["36\xa0000", "+5,9\xa0%", "1er décembre 2026", "15 décembre 2026", "mardi 1er décembre 2026, 14:00"]),
    ("en", ["36,000", "+5.9%", "1 December 2026", "15 December 2026", "Tuesday 1 December 2026, 14:00"]),
])
def test_filters_follow_the_active_language(lang, expected):
    first = timezone.make_aware(dt.datetime(2026, 12, 1, 14, 0))
    with translation.override(lang):
        assert [number(36000), percent(Decimal("5.9"), 1), long_date(dt.date(2026, 12, 1)),
                long_date(dt.date(2026, 12, 15)), long_date(first, "weekday time")] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "none", "one", "two"), [
    ("fr", "0 offre<", "1 offre<", "2 offres<"), ("en", "0 jobs<", "1 job<", "2 jobs<")])
def test_job_count_uses_the_languages_plural_rule(client, lang, none, one, two):
    assert none in client.get(f"/{lang}/offres/").content.decode()
    factories.JobPostingFactory()
    assert one in client.get(f"/{lang}/offres/").content.decode()
    factories.JobPostingFactory()
    assert two in client.get(f"/{lang}/offres/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "salary", "published"), [
    ("fr", f"36{NBSP}000 à 45{NBSP}000 €", "Publiée le 1er décembre 2026"),
    ("en", "€36,000 to €45,000", "Published on 1 December 2026"),
])
def test_posting_shows_money_and_dates_in_the_visitors_language(client, lang, salary, published):
    posting = factories.JobPostingFactory(salary_min=36000, salary_max=45000,
                                          published_at=timezone.make_aware(dt.datetime(2026, 12, 1, 10, 0)))
    detail = client.get(f"/{lang}/offres/{posting.slug}/").content.decode()
    assert salary in detail
    assert "36000 à" not in detail and "€36000" not in detail  # (the JSON-LD keeps plain numbers)
    board = client.get(f"/{lang}/offres/").content.decode()
    assert published in board


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "shown", "not_shown"), [
    ("fr", ["+5,9\xa0%", "110\xa0000"], ["+5.9%", "110,000"]),
    ("en", ["+5.9%", "110,000"], ["+5,9", "110\xa0000", "110 000"]),
])
def test_home_page_figures_in_the_visitors_language(client, lang, shown, not_shown):
    body = client.get(f"/{lang}/").content.decode()
    assert all(text in body for text in shown)
    assert not any(text in body for text in not_shown)


@pytest.mark.django_db
def test_city_choices_sort_with_accents_in_place(client):
    start = timezone.now() + dt.timedelta(days=10)
    for city in ("Sète", "Écully", "Albi"):
        factories.SessionFactory(city=city, starts_at=start, ends_at=start + dt.timedelta(hours=2))
        factories.JobPostingFactory(city=city)
    for path in ("/fr/sessions/", "/fr/offres/"):
        body = client.get(path).content.decode()
        options = body[body.index('name="city"'):]
        assert options.index(">Albi<") < options.index(">Écully<") < options.index(">Sète<"), path


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_showroom_filters_sort_with_accents_in_place(client, lang):
    # Slugs in the opposite order, and no English names: the English page sorts the French names it shows.
    for name, slug in (("Santé", "a-sante"), ("Énergie", "b-energie"), ("Agriculture", "c-agriculture")):
        sector = factories.SectorFactory(name=name, slug=slug)
        company = factories.CompanyFactory(name=f"{'É' if name == 'Énergie' else name[0]}tablissements {name}")
        factories.UseCaseFactory(sector=sector).companies.add(company)
    body = client.get(f"/{lang}/showroom/").content.decode()
    sectors = body[body.index('name="sector"'):]
    assert sectors.index(">Agriculture<") < sectors.index(">Énergie<") < sectors.index(">Santé<")
    companies = body[body.index('name="company"'):]
    assert companies.index("Atablissements") < companies.index("Étab") < companies.index("Stablissements")


@pytest.mark.parametrize(("lang", "cell", "rate"), [("fr", f"1{NBSP}234", f"45,5{NBSP}%"), ("en", "1,234", "45.5%")])
def test_dashboard_figures_write_numbers_the_readers_way(lang, cell, rate):
    with translation.override(lang):
        assert format_value(1234) == cell
        assert format_value(45.5, percent=True) == rate
        assert format_value("Toulouse") == "Toulouse" and format_value(None) == "—"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dashboard_table_cells_are_written_as_django_writes_numbers(lang):
    # The table writes whole numbers itself (its long tables made the general formatter the page's main
    # cost) and reuses a value's cell: it must write exactly what Django's number format writes.
    values = [0, 7, -7, 999, 1000, -1000, 1234567, -987654321, 10**12, 1.0, 1, 45.5, 66.666, None, "Albi"]
    figure = Figure(key="sessions", title="t", columns=["", "n", "rate (%)"],
                    rows=[("a", v, v if not isinstance(v, str) else None) for v in values])
    with translation.override(lang):
        html = table_rows(figure)
        sign = f"{NBSP}%" if lang == "fr" else "%"
        for v in values:
            if v is None:
                expected, rate = "—", "—"
            elif isinstance(v, str):
                expected, rate = v, "—"
            else:
                expected = formats.number_format(v, use_l10n=True, force_grouping=True)
                rate = expected + sign
            assert f'<th scope="row">a</th><td class="text-end">{expected}</td><td class="text-end">{rate}</td>' \
                in html, v
    assert ("1\xa0234\xa0567" if lang == "fr" else "1,234,567") in html
    assert (">1,0<" if lang == "fr" else ">1.0<") in html  # 1.0 is not the cell of 1
