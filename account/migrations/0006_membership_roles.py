"""Team roles: owner, office (what "member" was) and cleaner. Existing
members become office, so nobody loses access."""

from django.db import migrations, models


def member_to_office(apps, schema_editor):
    Membership = apps.get_model("account", "Membership")
    Membership.objects.filter(role="member").update(role="office")


def office_to_member(apps, schema_editor):
    Membership = apps.get_model("account", "Membership")
    Membership.objects.filter(role__in=("office", "cleaner")).update(role="member")


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0005_normalise_phones"),
    ]

    operations = [
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[("owner", "Owner"), ("office", "Office"), ("cleaner", "Cleaner")],
                default="office",
                max_length=10,
            ),
        ),
        migrations.RunPython(member_to_office, office_to_member, elidable=False),
    ]
