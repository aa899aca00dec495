"""Meeting time zones as an officer names them: by city, in their own language, their prospect's country first.

Out of the ~600 IANA names, a meeting form offers a short list:

- the zones of the prospect's country, one per distinct local time (same CLDR metazone and same offsets
  in January and July), the most populous first (the order of the tz database's `zone.tab`);
- then the ~100 zones CLDR keeps as the world's distinct local times (the "golden" zones of its Windows
  mapping), grouped by continent.

Labels come from CLDR through Babel: the exemplar city in the active language ("Londres", "Calcutta"),
followed by the zone's generic name when it adds something ("Chicago (heure du centre nord-américain)").
"""

import datetime as dt
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location, get_timezone_name
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tescforce.text import fold

DEFAULT_ZONE = "Europe/Paris"

# First segment of an IANA name → the group its zones are shown under (outside the prospect's country).
REGIONS = {
    "Europe": _("Europe"),
    "America": _("Amériques"),
    "Africa": _("Afrique"),
    "Asia": _("Asie"),
    "Australia": _("Océanie et Pacifique"),
    "Pacific": _("Océanie et Pacifique"),
    "Atlantic": _("Océans Atlantique et Indien"),
    "Indian": _("Océans Atlantique et Indien"),
}


# The zone most people of a country live by, where zone.tab's order (east to west) puts another first.
MAIN_ZONES = {
    "AU": "Australia/Sydney", "BR": "America/Sao_Paulo", "CA": "America/Toronto", "CL": "America/Santiago",
    "ID": "Asia/Jakarta", "MX": "America/Mexico_City", "RU": "Europe/Moscow", "UA": "Europe/Kyiv",
    "US": "America/New_York",
}


@lru_cache(maxsize=1)
def _zone_tab() -> tuple[tuple[str, str], ...]:
    """Return (country code, zone) pairs in zone.tab order (per country, the most populous zone first)."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        with open("/usr/share/zoneinfo/zone.tab", encoding="utf-8") as tab:
            text = tab.read()
    rows = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone, *_comment = line.split("\t")
            rows.append((code, zone))
    return tuple(rows)


@lru_cache(maxsize=1)
def _zone_country() -> dict[str, str]:
    return {zone: code for code, zone in _zone_tab()}


@lru_cache(maxsize=1)
def _golden() -> frozenset[str]:
    known = available_timezones()
    return frozenset(zone for zone in get_global("windows_zone_mapping").values()
                     if zone in known and zone.split("/")[0] in REGIONS)


def _local_time_key(zone: str) -> tuple:
    """Zones with the same key show the same clock all year (now, at least)."""
    tz = ZoneInfo(zone)
    year = dt.date.today().year
    offsets = tuple(dt.datetime(year, month, 15, 12, tzinfo=tz).utcoffset() for month in (1, 7))
    return get_global("meta_zones").get(zone, zone), offsets


@lru_cache(maxsize=256)
def country_zones(country: str) -> tuple[str, ...]:
    """Return one zone per distinct local time of `country` (ISO code), the most populous first."""
    known = available_timezones()
    country = str(country).upper()
    zones = [zone for code, zone in _zone_tab() if code == country and zone in known]
    main = MAIN_ZONES.get(country)
    if main in zones:
        zones.remove(main)
        zones.insert(0, main)
    groups: dict[tuple, list[str]] = defaultdict(list)
    for zone in zones:
        groups[_local_time_key(zone)].append(zone)
    # In each group, the main zone or CLDR's golden zone if there is one (Chicago over Indiana/Knox),
    # else the first listed.
    chosen = {next((z for z in group if z == main), None) or next((z for z in group if z in _golden()), group[0])
              for group in groups.values()}
    return tuple(zone for zone in zones if zone in chosen)


def main_zone(country: str | None) -> str:
    """Return the zone a meeting in `country` most likely uses (Europe/Paris when unknown)."""
    zones = country_zones(country) if country else ()
    return zones[0] if zones else DEFAULT_ZONE


def _language(language: str | None) -> str:
    return (language or get_language() or "fr").split("-")[0]


def label(zone: str, language: str | None = None, *, with_country: bool = False) -> str:
    """Return `zone` as a person reads it: "Chicago (heure du centre nord-américain)", "Taipei".

    With `with_country`, a zone whose generic name says nothing more than its city gets its country:
    "Taipei (Taïwan)" (for the list of other countries' zones). The active language by default.
    """
    return _label(zone, _language(language), with_country)


@lru_cache(maxsize=4096)
def _label(zone: str, language: str, with_country: bool) -> str:
    try:
        city = get_timezone_location(zone, language, return_city=True)
        generic = get_timezone_name(zone, "long", locale=language, zone_variant="generic")
        fallback = get_timezone_location(zone, language)
    except (LookupError, ValueError):
        return zone
    if generic and generic != fallback and fold(city) not in fold(generic):
        return f"{city} ({generic})"
    country = _zone_country().get(zone)
    if with_country and country:
        name = Locale.parse(language).territories.get(country)
        if name and name != city:
            return f"{city} ({name})"
    return city


def city(zone: str, language: str | None = None) -> str:
    """Return the city that names `zone` in `language` ("Londres"), for narrow columns."""
    return _city(zone, _language(language))


@lru_cache(maxsize=2048)
def _city(zone: str, language: str) -> str:
    try:
        return get_timezone_location(zone, language, return_city=True)
    except (LookupError, ValueError):
        return zone


def choices(country: str | None = None, *, current: str | None = None, language: str | None = None) -> list:
    """Return the grouped choices of a meeting's time zone: `country`'s zones first, then by continent.

    `current` (the meeting's zone when edited) is kept even when it is in neither list.
    """
    language = _language(language)
    first = list(country_zones(country)) if country else []
    if current and current not in first and current not in _golden():
        first.append(current)
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for zone in _golden() - set(first):
        grouped[str(REGIONS[zone.split("/")[0]])].append((zone, label(zone, language, with_country=True)))
    result = []
    if first:
        heading = Locale.parse(language).territories.get(str(country).upper()) if country else None
        result.append((heading or _("Fuseau du rendez-vous"), [(zone, label(zone, language)) for zone in first]))
    for region in dict.fromkeys(str(name) for name in REGIONS.values()):
        if grouped[region]:
            result.append((region, sorted(grouped[region], key=lambda item: fold(item[1]))))
    return result
