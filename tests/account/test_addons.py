from decimal import Decimal

import pytest
from django.urls import reverse

from account.models import Addon

pytestmark = pytest.mark.django_db


def test_add_custom_addon_slugifies_key(owner_client, business):
    response = owner_client.post(
        reverse("account:addon_add"), {"name": "Wall Washing", "price": "30.00", "is_active": "on"}
    )
    assert response.status_code == 302
    addon = Addon.objects.get(business=business, name="Wall Washing")
    assert addon.key == "wall_washing"
    assert addon.price == Decimal("30.00")
    assert not addon.is_standard


def test_custom_addon_key_is_unique_in_business(owner_client, business):
    response = owner_client.post(
        reverse("account:addon_add"), {"name": "Extra oven", "key": "oven", "price": "5"}
    )
    assert response.status_code == 400
    assert b"Another add-on already uses this key." in response.content
    # Same name twice: the derived key gets a suffix.
    for _ in range(2):
        owner_client.post(reverse("account:addon_add"), {"name": "Fridge", "price": "5"})
    assert set(business.addons.filter(name="Fridge").values_list("key", flat=True)) == {
        "fridge_2",
        "fridge_3",
    }


def test_addon_rejects_negative_price(owner_client, business):
    count = business.addons.count()
    response = owner_client.post(reverse("account:addon_add"), {"name": "Bad", "price": "-5"})
    assert response.status_code == 400
    assert business.addons.count() == count


def test_edit_addon(owner_client, business):
    addon = business.addons.get(key="oven")
    response = owner_client.post(
        reverse("account:addon_edit", args=[addon.pk]),
        {"name": "Oven deep clean", "price": "35", "description": ""},
    )
    assert response.status_code == 302
    addon.refresh_from_db()
    assert (addon.name, addon.price, addon.key, addon.is_active) == (
        "Oven deep clean",
        Decimal("35.00"),
        "oven",
        False,
    )


def test_delete_addon_get_confirms_post_deletes(owner_client, business):
    addon = business.addons.get(key="garage")
    url = reverse("account:addon_delete", args=[addon.pk])
    response = owner_client.get(url)
    assert response.status_code == 200
    assert b"Are you sure" in response.content
    assert Addon.objects.filter(pk=addon.pk).exists()
    response = owner_client.post(url)
    assert response.status_code == 302
    assert not Addon.objects.filter(pk=addon.pk).exists()


def test_delete_addon_by_script_with_delete_method(owner_client, business):
    addon = business.addons.get(key="patio")
    response = owner_client.delete(reverse("account:addon_delete", args=[addon.pk]))
    assert response.status_code == 204
    assert not Addon.objects.filter(pk=addon.pk).exists()


@pytest.mark.parametrize("name", ["addon_edit", "addon_delete"])
def test_outsider_gets_404_for_another_business_addon(outsider_client, business, name):
    addon = business.addons.first()
    assert outsider_client.get(reverse(f"account:{name}", args=[addon.pk])).status_code == 404
    assert outsider_client.post(reverse(f"account:{name}", args=[addon.pk])).status_code == 404
    assert Addon.objects.filter(pk=addon.pk).exists()


def test_member_cannot_change_addons(member_client, business):
    addon = business.addons.first()
    assert member_client.post(reverse("account:addon_delete", args=[addon.pk])).status_code == 403
    assert Addon.objects.filter(pk=addon.pk).exists()


def test_addon_list_query_count_is_constant(owner_client, business, django_assert_max_num_queries):
    for n in range(30):
        Addon.objects.create(business=business, name=f"Extra {n}", key=f"extra_{n}", price=1)
    # session, user, membership+business, add-ons
    with django_assert_max_num_queries(5):
        response = owner_client.get(reverse("account:addon_list"))
    assert response.status_code == 200
    assert b"Extra 29" in response.content
