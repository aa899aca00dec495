"""French formats of the site, on top of Django's (django/conf/locale/fr/formats.py).

Django's French already writes "1 234,5" and "15 décembre 2026"; what it cannot say in a format
string — "1er décembre" — the `long_date` filter adds (tescforce/templatetags/locale_formats.py).
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space: "36 000" never splits across two lines
NUMBER_GROUPING = 3
