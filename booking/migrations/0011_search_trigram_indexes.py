"""Trigram indexes for the list's search on PostgreSQL (core.search)."""

from django.db import migrations

from core.search import AddTrigramIndexes, digits_expression, search_expression


class Migration(migrations.Migration):
    dependencies = [("booking", "0010_list_indexes")]

    operations = [
        AddTrigramIndexes(
            "booking_booking",
            {
                "booking_q_public_id": search_expression("public_id"),
                "booking_q_email": search_expression("customer_email"),
                "booking_q_company": search_expression("customer_company"),
                "booking_q_first_name": search_expression("customer_first_name"),
                "booking_q_last_name": search_expression("customer_last_name"),
                "booking_q_phone": digits_expression("customer_phone"),
            },
        ),
        AddTrigramIndexes(
            "booking_invoice",
            {
                "invoice_q_public_id": search_expression("public_id"),
                "invoice_q_number": search_expression("number"),
                "invoice_q_email": search_expression("bill_to_email"),
                "invoice_q_company": search_expression("bill_to_company"),
                "invoice_q_name": search_expression("bill_to_name"),
            },
        ),
    ]
