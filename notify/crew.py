"""Which crew member has which jobs on a day: the one query the crew's
daily email is built from.

`assignments_for_day(business, day)` returns a list of
`(member email, [bookings…])` pairs: every member with at least one
scheduled job starting on `day` (the business's local day), bookings
ordered by start. Built from the booking app's crew rules
(`booking.crew.assigned_to`): cancelled jobs are left out.
"""

from booking.crew import assignees_prefetch
from booking.models import Booking, BookingStatus
from core.time import day_bounds


def assignments_for_day(business, day):
    start, end = day_bounds(business.tzinfo, day)
    bookings = (
        Booking.objects.filter(
            business=business, start__gte=start, start__lt=end, assignees__isnull=False
        )
        .exclude(status=BookingStatus.CANCELLED)
        .distinct()
        .order_by("start", "pk")
        .prefetch_related(assignees_prefetch())
    )
    jobs_by_email = {}
    for booking in bookings:
        for membership in booking.assignees.all():
            email = membership.user.email
            if email:
                jobs_by_email.setdefault(email, []).append(booking)
    return sorted(jobs_by_email.items())


def member_name(email, business):
    """How the email greets a member: their name, else their address."""
    from django.contrib.auth import get_user_model

    user = (
        get_user_model()
        .objects.filter(membership__business=business, email__iexact=email)
        .only("first_name", "last_name", "username")
        .first()
    )
    if user is None:
        return email
    return user.get_full_name() or user.username
