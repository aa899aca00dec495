"""The coordinators' figures: every one a database aggregate, shaped as a table the page,
its chart and its CSV download all read from.
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, Max, Min, Q
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import formats, timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from candidates.models import Campaign, Candidate, JobInterest, Orientation, StageChange
from events.models import Edition, Registration, Session
from hotline.models import HotlineCall, RelocationRequest
from partners import selectors as partner_selectors
from prospecting import selectors as prospecting_selectors
from prospecting.models import Meeting, Prospect, ProspectingCampaign, Settlement
from tescforce.models import YearTarget

CACHE_SECONDS = 300
CITIES = ("Toulouse", "Montpellier")
FUNNEL = ("registered", "qualified", "oriented", "hired")
PIPELINE_ORDER = ("registered", "qualified", "oriented", "in_recruitment", "hired")


FIGURE_SECTIONS = {
    "registrations_by_month": "candidates", "registrations_by_campaign": "candidates",
    "registrations_by_profile": "candidates", "pipeline_funnel": "candidates", "sessions_fill": "sessions",
    "hires_by_company": "hires", "hires_by_session": "hires", "calls_by_topic": "hotline",
    "follow_ups_overdue": "hotline", "relocation_by_need": "hotline", "referrals_by_partner": "partners",
}  # the business side's figures are all in "prospecting"


@dataclass
class Filters:
    year: int
    edition: Edition | None = None
    city: str = ""
    campaign: Campaign | None = None
    prospecting_campaign: ProspectingCampaign | None = None

    def cache_key(self, part: str) -> str:
        return ":".join(
            str(x) for x in ("dashboard", part, get_language(), self.year, self.edition and self.edition.pk, self.city,
                             self.campaign and self.campaign.pk,
                             self.prospecting_campaign and self.prospecting_campaign.pk)
        )


# The page's sections, in order: each figure belongs to one, and the sticky index links to them.
SECTIONS = (
    ("targets", _("Objectifs")),
    ("candidates", _("Candidats")),
    ("sessions", _("Sessions")),
    ("hires", _("Recrutements")),
    ("partners", _("Partenaires prescripteurs")),
    ("hotline", _("Hotline")),
    ("prospecting", _("Prospection")),
)


@dataclass
class Figure:
    """One table of figures; `chart` says how the page draws it ("bars", "progress" or None).

    A column whose title ends with "(%)" holds percentages: the page writes them with "%".
    """

    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    chart: str | None = "bars"
    note: str = ""
    section: str = ""
    compare_column: int | None = None  # the previous year's value of each row, drawn under its bar

    @property
    def max_value(self) -> float:
        values = [r[1] for r in self.rows if isinstance(r[1], int | float)]
        return max(values, default=0) or 1

    @property
    def has_values(self) -> bool:
        """Whether a bar would show: a chart of zeros only says less than its table."""
        columns = [1] if self.compare_column is None else [1, self.compare_column]
        return any(isinstance(r[c], int | float) and r[c] for r in self.rows for c in columns)

    @cached_property
    def percent_columns(self) -> frozenset[int]:
        # Read for every cell of the table: worked out once.
        return frozenset(i for i, title in enumerate(self.columns) if str(title).endswith("(%)"))

    def as_text(self) -> "Figure":
        """Return the figure with its translatable texts written out in the current language.

        The cache keeps them per language; plain text is read back without a translation lookup per string.
        """
        def text(value):
            return str(value) if isinstance(value, Promise) else value

        self.title, self.note = text(self.title), text(self.note)
        self.columns = [text(c) for c in self.columns]
        self.rows = [tuple(text(v) for v in row) for row in self.rows]
        return self


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _change(now: int, before: int) -> float | None:
    """Return the change from `before` to `now` in percent, None when there was nothing before."""
    return round(100 * (now - before) / before, 1) if before else None


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def _month_label(value) -> str:
    return f"{value:%Y-%m}" if value else "—"


def _short_date(value) -> str:
    """The day in the reader's short format: "05/12/2026" in French, "5 Dec 2026" in English (never 05/12)."""
    return formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")


