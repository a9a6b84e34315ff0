def business(request):
    membership = getattr(request, "membership", None)
    return {
        "current_business": getattr(request, "business", None),
        "current_membership": membership,
        "is_owner": bool(membership and membership.is_owner),
        "is_cleaner": bool(membership and membership.is_cleaner),
    }
