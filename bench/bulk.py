"""Fast bulk inserts for the benchmark's data set.

`BulkWriter` hands out primary keys at once (from the table's own sequence on
PostgreSQL, reserved in `sqlite_sequence` on SQLite), so rows can point at
each other before anything is written, and writes rows per model in large
batches: `COPY … FROM STDIN` on PostgreSQL, one multi-row `executemany` on
SQLite. A row is either a model instance (`add`) or, for the high-volume
tables, a dict of field values (`row`), which skips building an instance.

Values are stored as the app stores them: an instance's fields go through
their `pre_save`, a dict's missing fields get the field's default, and every
value goes through `get_db_prep_save` (skipped on PostgreSQL only for
Django's own plain field classes, whose preparation returns the value as
is). One difference, on purpose: a value given for an `auto_now_add` /
`auto_now` field is kept, so history can be dated in the past.

Nothing is switched off: constraints, indexes and triggers stay on. Within
the caller's transaction foreign keys are checked at commit (Django creates
them deferrable), unique constraints on every row.
"""

import datetime
from collections import defaultdict

from django.db import connections, models
from django.utils import timezone

BATCH_ROWS = 20_000
ID_BLOCK = 10_000

# Field classes whose get_db_prep_save returns the Python value unchanged on
# PostgreSQL (psycopg adapts it). Subclasses (custom fields) are not assumed.
_PLAIN_ON_POSTGRESQL = {
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DateTimeField,
    models.DecimalField,
    models.EmailField,
    models.ForeignKey,
    models.IntegerField,
    models.OneToOneField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SlugField,
    models.SmallIntegerField,
    models.TextField,
    models.URLField,
}
_MISSING = object()


class _Column:
    __slots__ = ("field", "attname", "name", "keeps_value", "relation", "plain", "default")

    def __init__(self, field, vendor):
        self.field = field
        self.attname = field.attname
        self.name = field.name
        self.keeps_value = getattr(field, "auto_now", False) or getattr(
            field, "auto_now_add", False
        )
        self.relation = field.many_to_one or field.one_to_one
        self.plain = vendor == "postgresql" and type(field) in _PLAIN_ON_POSTGRESQL
        # What Model.__init__ would give a field left out (auto_now fields: now).
        if self.keeps_value and isinstance(field, models.DateTimeField):
            self.default = timezone.now
        elif self.keeps_value:
            self.default = datetime.date.today
        else:
            self.default = field.get_default


class BulkWriter:
    def __init__(self, using="default", batch_rows=BATCH_ROWS):
        self.connection = connections[using]
        self.vendor = self.connection.vendor
        if self.vendor not in ("postgresql", "sqlite"):
            raise NotImplementedError(
                f"Bulk writes support PostgreSQL and SQLite, not {self.vendor}."
            )
        self.batch_rows = batch_rows
        self.pending = defaultdict(list)
        self.written = defaultdict(int)
        self._ids = {}  # model -> (next id, last id of the allocated block)
        self._columns = {}

    # --- primary keys ---------------------------------------------------------------

    def _allocate(self, model, count):
        """The first of `count` fresh ids of `model`'s table."""
        table = model._meta.db_table
        column = model._meta.pk.column
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
                sequence = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count]
                )
                return cursor.fetchone()[0] - count + 1
            # SQLite: AUTOINCREMENT tables take max(rowid, sqlite_sequence) + 1,
            # so raising sqlite_sequence reserves the block, as a sequence would.
            quoted = self.connection.ops.quote_name
            cursor.execute(f"SELECT MAX({quoted(column)}) FROM {quoted(table)}")  # noqa: S608
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            first = max(highest, row[0] if row else 0) + 1
            if row:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s",
                    [first + count - 1, table],
                )
            else:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                    [table, first + count - 1],
                )
            return first

    def _next_id(self, model):
        next_id, last = self._ids.get(model, (1, 0))
        if next_id > last:
            next_id = self._allocate(model, ID_BLOCK)
            last = next_id + ID_BLOCK - 1
        self._ids[model] = (next_id + 1, last)
        return next_id

    # --- queueing ----------------------------------------------------------------

    def add(self, obj):
        """Give the instance `obj` its primary key and queue it; returns `obj`.
        Queue an instance only once it is complete: a full batch is written
        as soon as it fills."""
        model = type(obj)
        if obj.pk is None:
            obj.pk = self._next_id(model)
        self._queue(model, obj)
        return obj

    def row(self, model, **values):
        """Queue one row of `model` given as field values (`booking_id=…` or
        `booking=<instance>`); returns its primary key."""
        attname = model._meta.pk.attname
        pk = values.get(attname)
        if pk is None:
            pk = values[attname] = self._next_id(model)
        self._queue(model, values)
        return pk

    def _queue(self, model, item):
        rows = self.pending[model]
        rows.append(item)
        if len(rows) >= self.batch_rows:
            self.flush(model)

    def flush(self, model=None):
        """Write what is queued (for one model, or for all)."""
        for each in [model] if model is not None else list(self.pending):
            rows = self.pending.pop(each, [])
            if rows:
                self._write(each, rows)
                self.written[each] += len(rows)

    def counts(self):
        """{model label: rows written}."""
        return {model._meta.label: n for model, n in self.written.items()}

    # --- writing -----------------------------------------------------------------

    def _plan(self, model):
        if model not in self._columns:
            self._columns[model] = [
                _Column(field, self.vendor) for field in model._meta.local_concrete_fields
            ]
        return self._columns[model]

    def _instance_values(self, obj, columns):
        values = []
        for column in columns:
            field = column.field
            value = getattr(obj, column.attname) if column.keeps_value else None
            if value is None:
                value = field.pre_save(obj, add=True)
            if value is None and column.relation and field.is_cached(obj):
                # Related to a row that got its key after being assigned (as
                # Model.save() does in _prepare_related_fields_for_save).
                related = field.get_cached_value(obj)
                if related is not None:
                    value = related.pk
                    setattr(obj, column.attname, value)
            values.append(value if column.plain else field.get_db_prep_save(value, self.connection))
        return values

    def _dict_values(self, row, columns):
        values = []
        for column in columns:
            value = row.get(column.attname, _MISSING)
            if value is _MISSING:
                value = row.get(column.name, _MISSING)
                if value is not _MISSING and column.relation and value is not None:
                    value = value.pk
            if value is _MISSING:
                value = column.default()
            values.append(
                value if column.plain else column.field.get_db_prep_save(value, self.connection)
            )
        return values

    def _write(self, model, items):
        columns = self._plan(model)
        quote = self.connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(column.field.column) for column in columns)

        def rows():
            for item in items:
                if isinstance(item, dict):
                    yield self._dict_values(item, columns)
                else:
                    yield self._instance_values(item, columns)

        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for values in rows():
                        copy.write_row(values)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                    list(rows()),
                )
