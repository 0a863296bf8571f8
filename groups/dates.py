"""Date helpers shared by the apps built on groups."""

import calendar
from datetime import MAXYEAR, MINYEAR, date


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of shorter months.

    Never raises: past the year 9999 it is `date.max`, before the year 1 `date.min`,
    so a far date already stored (say, typed into the admin) or a very long interval
    cannot take down the pages that work out what falls due when."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > MAXYEAR:
        return date.max
    if year < MINYEAR:
        return date.min
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quarter(day: date) -> str:
    """The calendar quarter a day falls in, e.g. '2026-Q4'."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_start(day: date) -> date:
    """The first day of the calendar quarter `day` falls in."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def next_quarter(day: date) -> str:
    """The calendar quarter after the one `day` falls in, e.g. '2027-Q1' for a day in 2026-Q4."""
    return quarter(add_months(quarter_start(day), 3))
