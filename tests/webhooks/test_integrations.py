import pytest
from django.urls import reverse

from webhooks.models import Integration

pytestmark = pytest.mark.django_db

DATA = {
    "name": "Zapier",
    "url": "https://hooks.example.com/catch/1",
    "events": ["booking.created", "invoice.paid"],
    "is_active": "on",
}


def test_add_integration_shows_secret_once(owner_client, business):
    response = owner_client.post(reverse("webhooks:integration_add"), DATA)
    assert response.status_code == 200
    integration = Integration.objects.get(business=business)
    assert integration.events == ["booking.created", "invoice.paid"]
    assert integration.signing_secret.startswith("whsec_")
    assert integration.signing_secret.encode() in response.content
    listing = owner_client.get(reverse("webhooks:integration_list"))
    assert integration.signing_secret.encode() not in listing.content
    assert b"Zapier" in listing.content


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"url": "ftp://example.com/x"}, b"Use an http or https URL."),
        ({"url": "not a url"}, b"Enter a valid URL."),
        ({"events": ["nope"]}, b"Select a valid choice"),
        ({"events": []}, b"This field is required."),
        ({"name": ""}, b"This field is required."),
    ],
)
def test_add_integration_rejects_bad_input(owner_client, business, change, message):
    response = owner_client.post(reverse("webhooks:integration_add"), {**DATA, **change})
    assert response.status_code == 400
    assert message in response.content
    assert not Integration.objects.exists()


def test_edit_and_regenerate_secret(owner_client, business):
    integration = Integration.objects.create(
        business=business, name="A", url="https://a.example", events=["lead.created"]
    )
    old = integration.signing_secret
    response = owner_client.post(
        reverse("webhooks:integration_edit", args=[integration.pk]), {**DATA, "name": "B"}
    )
    assert response.status_code == 302
    integration.refresh_from_db()
    assert integration.name == "B"
    assert integration.signing_secret == old
    response = owner_client.post(
        reverse("webhooks:integration_regenerate_secret", args=[integration.pk])
    )
    integration.refresh_from_db()
    assert integration.signing_secret != old
    assert integration.signing_secret.encode() in response.content


def test_delete_integration(owner_client, business):
    integration = Integration.objects.create(
        business=business, name="A", url="https://a.example", events=[]
    )
    url = reverse("webhooks:integration_delete", args=[integration.pk])
    assert owner_client.get(url).status_code == 200
    assert Integration.objects.filter(pk=integration.pk).exists()
    assert owner_client.post(url).status_code == 302
    assert not Integration.objects.filter(pk=integration.pk).exists()


@pytest.mark.parametrize(
    "name", ["integration_edit", "integration_delete", "integration_regenerate_secret"]
)
def test_outsider_gets_404(outsider_client, business, name):
    integration = Integration.objects.create(
        business=business, name="A", url="https://a.example", events=[]
    )
    assert (
        outsider_client.post(reverse(f"webhooks:{name}", args=[integration.pk])).status_code == 404
    )
    integration.refresh_from_db()
    assert integration.name == "A"


def test_integration_list_query_count(owner_client, business, django_assert_max_num_queries):
    Integration.objects.bulk_create(
        Integration(
            business=business, name=f"I{n}", url="https://a.example", events=["lead.created"]
        )
        for n in range(25)
    )
    with django_assert_max_num_queries(5):
        response = owner_client.get(reverse("webhooks:integration_list"))
    assert response.status_code == 200
