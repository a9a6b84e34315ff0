"""Trigram indexes for the list's search on PostgreSQL (core.search)."""

from django.db import migrations

from core.search import AddTrigramIndexes, digits_expression, search_expression


class Migration(migrations.Migration):
    dependencies = [("restaurants", "0004_crm_list_indexes")]

    operations = [
        AddTrigramIndexes(
            "restaurants_restaurant",
            {
                "restaurant_q_name": search_expression("name"),
                "restaurant_q_city": search_expression("city"),
                "restaurant_q_phone": digits_expression("phone"),
            },
        ),
    ]
