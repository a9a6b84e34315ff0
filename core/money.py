"""Money shown one way: `$1,234.50`, with the symbol of the business's
currency (Babel's English patterns: CA$, €, £, ₹…). The one formatter used
by pages (the `money` template filter), flash messages, emails, PDFs and
form labels.

Amounts are `Decimal`; columns hold at most `MAX_AMOUNT` (DECIMAL(10, 2)).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency

LOCALE = "en_US"
DEFAULT_CURRENCY = "USD"
CENTS = Decimal("0.01")
# The largest amount a DECIMAL(10, 2) column holds.
MAX_AMOUNT = Decimal("99999999.99")
RATE_PATTERN = "¤#,##0.00##"


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, TypeError, ValueError):
        return None


def format_money(amount, currency=DEFAULT_CURRENCY):
    """1234.5, "USD" -> "$1,234.50"; rounded half-up to cents. "" for None;
    anything that is not a number is returned as text."""
    value = _decimal(amount)
    if value is None:
        return "" if amount is None else str(amount)
    value = value.quantize(CENTS, rounding=ROUND_HALF_UP)
    return format_currency(value, currency or DEFAULT_CURRENCY, locale=LOCALE)


def format_rate(amount, currency=DEFAULT_CURRENCY):
    """A unit price: cents, or up to four decimals when it has them
    (0.125 per square foot -> "$0.125")."""
    value = _decimal(amount)
    if value is None:
        return "" if amount is None else str(amount)
    return format_currency(
        value,
        currency or DEFAULT_CURRENCY,
        format=RATE_PATTERN,
        locale=LOCALE,
        currency_digits=False,
    )
