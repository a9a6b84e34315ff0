"""Restaurant phone numbers in E.164, read in the business's region. Numbers
that cannot be read keep their text and are listed in the log (row ids,
masked numbers)."""

from django.db import migrations

from core.phones import business_region, normalise_stored_phones


def normalise(apps, schema_editor):
    Business = apps.get_model("account", "Business")
    Restaurant = apps.get_model("restaurants", "Restaurant")
    regions = {business.pk: business_region(business) for business in Business.objects.all()}
    normalise_stored_phones(
        Restaurant.objects.all(),
        "phone",
        lambda restaurant: regions.get(restaurant.business_id),
        label="restaurants.Restaurant",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0005_normalise_phones"),
        ("restaurants", "0002_phone_field"),
    ]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop, elidable=True)]
