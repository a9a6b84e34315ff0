"""Interaction.lead becomes Interaction.restaurant: the column is renamed and
no row changes. Its two indexes are built again under names that follow the
field (an index naming the old field cannot survive SQLite's table rebuild)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("track", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="interaction",
            name="track_inter_lead_id_a8ccc5_idx",
        ),
        migrations.RemoveIndex(
            model_name="interaction",
            name="track_inter_lead_id_bb321d_idx",
        ),
        migrations.RenameField(
            model_name="interaction",
            old_name="lead",
            new_name="restaurant",
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(fields=["restaurant", "date"], name="track_inter_restaur_57ab6d_idx"),
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(
                fields=["restaurant", "order_placed"], name="track_inter_restaur_215fa5_idx"
            ),
        ),
    ]
