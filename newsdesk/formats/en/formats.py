"""English dates the way the newsroom writes them ("March 01, 2022"), not Django's "March 1, 2022"."""

DATE_FORMAT = "F d, Y"
DATETIME_FORMAT = "F d, Y, H:i"
SHORT_DATE_FORMAT = "M d, Y"
SHORT_DATETIME_FORMAT = "M d, Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
