"""CSV export and import of restaurants with their main contact.

Export (`export_rows`) streams the filtered list, every cell neutralised
(`core.spreadsheets`). Import reads a file into a plan (`plan_import`): each
row is to be created, updated (matched by phone, else by name and city) or
refused with its reasons, checked by the same forms as the pages; nothing is
written until `run_import`, which writes the whole plan in one transaction.
Between the preview and the confirmation the file travels as a signed,
compressed token in the preview form (`sign_file` / `unsign_file`): nothing
is stored on the server and the token cannot be altered or reused by another
user or business.
"""

import csv
import io
import logging
from dataclasses import dataclass, field

from django.core import signing
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.forms.models import model_to_dict

from contact.models import Contact
from contact.selectors import main_contacts
from core.phones import format_phone, normalize_phone
from core.spreadsheets import restore
from restaurants import services as restaurant_services
from restaurants.models import Restaurant, RestaurantStatus

from .forms import ContactForm, RestaurantForm, person_label

logger = logging.getLogger(__name__)

MAX_BYTES = 1_000_000
MAX_ROWS = 2_000
TOKEN_MAX_AGE = 60 * 60  # an hour between preview and confirmation
TOKEN_SALT = "crm.restaurant-import"

RESTAURANT_COLUMNS = [
    "name",
    "status",
    "assigned_to",
    "phone",
    "email",
    "website",
    "cuisine",
    "address",
    "city",
    "state",
    "country",
    "timezone",
    "notes",
]
CONTACT_COLUMNS = {
    "contact_name": "name",
    "contact_role": "role",
    "contact_phone": "phone",
    "contact_email": "email",
}
IMPORT_COLUMNS = [*RESTAURANT_COLUMNS, *CONTACT_COLUMNS]
EXPORT_COLUMNS = ["id", *IMPORT_COLUMNS, "next_call", "created_at"]
# Exported columns that an import reads past without a word.
EXPORT_ONLY = {"id", "next_call", "created_at"}
CREATE, UPDATE, REFUSE = "create", "update", "refuse"


class ImportFileError(Exception):
    """The file as a whole cannot be read (its rows are not looked at)."""


# --- export --------------------------------------------------------------------------


def export_rows(queryset, business):
    """The CSV rows (without the header) of the restaurants in `queryset`,
    read from the database in chunks as the response is sent."""
    first = main_contacts(restaurant_ref=OuterRef("pk"))
    rows = queryset.annotate(
        contact_name=Subquery(first.values("name")[:1]),
        contact_role=Subquery(first.values("role")[:1]),
        contact_phone=Subquery(first.values("phone")[:1]),
        contact_email=Subquery(first.values("email")[:1]),
    ).select_related("assigned_to", "call_plan")
    tz = business.tzinfo
    for restaurant in rows.iterator(chunk_size=1000):
        plan = getattr(restaurant, "call_plan", None)
        assignee = restaurant.assigned_to
        yield [
            restaurant.pk,
            restaurant.name,
            restaurant.get_status_display(),
            assignee.username if assignee else "",
            format_phone(restaurant.phone, business),
            restaurant.email,
            restaurant.website,
            restaurant.cuisine,
            restaurant.address,
            restaurant.city,
            restaurant.state,
            restaurant.country,
            restaurant.timezone,
            restaurant.notes,
            restaurant.contact_name or "",
            restaurant.contact_role or "",
            format_phone(restaurant.contact_phone or "", business),
            restaurant.contact_email or "",
            plan.next_call_date.astimezone(restaurant.tzinfo).strftime("%Y-%m-%d %H:%M")
            if plan
            else "",
            restaurant.created_at.astimezone(tz).strftime("%Y-%m-%d"),
        ]


# --- reading a file ----------------------------------------------------------------------


def sign_file(text, *, user, business):
    return signing.dumps(
        {"u": user.pk, "b": business.pk, "t": text}, salt=TOKEN_SALT, compress=True
    )


