"""The summary figures of a list page (bookings by status, open invoices, leads
by status, failed inbox events), cached per business until its rows change.

Counting every row of a large business on every page view costs more than
the page itself and grows with the rows. Each figure is computed once (one
aggregate query), kept in the shared cache (`settings.CACHES`) for at most
`TIMEOUT` seconds, and dropped as soon as a row of a model it counts is
saved or deleted (`forget_on_change`, connected in each app's `ready()`).
Writes that bypass `save()` (`QuerySet.update`) are caught by the timeout.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

TIMEOUT = 60
PREFIX = "list-counts"


def _key(name, business_id):
    return f"{PREFIX}:{name}:{business_id}"


def cached(name, business, compute, *, stamp=None):
    """`compute()` for `business`, cached under `name` until a row of its
    models changes. `stamp` (e.g. the business's today, for a figure that
    depends on the day) must match the cached one, else it is computed again."""
    key = _key(name, business.pk)
    entry = cache.get(key)
    if entry is None or entry[0] != stamp:
        entry = (stamp, compute())
        cache.set(key, entry, TIMEOUT)
    return entry[1]


def forget(name, business_id):
    """Drop the cached figure now and once the current transaction commits
    (so a concurrent reader cannot put back what it read before the commit)."""
    key = _key(name, business_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def forget_on_change(model, name, *, business_field="business_id"):
    """Forget `name` for the row's business whenever a `model` row is saved or
    deleted."""

    def receiver(sender, instance, **kwargs):
        business_id = getattr(instance, business_field, None)
        if business_id is not None:
            forget(name, business_id)

    uid = f"core.counts:{name}:{model._meta.label}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":delete")
