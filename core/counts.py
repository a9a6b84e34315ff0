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


# --- Counts of any queryset (the API's X-Total-Count) ---------------------------------
#
# A queryset's count is cached under its SQL (which names the business and
# every filter), together with the generation of its model at the time. A
# save or delete of a row of that model (`count_generations_on_change`,
# connected in the app's `ready()`) moves the generation, so the next read
# counts again; one cache read (`get_many`) answers both.


def _generation_key(model):
    return f"{PREFIX}:generation:{model._meta.label_lower}"


def count_generations_on_change(*models):
    """A save or delete of a row of `models` makes every cached count of
    those models stale (`cached_count`)."""

    for model in models:
        model._fieldbook_counted = True
        key = _generation_key(model)

        def receiver(sender, key=key, **kwargs):
            cache.delete(key)
            transaction.on_commit(lambda: cache.delete(key))

        uid = f"core.counts:generation:{model._meta.label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":delete")


def cached_count(queryset):
    """`queryset.count()`, cached until a row of its model changes (models
    registered with `count_generations_on_change`; others are counted)."""
    import hashlib
    import uuid

    model = queryset.model
    if not getattr(model, "_fieldbook_counted", False):
        return queryset.count()
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except Exception:  # noqa: BLE001 (an empty result set and the like: just count)
        return queryset.count()
    digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:32]
    key = f"{PREFIX}:count:{model._meta.label_lower}:{digest}"
    generation_key = _generation_key(model)
    found = cache.get_many([key, generation_key])
    generation = found.get(generation_key)
    entry = found.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(generation_key, generation, None)
        generation = cache.get(generation_key, generation)
    count = queryset.count()
    cache.set(key, (generation, count), TIMEOUT)
    return count
