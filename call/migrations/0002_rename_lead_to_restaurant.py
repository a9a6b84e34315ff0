"""CallPlan.lead becomes CallPlan.restaurant (the column is renamed, no row
changes)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("call", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="callplan",
            old_name="lead",
            new_name="restaurant",
        ),
    ]
