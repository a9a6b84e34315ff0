"""Integration moves from the account app to webhooks, next to its deliveries.

The rows stay where they are: the model is created here in the migration
state only, Delivery.integration is pointed at it (same table, so the database
keeps its foreign key), then the table is renamed from account_integration to
webhooks_integration. account.0002 removes the old model from the state. The
content type (and so permissions and admin history) follows the model.
"""

import django.db.models.deletion
from django.db import migrations, models

import webhooks.models
import webhooks.targets


def move_content_type(apps, schema_editor):
    _relabel(apps, schema_editor, old="account", new="webhooks")


def move_content_type_back(apps, schema_editor):
    _relabel(apps, schema_editor, old="webhooks", new="account")


def _relabel(apps, schema_editor, *, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=new, model="integration").exists():
        types.filter(app_label=old, model="integration").update(app_label=new)


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("webhooks", "0001_inbox_and_deliveries"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Integration",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=100)),
                        (
                            "url",
                            models.URLField(
                                max_length=500,
                                validators=[webhooks.targets.validate_target_url],
                                verbose_name="target URL",
                            ),
                        ),
                        ("events", models.JSONField(default=list)),
                        (
                            "signing_secret",
                            models.CharField(
                                default=webhooks.models.new_signing_secret, max_length=100
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        (
                            "consecutive_failures",
                            models.PositiveIntegerField(default=0, editable=False),
                        ),
                        (
                            "paused_at",
                            models.DateTimeField(blank=True, editable=False, null=True),
                        ),
                        (
                            "paused_reason",
                            models.CharField(blank=True, editable=False, max_length=255),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "business",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="integrations",
                                to="account.business",
                            ),
                        ),
                    ],
                    options={"ordering": ["name", "pk"], "db_table": "account_integration"},
                ),
                migrations.AlterField(
                    model_name="delivery",
                    name="integration",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="webhooks.integration",
                    ),
                ),
            ],
        ),
        migrations.AlterModelTable(name="integration", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
