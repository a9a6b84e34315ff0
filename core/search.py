"""The search term of every list: read once, here."""

from django import forms
from django.db.migrations.operations.base import Operation

MAX_LENGTH = 200


def clean_search_term(value):
    """The term as typed, with NUL and other control characters turned into
    spaces (a database refuses NUL), trimmed and cut to 200 characters."""
    value = "".join(ch if ch.isprintable() else " " for ch in str(value or ""))
    return value.strip()[:MAX_LENGTH]


class SearchField(forms.CharField):
    """A list's search box: never invalid, only cleaned (`clean_search_term`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Search")
        super().__init__(**kwargs)

    def to_python(self, value):
        return clean_search_term(super().to_python(value))


# --- Indexes for searching on PostgreSQL ---------------------------------------------
#
# A list's search is a case-insensitive "contains" (`icontains`, i.e.
# `UPPER(column::text) LIKE UPPER('%term%')`) over a few columns, OR'ed
# together, plus phone digits (`contains`). A B-tree cannot serve a pattern
# that starts with %, so on PostgreSQL each searched column gets a trigram
# GIN index (pg_trgm) on exactly that expression: the planner then combines
# them (BitmapOr) instead of reading every row of the business. SQLite has
# no such index and keeps scanning, which is fine at the sizes it serves.


def search_expression(column):
    """The indexed expression of an `icontains`/`iexact` search on `column`."""
    return f'UPPER("{column}"::text)'


def digits_expression(column):
    """The indexed expression of a phone-digits (`contains`) search on `column`."""
    return f'"{column}"'


class AddTrigramIndexes(Operation):
    """Migration operation: trigram GIN indexes on `table`, {name: expression}
    (`search_expression`, `digits_expression`), with the pg_trgm extension.
    PostgreSQL only; does nothing elsewhere."""

    reversible = True

    def __init__(self, table, indexes):
        self.table = table
        self.indexes = dict(indexes)

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.table, self.indexes], {})

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, expression in self.indexes.items():
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{self.table}" '
                f"USING gin ({expression} gin_trgm_ops)"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in self.indexes:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    def describe(self):
        return f"Trigram search indexes on {self.table} (PostgreSQL)"
