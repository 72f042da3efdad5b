"""Urdu dates and numbers: day before month ("1 مارچ 2022"), and lakh/crore digit grouping.

Django ships Urdu translations but no Urdu formats, so without this file Urdu pages would use
the American order of its global defaults.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)
