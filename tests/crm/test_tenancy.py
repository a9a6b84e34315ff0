"""Another business's restaurant, contact, interaction or call plan is a 404
on every CRM page, whatever the method, and nothing is written."""

import pytest
from django.urls import reverse

from call.models import CallPlan
from contact.models import Contact
from restaurants.models import Restaurant, RestaurantStatusChange
from tests.restaurants.factories import (
    CallPlanFactory,
    ContactFactory,
    InteractionFactory,
    RestaurantFactory,
)
from track.models import Interaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(business):
    """A restaurant of the owner's business, with a contact, an interaction and a plan."""
    restaurant = RestaurantFactory(business=business, name="Not Yours")
    return {
        "restaurant": restaurant,
        "contact": ContactFactory(restaurant=restaurant),
        "interaction": InteractionFactory(restaurant=restaurant),
        "plan": CallPlanFactory(restaurant=restaurant),
    }


def urls(objects):
    r = objects["restaurant"].pk
    c = objects["contact"].pk
    i = objects["interaction"].pk
    return [
        ("get", reverse("crm:detail", args=[r])),
        ("get", reverse("crm:edit", args=[r])),
        ("post", reverse("crm:edit", args=[r])),
        ("get", reverse("crm:delete", args=[r])),
        ("post", reverse("crm:delete", args=[r])),
        ("delete", reverse("crm:delete", args=[r])),
        ("post", reverse("crm:status", args=[r])),
        ("post", reverse("crm:move", args=[r])),
        ("get", reverse("crm:timeline", args=[r])),
        ("get", reverse("crm:contacts", args=[r])),
        ("get", reverse("crm:contact_create", args=[r])),
        ("post", reverse("crm:contact_create", args=[r])),
        ("get", reverse("crm:contact_edit", args=[r, c])),
        ("post", reverse("crm:contact_edit", args=[r, c])),
        ("get", reverse("crm:contact_delete", args=[r, c])),
        ("post", reverse("crm:contact_delete", args=[r, c])),
        ("get", reverse("crm:interaction_create", args=[r])),
        ("post", reverse("crm:interaction_create", args=[r])),
        ("get", reverse("crm:interaction_edit", args=[r, i])),
        ("post", reverse("crm:interaction_edit", args=[r, i])),
        ("get", reverse("crm:interaction_delete", args=[r, i])),
        ("post", reverse("crm:interaction_delete", args=[r, i])),
        ("post", reverse("crm:plan_create", args=[r])),
        ("post", reverse("crm:plan_record", args=[r])),
        ("post", reverse("crm:plan_frequency", args=[r])),
        ("get", reverse("crm:plan_delete", args=[r])),
        ("post", reverse("crm:plan_delete", args=[r])),
    ]


def test_outsider_gets_404_everywhere(outsider_client, theirs):
    data = {"name": "Mine now", "status": "LOST", "frequency": "DAILY", "interaction_type": "CALL"}
    for method, url in urls(theirs):
        response = (
            getattr(outsider_client, method)(url, data)
            if method == "post"
            else getattr(outsider_client, method)(url)
        )
        assert response.status_code == 404, (method, url, response.status_code)
    assert Restaurant.objects.get().name == "Not Yours"
    assert Contact.objects.count() == Interaction.objects.count() == CallPlan.objects.count() == 1
    assert not RestaurantStatusChange.objects.exists()


def test_outsiders_own_ids_do_not_reach_across(outsider_client, other_business, theirs):
    """A contact or interaction of the owner's business under the outsider's
    own restaurant is a 404 too."""
    own = RestaurantFactory(business=other_business)
    for name, obj in (
        ("crm:contact_edit", theirs["contact"]),
        ("crm:interaction_edit", theirs["interaction"]),
    ):
        assert outsider_client.get(reverse(name, args=[own.pk, obj.pk])).status_code == 404


def test_lists_board_and_export_show_only_their_own(outsider_client, theirs):
    for name in ("crm:home", "crm:board"):
        assert b"Not Yours" not in outsider_client.get(reverse(name)).content
    body = b"".join(outsider_client.get(reverse("crm:export")).streaming_content)
    assert b"Not Yours" not in body


def test_import_never_updates_another_business(outsider_client, theirs):
    restaurant = theirs["restaurant"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = f"name,phone,city\nNot Yours,{restaurant.phone},{restaurant.city}\n".encode()
    preview = outsider_client.post(
        reverse("crm:import"), {"file": SimpleUploadedFile("r.csv", csv)}
    )
    assert preview.context["plan"].creates == 1
    outsider_client.post(reverse("crm:import_confirm"), {"token": preview.context["token"]})
    assert Restaurant.objects.count() == 2
    assert Restaurant.objects.filter(business=restaurant.business).count() == 1
