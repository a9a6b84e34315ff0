"""Lead phone numbers in E.164, read in the business's region (most already
are). Numbers that cannot be read keep their text and are listed in the log
(row ids, masked numbers)."""

from django.db import migrations

from core.phones import business_region, normalise_stored_phones


def normalise(apps, schema_editor):
    Business = apps.get_model("account", "Business")
    Lead = apps.get_model("leads", "Lead")
    regions = {business.pk: business_region(business) for business in Business.objects.all()}
    normalise_stored_phones(
        Lead.objects.all(),
        "phone",
        lambda lead: regions.get(lead.business_id),
        label="leads.Lead",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0005_normalise_phones"),
        ("leads", "0004_phone_field"),
    ]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop, elidable=True)]
