"""JSON API for restaurant contacts (`/contact/contacts/`)."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view

from api.filters import IntegerFilter
from api.pagination import PAGINATION_HEADERS
from api.viewsets import BusinessModelViewSet

from . import selectors
from .models import Contact
from .serializers import ContactSerializer


class ContactFilter(filters.FilterSet):
    restaurant = IntegerFilter(field_name="restaurant_id", help_text="Restaurant id.")

    class Meta:
        model = Contact
        fields = ["restaurant"]


@extend_schema_view(
    list=extend_schema(summary="List contacts", parameters=PAGINATION_HEADERS),
    create=extend_schema(summary="Create a contact"),
    retrieve=extend_schema(summary="Get a contact"),
    update=extend_schema(summary="Update a contact"),
    partial_update=extend_schema(summary="Update some fields of a contact"),
    destroy=extend_schema(summary="Delete a contact"),
)
@extend_schema(tags=["Contacts"])
class ContactViewSet(BusinessModelViewSet):
    """People at your restaurants."""

    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    queryset = Contact.objects.none()
    selector = staticmethod(selectors.contact_list)
