"""Trigram indexes for the list's search on PostgreSQL (core.search)."""

from django.db import migrations

from core.search import AddTrigramIndexes, digits_expression, search_expression


class Migration(migrations.Migration):
    dependencies = [("leads", "0007_lead_online_source")]

    operations = [
        AddTrigramIndexes(
            "leads_lead",
            {
                "lead_q_public_id": search_expression("public_id"),
                "lead_q_name": search_expression("name"),
                "lead_q_email": search_expression("email"),
                "lead_q_phone": digits_expression("phone"),
            },
        ),
    ]
