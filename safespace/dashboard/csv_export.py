"""CSV that is safe to open in a spreadsheet, written a line at a time.

A cell that starts with = + - @, a tab or a carriage return could run as a
formula; such cells are prefixed with an apostrophe so they stay text.
"""

import csv
import io

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS_FIRST) else text


def csv_lines(header, rows):
    """The header and each row as one line of CSV text (a generator, for streaming)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in _with_header(header, rows):
        writer.writerow([safe_cell(v) for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _with_header(header, rows):
    yield header
    yield from rows