def years_with_data() -> list[int]:
    """Return the years that have candidates, sessions, meetings or settlements, and this year; latest first.

    Cached as the figures are. The candidates, the one table that grows with the programme's reach, through
    their date index (two queries: first and last dates, then whether each year between has one) rather than
    a scan of 100,000 rows; sessions, meetings and settlements, thousands of rows, in one query.
    """
    years = cache.get("dashboard:years")
    if years is None:
        def distinct_years(queryset, name):
            return queryset.annotate(y=ExtractYear(name)).order_by().values_list("y").distinct()

        found = distinct_years(Session.objects.all(), "starts_at").union(
            distinct_years(Meeting.objects.all(), "starts_at"), distinct_years(Settlement.objects.all(), "settled_on"))
        years = {year for (year,) in found} | _years_of(Candidate.objects.order_by(), "created_at")
        years = sorted(years | {timezone.localdate().year}, reverse=True)
        cache.set("dashboard:years", years, CACHE_SECONDS)
    return years


def _years_of(queryset, name: str) -> set[int]:
    """The Paris years of a date-time column: first and last through its index, then one query for those between."""
    bounds = queryset.aggregate(first=Min(name), last=Max(name))
    if bounds["first"] is None:
        return set()
    first, last = (timezone.localtime(bounds[end]).year for end in ("first", "last"))
    between = range(first + 1, last)
    if not between:
        return {first, last}
    has = {f"y{y}": Exists(queryset.filter(**{f"{name}__gte": _year_bounds(y)[0], f"{name}__lt": _year_bounds(y)[1]}))
           for y in between}
    row = queryset.annotate(**has).values(*has)[:1].get()
    return {first, last} | {y for y in between if row[f"y{y}"]}


def target_for(year: int) -> YearTarget:
    """Return the year's targets, the plan's defaults when none were set."""
    return prospecting_selectors.year_target(year)


# ---- talent side -------------------------------------------------------------------------------

def _candidates(f: Filters):
    """Candidates registered in the year; edition and city keep those booked on matching sessions.

    Without an edition, the city filter also keeps the candidates who live in that city.
    """
    start, end = _year_bounds(f.year)
    qs = Candidate.objects.filter(created_at__gte=start, created_at__lt=end).order_by()
    if f.campaign:
        qs = qs.filter(source_campaign=f.campaign)
    bookings = Registration.objects.all()
    if f.edition:
        bookings = bookings.filter(session__edition=f.edition)
    if f.city:
        bookings = bookings.filter(session__city=f.city)
    if f.edition:
        qs = qs.filter(pk__in=bookings.values("candidate"))
    elif f.city:
        qs = qs.filter(Q(city__iexact=f.city) | Q(pk__in=bookings.values("candidate")))
    return qs


def _sessions(f: Filters):
    start, end = _year_bounds(f.year)
    qs = Session.objects.filter(starts_at__gte=start, starts_at__lt=end)
    if f.edition:
        qs = qs.filter(edition=f.edition)
    if f.city:
        qs = qs.filter(city=f.city)
    return qs


