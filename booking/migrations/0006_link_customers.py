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


def _groups(rows):
    """{booking pk: group} where bookings sharing a phone or an email, directly
    or through other bookings, are one group (union-find over the details)."""
    parent = {}

    def find(key):
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    keys = {}
    for pk, phone, email in rows:
        own = ("booking", pk)
        find(own)
        for key in (("phone", phone) if phone else None, ("email", email) if email else None):
            if key is not None:
                parent[find(own)] = find(key)
        keys[pk] = own
    return {pk: find(own) for pk, own in keys.items()}


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
        bookings = Booking.objects.filter(business_id=business_id, customer__isnull=True)
        rows = [
            (pk, phone or "", normalise_email(email))
            for pk, phone, email in bookings.values_list("pk", "customer_phone", "customer_email")
        ]
        group_of = _groups(rows)
        customers, addresses, pending = {}, {}, []
        # Newest first: a customer takes the name and details of its latest booking.
        for booking in bookings.order_by("-created_at", "-pk").iterator(chunk_size=BATCH):
            group = group_of[booking.pk]
            customer = customers.get(group)
            phone = booking.customer_phone or ""
            email = normalise_email(booking.customer_email)
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
                customers[group] = customer
            else:
                changed = [
                    name
                    for name, value in (("phone", phone), ("email", email))
                    if value and not getattr(customer, name)
                ]
                for name in changed:
                    setattr(customer, name, phone if name == "phone" else email)
                if changed:
                    customer.save(update_fields=changed)
            key = (customer.pk, address_key(booking.address, booking.zip_code))
            place = addresses.get(key)
            if place is None:
                # The newest booking at an address gives its size.
                place = CustomerAddress.objects.create(
                    customer=customer,
                    address=booking.address,
                    city=booking.city,
                    state=booking.state,
                    zip_code=booking.zip_code,
                    bedrooms=booking.bedrooms,
                    bathrooms=booking.bathrooms,
                    square_feet=booking.square_feet,
                )
                addresses[key] = place
            booking.customer_id = customer.pk
            booking.service_address_id = place.pk
            pending.append(booking)
            if len(pending) >= BATCH:
                Booking.objects.bulk_update(pending, ["customer", "service_address"])
                pending = []
        Booking.objects.bulk_update(pending, ["customer", "service_address"], batch_size=BATCH)
        by_phone = {c.phone: c for c in customers.values() if c.phone}
        by_email = {c.email: c for c in customers.values() if c.email}
        linked = []
        leads = Lead.objects.filter(business_id=business_id, customer__isnull=True)
        for lead in leads.iterator(chunk_size=BATCH):
            customer = by_phone.get(lead.phone) if lead.phone else None
            if customer is None and lead.email:
                customer = by_email.get(normalise_email(lead.email))
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
        ("booking", "0005_booking_customer"),
        ("customers", "0001_initial"),
        ("leads", "0006_lead_customer"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
