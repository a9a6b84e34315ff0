"""The home dashboard: composes what each app's selectors offer.

An app contributes by defining, in its `selectors` module,
`checklist(business)` (getting-started items) and/or
`dashboard(business, user)` (a panel: {"order", "template", "context"}).
A module that belongs to one kind of business names it in `DOMAIN`
(`account.kinds`); a business that does not offer it does not see it.
"""

from importlib import import_module

from django.conf import settings
from django.shortcuts import redirect, render


def _selector_modules():
    modules = []
    for name in settings.FIELDBOOK_APPS:
        try:
            modules.append(import_module(f"{name}.selectors"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{name}.selectors":
                raise
    return modules


def home(request):
    if not request.user.is_authenticated:
        return redirect("account:login")
    business = request.business
    if business is None:
        return redirect("account:register_business")
    if request.membership.is_cleaner:
        return redirect("booking:my_jobs")
    items, panels = [], []
    for module in _selector_modules():
        if not business.offers(getattr(module, "DOMAIN", None)):
            continue
        if hasattr(module, "checklist"):
            items.extend(module.checklist(business))
        if hasattr(module, "dashboard"):
            panel = module.dashboard(business, request.user)
            if panel:
                panels.append(panel)
    items.sort(key=lambda item: item["order"])
    panels.sort(key=lambda panel: panel["order"])
    context = {
        "checklist": items,
        "checklist_done": sum(1 for item in items if item["done"]),
        "charts": any(panel.get("charts") for panel in panels),
        "panels": panels,
    }
    return render(request, "home.html", context)
