"""JSON payloads for booking and invoice events (outbound integrations).

Ids are public ids, money is a string, datetimes are ISO 8601.
"""

from account.events import emit


def _iso(value):
    return value.isoformat() if value else None


def booking_payload(booking):
    lines = list(booking.lines.all())
    return {
        "booking_id": booking.public_id,
        "status": booking.status,
        "source": booking.source,
        "lead_id": booking.lead.public_id if booking.lead_id else None,
        "customer": {
            "first_name": booking.customer_first_name,
            "last_name": booking.customer_last_name,
            "email": booking.customer_email,
            "phone": booking.customer_phone,
            "company": booking.customer_company,
        },
        "address": {
            "street": booking.address,
            "city": booking.city,
            "state": booking.state,
            "zip_code": booking.zip_code,
        },
        "service_type": booking.service_type,
        "bedrooms": booking.bedrooms,
        "bathrooms": str(booking.bathrooms),
        "square_feet": booking.square_feet,
        "start": _iso(booking.start),
        "end": _iso(booking.end),
        "duration_minutes": booking.duration_minutes,
        "special_requests": booking.special_requests,
        "lines": [
            {
                "kind": line.kind,
                "key": line.key,
                "description": line.description,
                "quantity": str(line.quantity),
                "unit_price": str(line.unit_price),
                "amount": str(line.amount),
            }
            for line in lines
        ],
        "subtotal": str(booking.subtotal),
        "tax_rate": str(booking.tax_rate),
        "tax": str(booking.tax),
        "total": str(booking.total),
        "deposit": str(booking.deposit),
        "currency": booking.business.currency,
        "series_id": booking.series.public_id if booking.series_id else None,
        "occurrence_date": booking.occurrence_date.isoformat() if booking.occurrence_date else None,
        "completed_at": _iso(booking.completed_at),
        "cancelled_at": _iso(booking.cancelled_at),
        "cancel_reason": booking.cancel_reason,
        "created_at": _iso(booking.created_at),
        "updated_at": _iso(booking.updated_at),
    }


def invoice_payload(invoice):
    return {
        "invoice_id": invoice.public_id,
        "number": invoice.number,
        "booking_id": invoice.booking.public_id,
        "status": invoice.status,
        "customer": {
            "name": invoice.bill_to_name,
            "company": invoice.bill_to_company,
            "email": invoice.bill_to_email,
            "phone": invoice.bill_to_phone,
            "address": invoice.bill_to_address,
        },
        "issue_date": _iso(invoice.issue_date),
        "due_date": _iso(invoice.due_date),
        "lines": [
            {
                "description": line.description,
                "quantity": str(line.quantity),
                "unit_price": str(line.unit_price),
                "amount": str(line.amount),
            }
            for line in invoice.lines.all()
        ],
        "subtotal": str(invoice.subtotal),
        "discount": str(invoice.discount),
        "tax_rate": str(invoice.tax_rate),
        "tax": str(invoice.tax),
        "total": str(invoice.total),
        "amount_paid": str(invoice.amount_paid),
        "amount_due": str(invoice.amount_due),
        "currency": invoice.currency,
        "paid_at": _iso(invoice.paid_at),
        "created_at": _iso(invoice.created_at),
    }


def emit_booking(event_type, booking):
    emit(business=booking.business, event_type=event_type, data=booking_payload(booking))


def emit_invoice(event_type, invoice):
    emit(business=invoice.business, event_type=event_type, data=invoice_payload(invoice))