def talent_figures(f: Filters, by_campaign: list[dict] | None = None) -> list[Figure]:
    """Return the talent side's tables; `by_campaign` is `_by_campaign` of the filters' candidates when read
    already."""
    candidates = _candidates(f)
    ids = candidates.values("pk")
    figures = []

    # Read once for the targets and these tables: per campaign of origin and month, with the profile and stage
    # counts summed below.
    by_campaign = _by_campaign(f) if by_campaign is None else by_campaign
    monthly: dict = {}
    for r in by_campaign:
        for month, n in r["months"].items():
            monthly[month] = monthly.get(month, 0) + n
    figures.append(Figure("registrations_by_month", _("Inscriptions par mois"), [_("Mois"), _("Inscriptions")],
                          [(_month_label(month), monthly[month]) for month in sorted(monthly)]))

    figures.append(Figure("registrations_by_campaign", _("Inscriptions par campagne d'origine"),
                          [_("Campagne"), _("Inscriptions")],
                          [(r["source_campaign__name"] or _("Sans campagne"), r["n"]) for r in by_campaign]))

    profile = {key: sum(r[key] for r in by_campaign) for key in ("n", "retraining", "women", "young",
                                                                 "other_regions", *FUNNEL[1:])}
    profile["total"] = profile["n"]
    figures.append(Figure("registrations_by_profile", _("Publics visés"),
                          [_("Public"), _("Candidats"), _("Part (%)")], [
        (_("Personnes en reconversion"), profile["retraining"], _rate(profile["retraining"], profile["total"])),
        (_("Femmes"), profile["women"], _rate(profile["women"], profile["total"])),
        (_("Jeunes diplômé·es"), profile["young"], _rate(profile["young"], profile["total"])),
        (_("Venus d'autres régions"), profile["other_regions"], _rate(profile["other_regions"], profile["total"])),
    ]))

    reached = {"registered": profile["total"]} | {stage: profile[stage] for stage in FUNNEL[1:]}
    medians = median_days_in_stage(ids_queryset=ids)
    rows, previous = [], None
    for stage in FUNNEL:
        rows.append((Candidate.Stage(stage).label, reached[stage],
                     _rate(reached[stage], previous) if previous is not None else None, medians.get(stage)))
        previous = reached[stage]
    figures.append(Figure("pipeline_funnel", _("Parcours : de l'inscription au recrutement"),
                          [_("Étape"), _("Candidats"), _("Conversion depuis l'étape précédente (%)"),
                           _("Durée médiane dans l'étape (jours)")], rows))

    sessions = (_sessions(f).annotate(
        booked=Count("registrations", filter=Q(registrations__status__in=["confirmed", "attended", "no_show"])),
        attended=Count("registrations", filter=Q(registrations__status="attended")),
        no_show=Count("registrations", filter=Q(registrations__status="no_show")),
    ).order_by("starts_at").values("title", "city", "starts_at", "capacity", "booked", "attended", "no_show"))
    figures.append(Figure("sessions_fill", _("Remplissage et présence par session"),
                          [_("Session"), _("Taux de remplissage (%)"), _("Places"), _("Inscrits"), _("Présents"),
                           _("Taux de présence (%)")],
                          [(f"{s['title']} – {s['city']} ({_short_date(s['starts_at'])})",
                            _rate(s["booked"], s["capacity"]) or 0, s["capacity"], s["booked"], s["attended"],
                            _rate(s["attended"], s["attended"] + s["no_show"])) for s in sessions]))

    start, end = _year_bounds(f.year)
    hires_orient = (Orientation.objects.filter(status=Orientation.Status.HIRED, updated_at__gte=start,
                                               updated_at__lt=end, candidate__in=ids)
                    .values("company__name").annotate(n=Count("candidate", distinct=True)))
    hires_interest = (JobInterest.objects.filter(status=JobInterest.Status.HIRED, updated_at__gte=start,
                                                 updated_at__lt=end, candidate__in=ids)
                      .values("posting__company__name").annotate(n=Count("candidate", distinct=True)))
    hires: dict[str, int] = {}
    for r in hires_orient:
        hires[r["company__name"]] = hires.get(r["company__name"], 0) + r["n"]
    for r in hires_interest:
        name = r["posting__company__name"]
        hires[name] = hires.get(name, 0) + r["n"]
    figures.append(Figure("hires_by_company", _("Recrutements par entreprise"), [_("Entreprise"), _("Recrutements")],
                          sorted(hires.items(), key=lambda kv: (-kv[1], kv[0]))))
    figures.append(hires_by_session(f))

    # Referrals made in the year; with an edition, a city or a campaign chosen, those of the people above only.
    filtered = bool(f.edition or f.city or f.campaign)
    funnel = partner_selectors.partner_funnel(start=start, end=end, candidate_ids=ids if filtered else None)
    figures.append(Figure("referrals_by_partner", _("Orientations par partenaire : de l'orientation au recrutement"),
                          [_("Partenaire"), _("Orientations"), _("Inscriptions confirmées"), _("Présents en session"),
                           _("Orientés vers une entreprise"), _("Recrutés"), _("Confirmation (%)"),
                           _("Recrutement (%)")],
                          [(r["partner__name"], r["referrals"], r["confirmed"], r["attended"], r["oriented"],
                            r["hired"], _rate(r["confirmed"], r["referrals"]), _rate(r["hired"], r["referrals"]))
                           for r in funnel],
                          note=_("Une personne compte dans les étapes une fois qu'elle a confirmé elle-même "
                                 "l'orientation.")))

    calls = HotlineCall.objects.filter(created_at__gte=start, created_at__lt=end)
    by_topic = calls.values("topic").annotate(n=Count("pk")).order_by("-n")
    figures.append(Figure("calls_by_topic", _("Appels à la hotline par sujet"), [_("Sujet"), _("Appels")],
                          [(HotlineCall.Topic(r["topic"]).label, r["n"]) for r in by_topic]))
    overdue = HotlineCall.objects.filter(follow_up_done_at__isnull=True,
                                         follow_up_due__lt=timezone.localdate()).count()
    figures.append(Figure("follow_ups_overdue", _("Relances en retard"), [_("Relances"), _("Nombre")],
                          [(_("En retard à ce jour"), overdue)], chart=None))

    reloc = RelocationRequest.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        housing=Count("pk", filter=Q(need_housing=True)), partner=Count("pk", filter=Q(need_partner_job=True)),
        schools=Count("pk", filter=Q(need_schools=True)), transport=Count("pk", filter=Q(need_transport=True)),
        other=Count("pk", filter=~Q(need_other="")),
    )
    figures.append(Figure("relocation_by_need", _("Demandes d'aide à l'installation par besoin"),
                          [_("Besoin"), _("Demandes")], [
                              (_("Logement"), reloc["housing"]), (_("Emploi du conjoint"), reloc["partner"]),
                              (_("Scolarité"), reloc["schools"]), (_("Transports"), reloc["transport"]),
                              (_("Autre"), reloc["other"])]))
    return figures