def unsign_file(token, *, user, business):
    """The file text from a token made by `sign_file` for this user and
    business within the last hour; ImportFileError otherwise."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ImportFileError("The preview has expired: upload the file again.") from exc
    except signing.BadSignature as exc:
        raise ImportFileError("The preview could not be read: upload the file again.") from exc
    if data.get("u") != user.pk or data.get("b") != business.pk:
        raise ImportFileError("The preview could not be read: upload the file again.")
    return data["t"]


def read_upload(upload):
    """The text of an uploaded CSV file (UTF-8, with or without a byte order
    mark, else Windows-1252 as older Excel writes it), at most MAX_BYTES."""
    if upload.size > MAX_BYTES:
        raise ImportFileError(
            f"The file is {upload.size / 1_000_000:.1f} MB; import at most 1 MB at a time."
        )
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ImportFileError("The file is larger than 1 MB; import it in parts.")
    if b"\x00" in raw:
        raise ImportFileError("This is not a CSV file (it has binary content).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("The file's text could not be read: save it as CSV (UTF-8).")


def _header_name(cell):
    return restore(cell).strip().lower().replace(" ", "_").replace("-", "_")


def parse(text):
    """(header, rows, notes): the columns the file has (lower-cased), its
    rows as {column: text} with their line numbers, and remarks on the
    header. ImportFileError when there is no usable header or too many rows."""
    if not text.strip():
        raise ImportFileError("The file is empty.")
    first_line = text.lstrip()[:4096].splitlines()[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, ",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # Excel's quoting ("" inside quotes), with the delimiter the header uses.
    dialect = type("FileDialect", (csv.excel,), {"delimiter": delimiter})
    reader = csv.reader(io.StringIO(text.lstrip("\r\n"), newline=""), dialect)
    try:
        header = [_header_name(cell) for cell in next(reader)]
    except StopIteration as exc:
        raise ImportFileError("The file is empty.") from exc
    except csv.Error as exc:
        raise ImportFileError(f"The file is not valid CSV: {exc}.") from exc
    if "name" not in header:
        raise ImportFileError(
            "The first row must name the columns, with at least “name” "
            f"(columns: {', '.join(IMPORT_COLUMNS)})."
        )
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    if duplicated:
        raise ImportFileError(f"These columns appear twice: {', '.join(duplicated)}.")
    notes = []
    unknown = [n for n in header if n and n not in IMPORT_COLUMNS and n not in EXPORT_ONLY]
    if unknown:
        notes.append(f"These columns are not imported: {', '.join(unknown)}.")
    rows = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(
                    f"The file has more than {MAX_ROWS:,} restaurants; import it in parts."
                )
            values = {
                name: restore(cell.replace("\x00", "")).strip()
                for name, cell in zip(header, cells, strict=False)
                if name in IMPORT_COLUMNS
            }
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise ImportFileError(f"Line {reader.line_num} is not valid CSV: {exc}.") from exc
    if not rows:
        raise ImportFileError("The file has a header but no restaurants.")
    return header, rows, notes


# --- the plan --------------------------------------------------------------------------------


class RestaurantImportForm(RestaurantForm):
    """The restaurant form without the account manager (read by name in the
    file, see `_assignee`) and the status note."""

    class Meta(RestaurantForm.Meta):
        fields = [name for name in RestaurantForm.Meta.fields if name != "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("assigned_to", None)
        self.fields.pop("note", None)


@dataclass
class RowPlan:
    line: int
    values: dict
    action: str = CREATE
    restaurant: Restaurant = None
    fields: dict = field(default_factory=dict)  # what the services write
    contact: Contact = None  # the main contact to update, if any
    contact_fields: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)  # [(label, old, new)]
    errors: list = field(default_factory=list)

    @property
    def name(self):
        return self.values.get("name", "")

    @property
    def city(self):
        return self.values.get("city", "")


@dataclass
class ImportPlan:
    rows: list
    notes: list

    def _count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def creates(self):
        return self._count(CREATE)

    @property
    def updates(self):
        return self._count(UPDATE)

    @property
    def refused(self):
        return self._count(REFUSE)

    @property
    def writable(self):
        return self.creates + self.updates


STATUS_BY_TEXT = {
    **{value.lower(): value for value in RestaurantStatus.values},
    **{label.lower(): value for value, label in RestaurantStatus.choices},
}


def _assignee(text, people):
    """The person a cell names (username, email or full name; any case)."""
    wanted = text.strip().lower()
    for user in people:
        if wanted in (user.username.lower(), (user.email or "").lower()):
            return user
    for user in people:
        if wanted == person_label(user).lower():
            return user
    return None


def _phone_or_none(text, business):
    try:
        return normalize_phone(text, business=business) or None
    except Exception:  # noqa: BLE001 -- a bad phone is reported by the form
        return None


def _find_candidates(rows, business):
    phones = {p for p in (_phone_or_none(v.get("phone", ""), business) for _, v in rows) if p}
    names = {v.get("name", "").lower() for _, v in rows if v.get("name")}
    if not phones and not names:
        return []
    return list(
        Restaurant.objects.filter(business=business)
        .annotate(lower_name=Lower("name"))
        .filter(Q(phone__in=phones) | Q(lower_name__in=names))
    )


def _match(values, phone, candidates):
    if phone:
        found = [r for r in candidates if r.phone == phone]
        if found:
            return found
    name, city = values.get("name", "").lower(), values.get("city", "").lower()
    return [r for r in candidates if r.name.lower() == name and r.city.lower() == city]


def _display(name, value, restaurant=None):
    if name == "status":
        return RestaurantStatus(value).label if value else ""
    if name == "assigned_to":
        return person_label(value) if value else "Nobody"
    return "" if value is None else str(value)


def plan_import(text, *, business, user, people):
    """Read `text` and decide, row by row, what an import would do."""
    _header, rows, notes = parse(text)
    candidates = _find_candidates(rows, business)
    matched_ids = {r.pk for r in candidates}
    main = {}
    for contact in Contact.objects.filter(restaurant_id__in=matched_ids).order_by("id"):
        main.setdefault(contact.restaurant_id, contact)
    seen = {}  # restaurant key -> line of the first row that names it
    plans = []
    for line, values in rows:
        row = RowPlan(line=line, values=values)
        plans.append(row)
        phone = _phone_or_none(values.get("phone", ""), business)
        found = _match(values, phone, candidates)
        if len(found) > 1:
            row.errors.append(
                f"Matches {len(found)} restaurants ({', '.join(r.name for r in found[:3])}); "
                "give the phone number of the one to update."
            )
        elif found:
            row.action, row.restaurant = UPDATE, found[0]
        key = (
            ("id", found[0].pk)
            if len(found) == 1
            else ("phone", phone)
            if phone
            else ("name", values.get("name", "").lower(), values.get("city", "").lower())
        )
        if key in seen:
            row.errors.append(f"The same restaurant as line {seen[key]}.")
        else:
            seen[key] = line
        _check_restaurant(row, business=business, user=user, people=people)
        _check_contact(row, business=business, main=main)
        if row.errors:
            row.action = REFUSE
    return ImportPlan(rows=plans, notes=notes)


def _check_restaurant(row, *, business, user, people):
    values, restaurant = row.values, row.restaurant
    data = model_to_dict(restaurant, fields=RestaurantImportForm.Meta.fields) if restaurant else {}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    for name in RESTAURANT_COLUMNS:
        if name in ("status", "assigned_to"):
            continue
        if values.get(name):
            data[name] = values[name]
    status_text = values.get("status", "")
    if status_text:
        status = STATUS_BY_TEXT.get(status_text.lower())
        if status is None:
            labels = ", ".join(RestaurantStatus.labels)
            row.errors.append(f"Status “{status_text}” is not one of {labels}.")
        data["status"] = status or (restaurant.status if restaurant else RestaurantStatus.NEW)
    else:
        data["status"] = restaurant.status if restaurant else RestaurantStatus.NEW
    if restaurant is None and not values.get("timezone"):
        data["timezone"] = ""
    assignee = restaurant.assigned_to if restaurant else user
    if values.get("assigned_to"):
        assignee = _assignee(values["assigned_to"], people)
        if assignee is None:
            row.errors.append(
                f"Account manager “{values['assigned_to']}” is not a member of your team "
                "(give a username or email)."
            )
    form = RestaurantImportForm(data, business=business)
    if not form.is_valid():
        for name, messages in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for message in messages:
                row.errors.append(f"{label or name.replace('_', ' ').capitalize()}: {message}")
        return
    fields = dict(form.cleaned_data)
    fields["assigned_to"] = assignee
    if restaurant is None:
        row.fields = fields
        return
    for name, value in fields.items():
        old = getattr(restaurant, name)
        if name == "timezone" and not value:
            continue
        if old != value:
            row.fields[name] = value
            label = "Account manager" if name == "assigned_to" else form.fields[name].label
            row.changes.append((label, _display(name, old), _display(name, value)))


def _check_contact(row, *, business, main):
    values = {target: row.values.get(column, "") for column, target in CONTACT_COLUMNS.items()}
    if not any(values.values()):
        return
    contact = main.get(row.restaurant.pk) if row.restaurant else None
    data = model_to_dict(contact, fields=list(ContactForm.Meta.fields)) if contact else {}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({k: v for k, v in values.items() if v})
    form = ContactForm(data, business=business)
    if not form.is_valid():
        for name, messages in form.errors.items():
            for message in messages:
                row.errors.append(f"Contact {form.fields[name].label.lower()}: {message}")
        return
    row.contact = contact
    if contact is None:
        row.contact_fields = dict(form.cleaned_data)
        if row.restaurant is not None:
            row.changes.append(("Main contact", "", row.contact_fields["name"]))
        return
    for name, value in form.cleaned_data.items():
        if getattr(contact, name) != value:
            row.contact_fields[name] = value
            row.changes.append((f"Contact {name}", getattr(contact, name), value))


@transaction.atomic
def run_import(plan, *, business, user):
    """Write every row of `plan` that is not refused, in one transaction;
    (created, updated)."""
    created = updated = 0
    for row in plan.rows:
        if row.action == CREATE:
            restaurant = restaurant_services.restaurant_create(
                business=business, user=user, **row.fields
            )
            created += 1
        elif row.action == UPDATE:
            restaurant = row.restaurant
            if row.fields:
                restaurant = restaurant_services.restaurant_update(
                    restaurant=restaurant, user=user, note="CSV import", **row.fields
                )
            updated += 1
        else:
            continue
        if row.contact is not None and row.contact_fields:
            for name, value in row.contact_fields.items():
                setattr(row.contact, name, value)
            row.contact.save()
        elif row.contact is None and row.contact_fields:
            Contact.objects.create(restaurant=restaurant, **row.contact_fields)
    logger.info(
        "restaurants imported business=%s created=%s updated=%s", business.pk, created, updated
    )
    return created, updated
