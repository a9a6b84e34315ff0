"""A restaurant's contacts, added, edited and removed on its page.

With htmx each view answers with the contacts card (and the "With" list of
the interaction form, out of band), and an `HX-Trigger` that the page reads
out in its live region; without JavaScript the forms post as usual and go
back to the restaurant's page (or show a page of their own with the errors).
"""

import json

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from account.tenancy import business_required, get_for_business
from config.shortcuts import confirm_delete
from contact.models import Contact

from .. import selectors
from ..forms import ContactForm
from . import back_to, is_htmx


def _contact(restaurant, contact_pk):
    return get_for_business(
        Contact.objects.select_related("restaurant"),
        restaurant.business,
        field="restaurant__business",
        restaurant=restaurant,
        pk=contact_pk,
    )


def _card(request, restaurant, *, status=200, message="", form=None, editing=None):
    contacts = selectors.contacts(restaurant)
    context = {
        "restaurant": restaurant,
        "contacts": contacts,
        "contact_form": form or ContactForm(business=request.business, auto_id="new-contact-%s"),
        "editing": editing,
        "oob": True,
    }
    response = render(request, "crm/_contacts.html", context, status=status)
    if message:
        response["HX-Trigger"] = json.dumps({"crm:announce": message})
    return response


@business_required
@require_GET
def contact_card(request, pk):
    """The contacts card (htmx: "Cancel" on an edit form)."""
    restaurant = selectors.restaurant_for_page(request.business, pk)
    if not is_htmx(request):
        return back_to(restaurant, "contacts")
    return _card(request, restaurant)


@business_required
@require_http_methods(["GET", "POST"])
def contact_create(request, pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    form = ContactForm(request.POST or None, business=request.business, auto_id="new-contact-%s")
    if request.method == "POST" and form.is_valid():
        contact = form.save(commit=False)
        contact.restaurant = restaurant
        contact.save()
        message = f"Contact {contact.name} added."
        if is_htmx(request):
            return _card(request, restaurant, message=message)
        messages.success(request, message)
        return back_to(restaurant, "contacts")
    status = 400 if request.method == "POST" else 200
    if is_htmx(request):
        return _card(request, restaurant, status=status, form=form, message="")
    context = {"restaurant": restaurant, "form": form, "title": "Add contact"}
    return render(request, "crm/contact_form.html", context, status=status)


@business_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk, contact_pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    contact = _contact(restaurant, contact_pk)
    form = ContactForm(
        request.POST or None,
        instance=contact,
        business=request.business,
        auto_id=f"contact-{contact.pk}-%s",
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        message = f"Contact {contact.name} saved."
        if is_htmx(request):
            return _card(request, restaurant, message=message)
        messages.success(request, message)
        return back_to(restaurant, "contacts")
    status = 400 if request.method == "POST" else 200
    if is_htmx(request):
        context = {"restaurant": restaurant, "contact": contact, "form": form}
        return render(request, "crm/_contact_edit.html", context, status=status)
    context = {"restaurant": restaurant, "contact": contact, "form": form, "title": "Edit contact"}
    return render(request, "crm/contact_form.html", context, status=status)


@business_required
@require_http_methods(["GET", "POST", "DELETE"])
def contact_delete(request, pk, contact_pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    contact = _contact(restaurant, contact_pk)
    name = contact.name
    if is_htmx(request) and request.method in ("POST", "DELETE"):
        contact.delete()
        return _card(request, restaurant, message=f"Contact {name} removed.")
    if request.method == "GET":
        context = {"restaurant": restaurant, "contact": contact}
        return render(request, "crm/contact_delete.html", context)
    return confirm_delete(
        request,
        obj=contact,
        perform=contact.delete,
        success_url=reverse("crm:detail", args=[restaurant.pk]) + "#contacts",
        cancel_url=reverse("crm:detail", args=[restaurant.pk]) + "#contacts",
        message=f"Contact {name} removed.",
    )
