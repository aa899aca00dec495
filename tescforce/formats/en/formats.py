"""English formats of the site: British day-month order, as the visitors are in France.

Django's English is American ("Dec. 1, 2026", "12/01/2026"): a short date read the other way
round on the same site would be a different day.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
