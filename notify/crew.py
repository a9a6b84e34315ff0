"""Which crew member has which jobs on a day: the one query the crew's
daily email is built from.

`assignments_for_day(business, day)` returns a list of
`(member email, [bookings…])` pairs: every member with at least one
scheduled job starting on `day` (the business's local day), bookings
ordered by start. Bookings cannot be assigned to members yet, so today the
list is empty and no crew email goes out; the assignment query plugs in here.
"""


def assignments_for_day(business, day):
    return []


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
