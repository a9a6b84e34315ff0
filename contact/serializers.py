from api.serializers import BusinessScopedPrimaryKeyRelatedField, FieldbookModelSerializer
from core.serializers import PhoneSerializerField
from restaurants.models import Restaurant

from .models import Contact


class ContactSerializer(FieldbookModelSerializer):
    """A person at a restaurant."""

    restaurant = BusinessScopedPrimaryKeyRelatedField(
        queryset=Restaurant.objects.all(), help_text="Id of the restaurant."
    )
    phone = PhoneSerializerField(required=False, allow_blank=True)

    class Meta:
        model = Contact
        fields = ["id", "restaurant", "name", "role", "email", "phone", "address"]
        read_only_fields = ["id"]
