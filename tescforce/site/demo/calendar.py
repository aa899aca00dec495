"""Working days in France, so that the demo's sessions and meetings fall when people work.

French public holidays (Code du travail, art. L3133-1) for mainland France outside Alsace-Moselle, which
is where Occitanie is: eight fixed dates and three that follow Easter (dateutil's `easter`). The demo also
keeps clear of the days between Christmas and New Year, when no session would be held.
"""

import datetime as dt
from functools import cache

from dateutil.easter import easter

FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
EASTER_HOLIDAYS = (1, 39, 50)  # Easter Monday, Ascension Day, Whit Monday


@cache
def french_public_holidays(year: int) -> frozenset[dt.date]:
    """Return the public holidays of mainland France in `year`."""
    sunday = easter(year)
    return frozenset([dt.date(year, month, day) for month, day in FIXED_HOLIDAYS]
                     + [sunday + dt.timedelta(days=n) for n in EASTER_HOLIDAYS])


def in_year_end_break(day: dt.date) -> bool:
    """Return whether `day` falls from Christmas Eve to New Year's Day."""
    return (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1)


def is_working_day(day: dt.date) -> bool:
    """Return whether `day` is a weekday, not a public holiday, not in the year-end break."""
    return day.weekday() < 5 and day not in french_public_holidays(day.year) and not in_year_end_break(day)


def working_day(day: dt.date, *, step: int = 1, avoid: set | frozenset = frozenset()) -> dt.date:
    """Return `day` or the nearest working day not in `avoid`, looking forward (step 1) or back (-1)."""
    while not is_working_day(day) or day in avoid:
        day += dt.timedelta(days=step)
    return day
