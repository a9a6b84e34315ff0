"""Writes for customers: the one matching rule, create, edit, archive, delete
and merge. Each is atomic and keyword-only.

Matching (`customer_match`): within a business, the same phone number (E.164,
as `core.phones` stores it) or the same email (ignoring case) is the same
customer; otherwise a new customer is created. Unique constraints on
(business, phone) and (business, lower(email)) make two simultaneous
bookings for the same new number end with one customer: the second insert
fails and finds the first. Every booking goes through it from
`booking.services.booking_create`; leads are linked by `customer_find`.

Bookings and leads point here with foreign keys (`Booking.customer`,
`Lead.customer`); this app reaches them only through those reverse relations
(`customer.bookings`, `customer.leads`), never by importing the apps above it.
"""

import logging
import re

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower

from config.ids import create_with_public_id
from core.phones import mask_phone

from .models import CUSTOMER_ID_PREFIX, Customer, CustomerActivity, CustomerAddress

logger = logging.getLogger(__name__)

ADDRESS_NOISE = re.compile(r"[^\w]+")


class CustomerError(Exception):
    """A customer action that is not allowed; the message is meant for the user."""


def normalise_email(email):
    return (email or "").strip().lower()


def record_activity(*, customer, kind, message, data=None, user=None):
    return CustomerActivity.objects.create(
        customer=customer, kind=kind, message=message[:500], data=data or {}, user=user
    )


# --- Matching ----------------------------------------------------------------------


def customer_find(*, business, phone="", email=""):
    """The customer of `business` with this phone (first) or email, or None.
    `phone` is E.164 (as stored); the email is compared ignoring case."""
    email = normalise_email(email)
    # Each condition repeats its unique constraint's own (so PostgreSQL uses those indexes).
    condition = Q()
    if phone:
        condition |= Q(phone=phone) & ~Q(phone="")
    if email:
        condition |= Q(email_lower=email) & ~Q(email="")
    if not condition:
        return None
    found = list(
        Customer.objects.filter(business=business)
        .alias(email_lower=Lower("email"))
        .filter(condition)[:2]
    )
    for customer in found:
        if phone and customer.phone == phone:
            return customer
    return found[0] if found else None


def _fill_blanks(customer, **values):
    changed = []
    for field, value in values.items():
        if value and not getattr(customer, field):
            setattr(customer, field, value)
            changed.append(field)
    if not changed:
        return
    try:
        with transaction.atomic():
            customer.save(update_fields=[*changed, "updated_at"])
    except IntegrityError:
        # Another customer took that phone or email meanwhile: keep ours as it was.
        customer.refresh_from_db()


@transaction.atomic
def customer_match(*, business, name, email="", phone="", company="", origin="", user=None):
    """The customer a booking or lead with these details belongs to, created
    when none matches. Returns (customer, created).

    A matched customer keeps its name; blank email, phone or company are filled
    in, and an archived customer who books again is restored."""
    email = normalise_email(email)
    customer = customer_find(business=business, phone=phone, email=email)
    if customer is not None:
        _fill_blanks(customer, email=email, phone=phone, company=company)
        if customer.archived:
            customer.archived = False
            customer.save(update_fields=["archived", "updated_at"])
            record_activity(
                customer=customer,
                kind=CustomerActivity.Kind.RESTORED,
                message=f"Restored: booked again{f' ({origin})' if origin else ''}.",
                user=user,
            )
        return customer, False
    try:
        with transaction.atomic():
            customer = create_with_public_id(
                Customer,
                CUSTOMER_ID_PREFIX,
                business=business,
                name=(name or email or phone or "Customer")[:200],
                email=email,
                phone=phone,
                company=company[:200],
            )
    except IntegrityError:
        # The same new phone or email was saved by a simultaneous request.
        customer = customer_find(business=business, phone=phone, email=email)
        if customer is None:
            raise
        return customer, False
    record_activity(
        customer=customer,
        kind=CustomerActivity.Kind.CREATED,
        message=f"Customer created{f' ({origin})' if origin else ''}.",
        user=user,
    )
    logger.info(
        "customer %s created business=%s phone=%s",
        customer.public_id,
        business.pk,
        mask_phone(phone),
    )
    return customer, True


def address_key(address, zip_code=""):
    """Two spellings of the same street address compare equal ("12 Oak St." and
    "12 oak st")."""
    text = ADDRESS_NOISE.sub(" ", (address or "").lower()).strip()
    return f"{text}|{ADDRESS_NOISE.sub('', (zip_code or '').lower())}"


@transaction.atomic
def customer_address_match(
    *,
    customer,
    address,
    city="",
    state="",
    zip_code="",
    bedrooms=None,
    bathrooms=None,
    square_feet=None,
):
    """The customer's address matching `address` and `zip_code`, created when
    none does; its size becomes the latest one booked. Returns the address."""
    key = address_key(address, zip_code)
    size = {"bedrooms": bedrooms, "bathrooms": bathrooms, "square_feet": square_feet}
    size = {name: value for name, value in size.items() if value is not None}
    for place in customer.addresses.all():
        if address_key(place.address, place.zip_code) == key:
            changed = [name for name, value in size.items() if getattr(place, name) != value]
            for name in changed:
                setattr(place, name, size[name])
            if changed:
                place.save(update_fields=changed)
            return place
    return CustomerAddress.objects.create(
        customer=customer, address=address, city=city, state=state, zip_code=zip_code, **size
    )


