"""Contact phone numbers in E.164, read in the region of the restaurant's
business. Numbers that cannot be read keep their text and are listed in the
log (row ids, masked numbers)."""

from django.db import migrations

from core.phones import business_region, normalise_stored_phones


def normalise(apps, schema_editor):
    Business = apps.get_model("account", "Business")
    Contact = apps.get_model("contact", "Contact")
    regions = {business.pk: business_region(business) for business in Business.objects.all()}
    normalise_stored_phones(
        Contact.objects.select_related("restaurant"),
        "phone",
        lambda contact: regions.get(contact.restaurant.business_id),
        label="contact.Contact",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0005_normalise_phones"),
        ("contact", "0002_phone_field"),
    ]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop, elidable=True)]
