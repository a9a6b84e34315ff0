"""Phone numbers of businesses, users and voice agents in E.164, read in the
business's region. Numbers that cannot be read keep their text and are
listed in the log (row ids, masked numbers)."""

from django.db import migrations

from core.phones import business_region, normalise_stored_phones, region_of


def normalise(apps, schema_editor):
    Business = apps.get_model("account", "Business")
    User = apps.get_model("account", "User")
    BusinessCredentials = apps.get_model("account", "BusinessCredentials")

    # A business's own number is read in the country of its currency (else the US).
    normalise_stored_phones(
        Business.objects.all(),
        "phone",
        lambda business: region_of(currency=business.currency) or "US",
        label="account.Business",
    )
    regions = {business.pk: business_region(business) for business in Business.objects.all()}
    normalise_stored_phones(
        User.objects.select_related("membership"),
        "phone",
        lambda user: regions.get(getattr(getattr(user, "membership", None), "business_id", None)),
        label="account.User",
    )
    normalise_stored_phones(
        BusinessCredentials.objects.all(),
        "voice_agent_phone",
        lambda credentials: regions.get(credentials.business_id),
        label="account.BusinessCredentials",
    )


class Migration(migrations.Migration):
    dependencies = [("account", "0004_phone_fields_clock_and_price_bounds")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop, elidable=True)]
