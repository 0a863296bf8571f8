"""CSV that is safe to open in a spreadsheet.

A cell that starts with = + - @, a tab or a carriage return could run as a
formula; such cells are prefixed with an apostrophe so they stay text.
"""

import csv
import io

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS_FIRST) else text


def to_csv(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()
