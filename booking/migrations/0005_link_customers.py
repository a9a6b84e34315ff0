"""Link the bookings made before customers existed to customers: per
business, bookings with the same phone number or email (ignoring case) are
one customer (`customers.services`' rule), and each booking's address becomes
one of its customer's addresses with the latest size booked there. Leads
whose phone or email matches a customer are linked too."""

import secrets

from django.db import migrations

from config.ids import ALPHABET
from customers.services import address_key, normalise_email

BATCH = 500


def _public_id(used):
    while True:
        value = "CU-" + "".join(secrets.choice(ALPHABET) for _ in range(8))
        if value not in used:
            used.add(value)
            return value


def link(apps, schema_editor):
    Booking = apps.get_model("booking", "Booking")
    Customer = apps.get_model("customers", "Customer")
    CustomerAddress = apps.get_model("customers", "CustomerAddress")
    CustomerActivity = apps.get_model("customers", "CustomerActivity")
    Lead = apps.get_model("leads", "Lead")
    used = set(Customer.objects.values_list("public_id", flat=True))
    business_ids = (
        Booking.objects.filter(customer__isnull=True)
        .values_list("business_id", flat=True)
        .distinct()
        .order_by("business_id")
    )
    for business_id in list(business_ids):
        by_phone, by_email, addresses = {}, {}, {}
        for customer in Customer.objects.filter(business_id=business_id):
            if customer.phone:
                by_phone[customer.phone] = customer
            if customer.email:
                by_email[customer.email.lower()] = customer
        pending = []
        bookings = Booking.objects.filter(business_id=business_id, customer__isnull=True).order_by(
            "created_at", "pk"
        )
        for booking in bookings.iterator(chunk_size=BATCH):
            phone = booking.customer_phone or ""
            email = normalise_email(booking.customer_email)
            customer = by_phone.get(phone) if phone else None
            if customer is None and email:
                customer = by_email.get(email)
            if customer is None:
                name = f"{booking.customer_first_name} {booking.customer_last_name}".strip()
                customer = Customer.objects.create(
                    business_id=business_id,
                    public_id=_public_id(used),
                    name=name[:200] or email or phone or "Customer",
                    email=email,
                    phone=phone,
                    company=booking.customer_company,
                )
                CustomerActivity.objects.create(
                    customer=customer,
                    kind="created",
                    message="Customer created from the bookings made before customers existed.",
                )
            else:
                changed = []
                if phone and not customer.phone:
                    customer.phone = phone
                    changed.append("phone")
                if email and not customer.email and email not in by_email:
                    customer.email = email
                    changed.append("email")
                if changed:
                    customer.save(update_fields=changed)
            if customer.phone:
                by_phone.setdefault(customer.phone, customer)
            if customer.email:
                by_email.setdefault(customer.email.lower(), customer)
            key = (customer.pk, address_key(booking.address, booking.zip_code))
            place = addresses.get(key)
            if place is None:
                place = CustomerAddress.objects.create(
                    customer=customer,
                    address=booking.address,
                    city=booking.city,
                    state=booking.state,
                    zip_code=booking.zip_code,
                )
                addresses[key] = place
            # Bookings come oldest first: the last one leaves the latest size.
            place.bedrooms = booking.bedrooms
            place.bathrooms = booking.bathrooms
            place.square_feet = booking.square_feet
            booking.customer_id = customer.pk
            booking.service_address_id = place.pk
            pending.append(booking)
            if len(pending) >= BATCH:
                Booking.objects.bulk_update(pending, ["customer", "service_address"])
                pending = []
        Booking.objects.bulk_update(pending, ["customer", "service_address"], batch_size=BATCH)
        CustomerAddress.objects.bulk_update(
            list(addresses.values()), ["bedrooms", "bathrooms", "square_feet"], batch_size=BATCH
        )
        leads = Lead.objects.filter(business_id=business_id, customer__isnull=True)
        linked = []
        for lead in leads.iterator(chunk_size=BATCH):
            customer = by_phone.get(lead.phone) if lead.phone else None
            if customer is None and lead.email:
                customer = by_email.get(lead.email.lower())
            if customer is not None:
                lead.customer_id = customer.pk
                linked.append(lead)
        Lead.objects.bulk_update(linked, ["customer"], batch_size=BATCH)
    # Bookings made from a lead: the lead became that booking's customer.
    for booking in (
        Booking.objects.filter(lead__isnull=False, lead__customer__isnull=True)
        .only("lead_id", "customer_id")
        .iterator(chunk_size=BATCH)
    ):
        Lead.objects.filter(pk=booking.lead_id, customer__isnull=True).update(
            customer_id=booking.customer_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0004_booking_customer"),
        ("customers", "0001_initial"),
        ("leads", "0006_lead_customer"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