def _by_campaign(f: Filters) -> list[dict]:
    """Count the filters' candidates (`_candidates`) per campaign of origin (most first), with their profiles,
    the funnel's stages and, under "months", their number per month of registration.

    Two queries grouped by campaign and month. A candidate reached a stage if they stand at it or beyond
    (counted in the first, with the profiles), or if their history went through it while they now stand
    before it (a withdrawn candidate, one moved back: counted in the second, from the history). The two
    sets do not overlap, so their counts add up. Not an IN on the history inside the counts' FILTER:
    PostgreSQL hashes such a list only while it fits in work_mem, and past that reads the whole list again
    for every candidate (still running after 8 minutes at 1,000,000 candidates). Joins spill to disk
    instead.

    The candidates are registered within the year: said again on the history's join to them, so that
    PostgreSQL reads them from the date index rather than the whole table (about 105 → 61 ms at 100,000 in a
    one-off EXPLAIN ANALYZE).
    """
    candidates, (start, end) = _candidates(f), _year_bounds(f.year)
    def reached_by_stage(stage: str) -> list[str]:
        return list(PIPELINE_ORDER[PIPELINE_ORDER.index(stage):])

    rows = candidates.annotate(month=TruncMonth("created_at")).values("source_campaign__name", "month").annotate(
        n=Count("pk"),
        retraining=Count("pk", filter=Q(profile=Candidate.Profile.RETRAINING)),
        women=Count("pk", filter=Q(gender=Candidate.Gender.FEMALE)),
        young=Count("pk", filter=Q(profile=Candidate.Profile.YOUNG_GRADUATE)),
        other_regions=Count("pk", filter=Q(from_other_region=True)),
        hires=Count("pk", filter=Q(stage=Candidate.Stage.HIRED)),
        **{stage: Count("pk", filter=Q(stage__in=reached_by_stage(stage))) for stage in FUNNEL[1:]},
    ).order_by()
    groups = {(row.pop("source_campaign__name"), row.pop("month")): row for row in rows}

    went_through = Q()
    for stage in FUNNEL[1:]:
        went_through |= Q(to_stage=stage) & ~Q(candidate__stage__in=reached_by_stage(stage))
    for row in (StageChange.objects.filter(went_through, candidate__in=candidates.values("pk"),
                                           candidate__created_at__gte=start, candidate__created_at__lt=end)
                .values("candidate__source_campaign__name", "to_stage", month=TruncMonth("candidate__created_at"))
                .annotate(n=Count("candidate", distinct=True)).order_by()):
        groups[(row["candidate__source_campaign__name"], row["month"])][row["to_stage"]] += row["n"]

    campaigns: dict = {}
    for (name, month), row in groups.items():
        total = campaigns.setdefault(name, dict.fromkeys(row, 0) | {"source_campaign__name": name, "months": {}})
        for key, value in row.items():
            total[key] += value
        total["months"][month] = row["n"]
    return sorted(campaigns.values(), key=lambda r: (-r["n"], r["source_campaign__name"] is None,
                                                     r["source_campaign__name"] or ""))


