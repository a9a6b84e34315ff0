"""Customer phone numbers of bookings and invoices in E.164, read in the
business's region. Numbers that cannot be read keep their text and are
listed in the log (row ids, masked numbers)."""

from django.db import migrations

from core.phones import business_region, normalise_stored_phones


def normalise(apps, schema_editor):
    Business = apps.get_model("account", "Business")
    Booking = apps.get_model("booking", "Booking")
    Invoice = apps.get_model("booking", "Invoice")
    regions = {business.pk: business_region(business) for business in Business.objects.all()}
    for model, field in ((Booking, "customer_phone"), (Invoice, "bill_to_phone")):
        normalise_stored_phones(
            model.objects.all(),
            field,
            lambda row: regions.get(row.business_id),
            label=f"booking.{model.__name__}",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0005_normalise_phones"),
        ("booking", "0002_phone_fields"),
    ]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop, elidable=True)]
