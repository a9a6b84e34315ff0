from .kinds import offers_home_services, offers_restaurants


def business(request):
    membership = getattr(request, "membership", None)
    current = getattr(request, "business", None)
    return {
        "offers_home_services": offers_home_services(current),
        "offers_restaurants": offers_restaurants(current),
        "current_business": getattr(request, "business", None),
        "current_membership": membership,
        "is_owner": bool(membership and membership.is_owner),
        "is_cleaner": bool(membership and membership.is_cleaner),
    }