def hires_by_session(f: Filters) -> Figure:
    """Hires credited to the session and company where they began: an orientation marked hired that came from
    a job-dating interview (or that a coordinator tied to a session), whenever the hire was confirmed.

    The sessions are those of the filters (year, edition, city); a campaign filter keeps its candidates.
    """
    hired = Orientation.objects.filter(status=Orientation.Status.HIRED, session__in=_sessions(f))
    if f.campaign:
        hired = hired.filter(candidate__source_campaign=f.campaign)
    rows = (hired.values("session__title", "session__city", "session__starts_at", "company__name")
            .annotate(n=Count("candidate", distinct=True))
            .order_by("session__starts_at", "session__title", "-n", "company__name"))
    return Figure("hires_by_session", _("Recrutements par session et entreprise"),
                  [_("Session et entreprise"), _("Recrutements")],
                  [(f"{r['session__title']} – {r['session__city']} ({_short_date(r['session__starts_at'])}) : "
                    f"{r['company__name']}", r["n"]) for r in rows],
                  note=_("Un recrutement compte pour la session où l'entreprise a rencontré la personne (fiche "
                         "d'entretien du job dating), même confirmé plus tard."))


def median_days_in_stage(*, ids_queryset) -> dict[str, float]:
    """Return, per stage, the median number of days candidates stayed in it before the next change.

    The stay in a stage runs from the change that entered it to the next change of the same candidate.
    PostgreSQL takes the median with its ordered-set aggregate (one sort per stage, no numbering pass);
    SQLite has none, so there the middle rows are numbered and averaged.
    """
    sub_sql, sub_params = ids_queryset.query.sql_with_params()
    table = StageChange._meta.db_table
    if connection.vendor == "postgresql":
        duration = "EXTRACT(EPOCH FROM (next_at - changed_at)) / 86400.0"
        median = ("SELECT to_stage, percentile_cont(0.5) WITHIN GROUP (ORDER BY "  # noqa: S608 - fixed text
                  f"{duration}) FROM steps WHERE next_at IS NOT NULL GROUP BY to_stage")
    else:
        duration = "julianday(next_at) - julianday(changed_at)"
        median = f"""SELECT to_stage, AVG(days) FROM (
            SELECT to_stage, days,
                   ROW_NUMBER() OVER (PARTITION BY to_stage ORDER BY days) AS rn,
                   COUNT(*) OVER (PARTITION BY to_stage) AS n
            FROM (SELECT to_stage, {duration} AS days FROM steps WHERE next_at IS NOT NULL) AS stays
        ) AS ranked
        WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
        GROUP BY to_stage"""  # noqa: S608 - fixed text
    sql = f"""
        WITH steps AS (
            SELECT to_stage, changed_at,
                   LEAD(changed_at) OVER (PARTITION BY candidate_id ORDER BY changed_at, id) AS next_at
            FROM {table} WHERE candidate_id IN ({sub_sql})
        )
        {median}
    """  # noqa: S608 - table name from the model, values bound as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, sub_params)
        return {stage: round(float(days), 1) for stage, days in cursor.fetchall()}