# --- Pages --------------------------------------------------------------------------


@transaction.atomic
def customer_create(*, business, user=None, **fields):
    fields["email"] = normalise_email(fields.get("email"))
    customer = create_with_public_id(Customer, CUSTOMER_ID_PREFIX, business=business, **fields)
    record_activity(
        customer=customer,
        kind=CustomerActivity.Kind.CREATED,
        message="Customer created by hand.",
        user=user,
    )
    return customer


@transaction.atomic
def customer_update(*, customer, user=None, **fields):
    if "email" in fields:
        fields["email"] = normalise_email(fields["email"])
    changed = [name for name, value in fields.items() if getattr(customer, name) != value]
    for name, value in fields.items():
        setattr(customer, name, value)
    customer.save()
    if changed:
        labels = ", ".join(str(Customer._meta.get_field(name).verbose_name) for name in changed)
        record_activity(
            customer=customer,
            kind=CustomerActivity.Kind.UPDATED,
            message=f"Edited: {labels}.",
            user=user,
        )
    return customer


def customer_delete_refusal(customer):
    """Why `customer` cannot be deleted (it has bookings), or None."""
    if customer.bookings.exists():
        return (
            f"{customer.name} has bookings, so the customer cannot be deleted; "
            "archive the customer instead (the bookings and invoices are kept)."
        )
    return None


@transaction.atomic
def customer_delete(*, customer):
    """Delete a customer without bookings (leads keep existing, unlinked).
    Returns an error message, and deletes nothing, when it has bookings."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    refusal = customer_delete_refusal(customer)
    if refusal:
        return refusal
    logger.info("customer %s deleted business=%s", customer.public_id, customer.business_id)
    customer.delete()
    return None


@transaction.atomic
def customer_set_archived(*, customer, archived, user=None):
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.archived == archived:
        return customer
    customer.archived = archived
    customer.save(update_fields=["archived", "updated_at"])
    record_activity(
        customer=customer,
        kind=CustomerActivity.Kind.ARCHIVED if archived else CustomerActivity.Kind.RESTORED,
        message="Archived." if archived else "Restored from the archive.",
        user=user,
    )
    return customer


def _merge_addresses(keep, other):
    """Move `other`'s addresses to `keep`; one that `keep` already has (same
    street and ZIP) is folded into it: its bookings point to `keep`'s, and its
    size and access notes fill what `keep`'s lacks. Returns how many moved."""
    kept = {address_key(a.address, a.zip_code): a for a in keep.addresses.all()}
    count = 0
    for place in other.addresses.all():
        same = kept.get(address_key(place.address, place.zip_code))
        count += 1
        if same is None:
            place.customer = keep
            place.save(update_fields=["customer"])
            continue
        place.bookings.update(service_address=same)
        changed = [
            name
            for name in ("city", "state", "bedrooms", "bathrooms", "square_feet", "access_notes")
            if getattr(same, name) in (None, "") and getattr(place, name) not in (None, "")
        ]
        for name in changed:
            setattr(same, name, getattr(place, name))
        if changed:
            same.save(update_fields=changed)
        place.delete()
    return count


@transaction.atomic
def customer_merge(*, keep, other, user=None):
    """Move every booking (with its invoices and payments), lead, address and
    timeline entry of `other` to `keep`, fill `keep`'s blank details from
    `other`, delete `other` and record the merge on `keep`'s timeline.
    Returns a summary dict of what moved."""
    if keep.business_id != other.business_id:
        raise ValueError("Customers of two businesses cannot be merged.")
    if keep.pk == other.pk:
        raise CustomerError("Choose another customer to merge with.")
    locked = {
        c.pk: c
        for c in Customer.objects.select_for_update()
        .filter(pk__in=[keep.pk, other.pk])
        .order_by("pk")
    }
    keep, other = locked[keep.pk], locked[other.pk]
    counts = Customer.objects.filter(pk=other.pk).aggregate(
        invoices=Count("bookings__invoices", distinct=True)
    )
    moved = {
        "bookings": other.bookings.update(customer=keep),
        "invoices": counts["invoices"],
        "leads": other.leads.update(customer=keep),
        "addresses": _merge_addresses(keep, other),
    }
    other.activities.update(customer=keep)
    blanks = {"email": other.email, "phone": other.phone, "company": other.company}
    notes = other.notes
    other_label = f"{other.public_id} ({other.name})"
    other.delete()
    for field, value in blanks.items():
        if value and not getattr(keep, field):
            setattr(keep, field, value)
    if notes and notes not in keep.notes:
        keep.notes = f"{keep.notes}\n\n{notes}".strip()
    keep.save()
    record_activity(
        customer=keep,
        kind=CustomerActivity.Kind.MERGED,
        message=(
            f"Merged {other_label} into this customer: {moved['bookings']} bookings, "
            f"{moved['invoices']} invoices, {moved['leads']} leads and "
            f"{moved['addresses']} addresses moved."
        ),
        data={"merged": other_label, **moved},
        user=user,
    )
    logger.info("customer %s merged into %s", other_label.split()[0], keep.public_id)
    return moved
