"""The one pricing function: booking form, quote widget, webhooks and invoices use it.

lines    = the service type's base price, bedrooms × bedroom price,
           bathrooms × bathroom price, square feet × the service type's rate,
           add-on quantity × price (each rounded half-up to cents)
discount = −(sum of those lines × the frequency's discount percent / 100),
           rounded half-up to cents, as its own line (kind "discount")
subtotal = sum of the lines, discount included
tax      = subtotal × tax rate / 100 (rounded half-up to cents)
total    = subtotal + tax
deposit  = the business's deposit, at most the total

Decimal throughout.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from account.models import Addon, ServiceFrequency, ServiceType

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    """`value` as a Decimal rounded half-up to cents."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PriceLine:
    """One line of a quote or a booking's price snapshot."""

    kind: str  # "base" | "bedrooms" | "bathrooms" | "area" | "addon" | "discount"
    key: str  # add-on key for kind "addon", else the kind
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal  # rounded half-up to cents


@dataclass(frozen=True)
class Quote:
    lines: tuple[PriceLine, ...]
    subtotal: Decimal
    tax_rate: Decimal
    tax: Decimal
    total: Decimal
    frequency: str = ServiceFrequency.ONE_TIME
    discount_percent: Decimal = ZERO
    deposit: Decimal = ZERO

    @property
    def discount(self):
        """The discount as a positive amount (0 without one)."""
        return -sum((line.amount for line in self.lines if line.kind == "discount"), ZERO)

    def as_dict(self):
        return {
            "lines": [
                {
                    "kind": line.kind,
                    "key": line.key,
                    "description": line.description,
                    "quantity": str(line.quantity),
                    "unit_price": str(line.unit_price),
                    "amount": str(line.amount),
                }
                for line in self.lines
            ],
            "subtotal": str(self.subtotal),
            "tax_rate": str(self.tax_rate),
            "tax": str(self.tax),
            "total": str(self.total),
            "frequency": str(self.frequency),
            "discount_percent": str(self.discount_percent),
            "deposit": str(self.deposit),
        }


def _line(kind, key, description, quantity, unit_price):
    quantity = Decimal(quantity)
    unit_price = Decimal(unit_price)
    return PriceLine(kind, key, description, quantity, unit_price, money(quantity * unit_price))


def quote(
    *,
    business,
    service_type: str,
    bedrooms: int,
    bathrooms: int | Decimal,
    square_feet: int,
    addons: Mapping[str, int] | None = None,
    frequency: str = ServiceFrequency.ONE_TIME,
) -> Quote:
    """Price a cleaning with the business's current settings and active add-ons.

    A recurring `frequency` takes its discount percent (pricing settings) off
    as a line of its own. Add-on keys that are not active add-ons of the
    business are ignored, and zero quantities are dropped. Negative sizes and
    unknown service types or frequencies are refused with ValueError.
    """
    if service_type not in ServiceType.values:
        raise ValueError(f"Unknown service type: {service_type!r}")
    frequency = frequency or ServiceFrequency.ONE_TIME
    if frequency not in ServiceFrequency.values:
        raise ValueError(f"Unknown frequency: {frequency!r}")
    bedrooms, bathrooms = Decimal(str(bedrooms)), Decimal(str(bathrooms))
    square_feet = Decimal(str(square_feet))
    if bedrooms < 0 or bathrooms < 0 or square_feet < 0:
        raise ValueError("Rooms and square feet cannot be negative.")
    settings = business.settings  # cached on the business after the first query
    service_label = ServiceType(service_type).label

    lines = [_line("base", "base", service_label, 1, settings.base_price(service_type))]
    if bedrooms:
        lines.append(
            _line("bedrooms", "bedrooms", "Bedrooms", bedrooms, settings.price_per_bedroom)
        )
    if bathrooms:
        lines.append(
            _line("bathrooms", "bathrooms", "Bathrooms", bathrooms, settings.price_per_bathroom)
        )
    if square_feet:
        lines.append(
            _line(
                "area",
                "area",
                f"Area, sq ft ({service_label.lower()})",
                square_feet,
                settings.sqft_rate(service_type),
            )
        )

    wanted = {}
    for key, quantity in (addons or {}).items():
        quantity = int(quantity or 0)
        if quantity < 0:
            raise ValueError("Add-on quantities cannot be negative.")
        if quantity:
            wanted[key] = quantity
    if wanted:
        active = Addon.objects.filter(business=business, is_active=True, key__in=list(wanted))
        for addon in sorted(active, key=lambda a: (not a.is_standard, a.name)):
            lines.append(_line("addon", addon.key, addon.name, wanted[addon.key], addon.price))

    percent = Decimal(settings.discount_percent(frequency))
    if percent:
        before = sum((line.amount for line in lines), ZERO)
        discount = money(before * percent / 100)
        if discount:
            label = ServiceFrequency(frequency).label.lower()
            lines.append(
                PriceLine(
                    "discount",
                    "discount",
                    f"Discount, {label} ({percent.normalize():f} %)",
                    Decimal(1),
                    -discount,
                    -discount,
                )
            )

    subtotal = money(sum((line.amount for line in lines), ZERO))
    tax_rate = Decimal(settings.tax_rate)
    tax = money(subtotal * tax_rate / 100)
    total = subtotal + tax
    deposit = min(money(settings.deposit_amount), total)
    return Quote(tuple(lines), subtotal, tax_rate, tax, total, frequency, percent, deposit)


def totals(amounts, tax_rate, discount=ZERO):
    """(subtotal, tax, total) for line amounts, a percent tax rate and a
    discount taken off before tax (invoices)."""
    subtotal = money(sum((Decimal(a) for a in amounts), ZERO))
    taxable = max(subtotal - money(discount), ZERO)
    tax = money(taxable * Decimal(tax_rate) / 100)
    return subtotal, tax, taxable + tax