# ---- business side -----------------------------------------------------------------------------
# Meetings and settlements are counted by prospecting.selectors (held meetings, settlements credited
# to the prospect's owner), the one definition shared with every other place that reports them.

def _with_settlements(rows: list[dict], empty_label) -> list[tuple]:
    return [(r["label"] or empty_label, r["meetings"], r["settlements"]) for r in rows]


def business_before(f: Filters) -> dict:
    """Return the previous year's held meetings (in total and per month) and settlements, for comparison."""
    by_month = [0] * 12
    for row in (prospecting_selectors.held_meetings(f.year - 1, campaign=f.prospecting_campaign)
                .annotate(month=TruncMonth("starts_at", tzinfo=prospecting_selectors.PARIS)).order_by()
                .values("month").annotate(n=Count("pk"))):
        by_month[row["month"].month - 1] += row["n"]
    settlements = prospecting_selectors.year_settlements(f.year - 1, campaign=f.prospecting_campaign).count()
    return {"by_month": by_month, "meetings": sum(by_month), "settlements": settlements}


def business_figures(f: Filters, done: dict, done_before: dict) -> list[Figure]:
    """Return the business side's tables; `done` is `prospecting.selectors.figures` for these filters,
    `done_before` is `business_before`."""
    figures = []
    before = done_before["by_month"]
    rows, cumulative, cumulative_before = [], 0, 0
    for month, n in enumerate(done["by_month"], start=1):
        cumulative += n
        cumulative_before += before[month - 1]
        rows.append((f"{f.year}-{month:02d}", n, cumulative, round(done["target_meetings"] * month / 12),
                     before[month - 1], cumulative_before))
    figures.append(Figure("meetings_by_month", _("Rendez-vous tenus par mois, cumul et rythme de l'objectif"),
                          [_("Mois"), _("Rendez-vous"), _("Cumul"), _("Rythme de l'objectif"),
                           _("Même mois, année précédente"), _("Cumul de l'année précédente")], rows,
                          compare_column=4))
    figures.append(Figure("meetings_by_country", _("Rendez-vous et implantations par pays"),
                          [_("Pays"), _("Rendez-vous"), _("Implantations")],
                          _with_settlements(done["by_country"], "—")))
    figures.append(Figure("meetings_by_campaign", _("Rendez-vous et implantations par campagne"),
                          [_("Campagne"), _("Rendez-vous"), _("Implantations")],
                          _with_settlements(done["by_campaign"], _("Hors campagne"))))
    figures.append(Figure("meetings_by_officer", _("Rendez-vous et implantations par chargé·e de prospection"),
                          [_("Chargé·e"), _("Rendez-vous"), _("Implantations")],
                          _with_settlements(done["by_officer"], _("Non attribué")),
                          note=_("Une implantation est attribuée au chargé·e qui suit l'entreprise.")))

    meetings = prospecting_selectors.held_meetings(f.year, campaign=f.prospecting_campaign)
    shown = (meetings.filter(use_cases_shown__isnull=False).values("use_cases_shown__title")
             .annotate(n=Count("pk")).order_by("-n", "use_cases_shown__title")[:10])
    figures.append(Figure("use_cases_shown", _("Cas d'usage les plus présentés"), [_("Cas d'usage"), _("Rendez-vous")],
                          [(r["use_cases_shown__title"], r["n"]) for r in shown]))

    prospects = Prospect.objects.all()
    if f.prospecting_campaign:
        prospects = prospects.filter(campaign=f.prospecting_campaign)
    stages = dict(prospects.values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    figures.append(Figure("prospect_stages", _("Entreprises prospectées par étape"), [_("Étape"), _("Entreprises")],
                          [(label, stages.get(value, 0)) for value, label in Prospect.Stage.choices]))
    settlements = (prospecting_selectors.year_settlements(f.year, campaign=f.prospecting_campaign)
                   .select_related("prospect").order_by("settled_on", "pk"))
    figures.append(Figure("settlements", _("Implantations et emplois prévus"),
                          [_("Entreprise"), _("Emplois prévus"), _("Pays"), _("Site"), _("Date")],
                          [(s.prospect.name, s.jobs_planned, s.prospect.country.name, s.site_city,
                            s.settled_on.isoformat()) for s in settlements]))
    return figures


# ---- targets -----------------------------------------------------------------------------------

def _talent_totals(f: Filters, by_campaign: list[dict] | None = None) -> dict[str, int]:
    """Return the talent side's totals for the filters' year (two queries, one when `by_campaign` holds
    the year's candidates already)."""
    if by_campaign is None:
        people = _candidates(f).aggregate(candidates=Count("pk"),
                                          hires=Count("pk", filter=Q(stage=Candidate.Stage.HIRED)))
    else:
        people = {"candidates": sum(r["n"] for r in by_campaign), "hires": sum(r["hires"] for r in by_campaign)}
    sessions = _sessions(f).order_by().aggregate(
        sessions=Count("pk", distinct=True), companies=Count("company_participations__company", distinct=True))
    return people | sessions


def target_figure(f: Filters, *, talent: bool, done: dict | None, done_before: dict | None = None,
                  by_campaign: list[dict] | None = None) -> Figure:
    """Return the year's targets and the previous year's figures; `done` and `done_before` hold the business
    figures of the year and of the one before, None when that side is hidden; `by_campaign` the year's
    candidates per campaign when read already."""
    target = target_for(f.year)
    rows = []

    def row(label, now: int, goal: int, before: int, pct=None):
        return (label, now, goal, _rate(now, goal) if pct is None else pct, before, _change(now, before))

    if talent:
        now, before = _talent_totals(f, by_campaign), _talent_totals(replace(f, year=f.year - 1))
        rows += [
            row(_("Candidats"), now["candidates"], target.candidates, before["candidates"]),
            row(_("Sessions"), now["sessions"], target.sessions, before["sessions"]),
            row(_("Entreprises mobilisées"), now["companies"], target.companies, before["companies"]),
            row(_("Recrutements"), now["hires"], target.hires, before["hires"]),
        ]
    if done is not None:
        done_before = done_before or business_before(f)
        rows += [
            row(_("Rendez-vous de prospection tenus"), done["meetings"], done["target_meetings"],
                done_before["meetings"], done["meetings_pct"]),
            row(_("Implantations"), done["settlements"], done["target_settlements"], done_before["settlements"],
                done["settlements_pct"]),
        ]
    return Figure("targets", _("Objectifs de l'année"),
                  [_("Indicateur"), _("Réalisé"), _("Objectif"), _("Avancement (%)"),
                   _("Année précédente"), _("Évolution sur un an (%)")],
                  rows, chart="progress", note=_targets_note(f.year - 1, done is not None), section="targets")


def _targets_note_text(previous_year: int, business: bool) -> str:
    note = gettext("Comparaison avec l'année %(year)s entière.") % {"year": previous_year}
    if business:
        note += " " + gettext("Un rendez-vous compte une fois tenu : son heure est passée.")
    return note


# Lazy, as the other texts: written out with them in the request's language (`Figure.as_text`).
_targets_note = lazy(_targets_note_text, str)


def build(f: Filters, *, talent: bool, business: bool, fresh: bool = False) -> tuple[list[Figure], dt.datetime]:
    """Return the figures for these filters and when they were computed (cached a few minutes)."""
    key = f.cache_key(f"{int(talent)}{int(business)}")
    cached = None if fresh else cache.get(key)
    if cached:
        return cached
    done = prospecting_selectors.figures(f.year, campaign=f.prospecting_campaign) if business else None
    done_before = business_before(f) if business else None
    # The year's candidates are read once, for the targets and the talent side's tables.
    by_campaign = _by_campaign(f) if talent else None
    figures = [target_figure(f, talent=talent, done=done, done_before=done_before, by_campaign=by_campaign)]
    if talent:
        figures += talent_figures(f, by_campaign)
    if business:
        figures += business_figures(f, done, done_before)
    for figure in figures:
        figure.section = figure.section or FIGURE_SECTIONS.get(figure.key, "prospecting")
        figure.as_text()
    result = (figures, timezone.now())
    cache.set(key, result, CACHE_SECONDS)
    return result


