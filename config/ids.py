"""Public identifiers: random, short, unambiguous, not guessable."""

import secrets

# No 0/O, 1/I/L: easy to read aloud and type from an invoice.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_public_id(prefix, length=8):
    return f"{prefix}-" + "".join(secrets.choice(ALPHABET) for _ in range(length))


def create_with_public_id(model, prefix, *, field="public_id", attempts=5, **fields):
    """Create a row with a fresh public id, retrying on the rare collision."""
    from django.db import IntegrityError, transaction

    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return model.objects.create(**{field: new_public_id(prefix)}, **fields)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
